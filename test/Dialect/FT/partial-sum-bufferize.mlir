// RUN: ft-opt %s --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s
// RUN: ft-opt %s --one-shot-bufferize="bufferize-function-boundaries" --ft-lower-partial-sums | FileCheck %s --check-prefix=LOWER

// One-shot bufferization adds every tile's partial into the one accumulator
// buffer carried by the loop: no copy, no buffer per tile.
// CHECK-LABEL: func.func @accumulate
// CHECK-SAME: (%[[P:.*]]: memref<4xi32{{.*}}>, %[[ACC:.*]]: memref<4xi32{{.*}}>)
// CHECK-NOT: memref.alloc
// CHECK: scf.for {{.*}} iter_args(%[[BUF:.*]] = %[[ACC]])
// CHECK: ft.partial_sum %[[P]] into %[[BUF]] : memref<4xi32
// CHECK-NOT: memref.copy
// LOWER-LABEL: func.func @accumulate
// LOWER: linalg.generic {{.*}} ins(%{{.*}} : memref<4xi32{{.*}}>) outs(%{{.*}} : memref<4xi32{{.*}}>)
// LOWER: %[[S:.*]] = arith.addi %{{.*}}, %{{.*}} : i32
// LOWER: linalg.yield %[[S]]
// LOWER-NOT: ft.partial_sum
func.func @accumulate(%p: tensor<4xi32>, %acc: tensor<4xi32>) -> tensor<4xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %acc) -> tensor<4xi32> {
    %s = ft.partial_sum %p into %a : tensor<4xi32>
    scf.yield %s : tensor<4xi32>
  }
  return %r : tensor<4xi32>
}
