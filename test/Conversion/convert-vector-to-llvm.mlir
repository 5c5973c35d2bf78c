// RUN: ft-opt %s --split-input-file --ft-convert-vector-to-llvm=index-bitwidth=32 --finalize-memref-to-llvm=index-bitwidth=32 --convert-func-to-llvm="index-bitwidth=32 use-bare-ptr-memref-call-conv=true" --convert-arith-to-llvm=index-bitwidth=32 --reconcile-unrealized-casts | FileCheck %s
// RUN: ft-opt %s --split-input-file --ft-convert-vector-to-llvm=index-bitwidth=64 | FileCheck %s --check-prefix=WIDE

// A word load of four bytes on a 32-bit target: the descriptor and the
// address arithmetic in i32, like the other conversions' (upstream's
// convert-vector-to-llvm would make them i64 and leave casts no pass
// resolves), the alignment kept.
// CHECK-LABEL: llvm.func @word
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %[[I:.*]]: i32) -> i32
// CHECK-NOT: unrealized_conversion_cast
// CHECK: %[[P:.*]] = llvm.getelementptr %{{.*}}[%[[I]]] : (!llvm.ptr, i32) -> !llvm.ptr, i8
// CHECK: llvm.load %[[P]] {alignment = 1 : i64} : !llvm.ptr -> vector<4xi8>
// CHECK: llvm.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// CHECK: llvm.extractelement
// WIDE-LABEL: func.func @word
// WIDE: llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
func.func @word(%m: memref<16xi8>, %i: index) -> i32 {
  %v = vector.load %m[%i] {alignment = 1 : i64} : memref<16xi8>, vector<4xi8>
  %w = vector.bitcast %v : vector<4xi8> to vector<1xi32>
  %e = vector.extract %w[0] : i32 from vector<1xi32>
  return %e : i32
}
