// RUN: ft-opt %s --ft-lower-to-llvm | FileCheck %s
// RUN: ft-opt %s --ft-lower-to-llvm | ft-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
// RUN: ft-opt %s --pass-pipeline='builtin.module(ft-lower-to-llvm{plan-arena=false scalar-accumulation=false})' | FileCheck %s --check-prefix=HEAP
// RUN: ft-opt %s --pass-pipeline='builtin.module(ft-lower-to-llvm{plan-arena=false})' | FileCheck %s --check-prefix=NOSCRATCH

// By default every buffer, inputs and outputs included, lives in one static
// arena: the entry point takes nothing, accessors return the I/O addresses,
// and neither malloc, free nor any runtime helper remains.
// CHECK: llvm.mlir.global private @main_arena(dense<0> : tensor<{{[0-9]+}}xi8>) {{{.*}}alignment = 16 : i64}
// CHECK-LABEL: llvm.func @main_input_0() -> i64
// CHECK-LABEL: llvm.func @main_output_0() -> i64
// CHECK-LABEL: llvm.func @main()
// CHECK-SAME: ft.arena_size
// LLVMIR-NOT: @malloc
// LLVMIR-NOT: @free
// LLVMIR-NOT: @memrefCopy
// LLVMIR: @main_arena = private global [{{[0-9]+}} x i8] zeroinitializer, align 16
// LLVMIR: define void @main()

// Without the planner, buffers are heap allocations (freed again) and the
// entry point takes bare pointers, inputs then outputs.
// HEAP-LABEL: llvm.func @main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr {bufferize.result})
// HEAP: llvm.call @malloc
// HEAP: llvm.call @free
// HEAP-NOT: memrefCopy

// With scalar accumulation (the default) the layer is one loop nest that
// reads the input and writes the output: no scratch buffer at all.
// NOSCRATCH-LABEL: llvm.func @main(
// NOSCRATCH-NOT: @malloc
func.func @main(%arg0: tensor<1x4x4x2xi8>) -> tensor<1x4x4x3xi8> {
  %w = "tosa.const"() {values = dense<3> : tensor<3x3x3x2xi8>} : () -> tensor<3x3x3x2xi8>
  %b = "tosa.const"() {values = dense<[1, 2, 3]> : tensor<3xi32>} : () -> tensor<3xi32>
  %izp = "tosa.const"() {values = dense<5> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.conv2d %arg0, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
  %m = "tosa.const"() {values = dense<[1073741824, 1500000000, 2000000000]> : tensor<3xi32>} : () -> tensor<3xi32>
  %s = "tosa.const"() {values = dense<[38, 39, 40]> : tensor<3xi8>} : () -> tensor<3xi8>
  %z32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %c, %m, %s, %z32, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x4x4x3xi32>, tensor<3xi32>, tensor<3xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x3xi8>
  return %r : tensor<1x4x4x3xi8>
}
