// --runtime-checks bounds-checks every buffer access of the compiled model:
// an access past a buffer aborts with the op and its location instead of
// reading whatever lies next to it. (The all-paths sweeps run with it.)
// RUN: ft-run %s --input-random --output %t.bin
// RUN: not --crash ft-run %s --input-random --output %t.bin --runtime-checks 2>/dev/null | FileCheck %s
// CHECK: ERROR: Runtime op verification failed
// CHECK: out-of-bounds access
// CHECK: Location: loc({{.*}}runtime-checks.mlir":[[@LINE+9]]:

func.func @main(%in: tensor<4xi32>) -> tensor<4xi32> {
  %c5 = arith.constant 5 : index
  %e = tensor.empty() : tensor<4xi32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%e : tensor<4xi32>) {
  ^bb0(%o: i32):
    %i = linalg.index 0 : index
    %j = arith.addi %i, %c5 : index
    %v = tensor.extract %in[%j] : tensor<4xi32>
    linalg.yield %v : i32
  } -> tensor<4xi32>
  return %r : tensor<4xi32>
}
