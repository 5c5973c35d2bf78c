// RUN: ft-opt %s --split-input-file --ft-lower-axis-gathers | FileCheck %s

// The whole result is one tile: a linalg.generic reading the index table
// and extracting from the rows the indices span (here from row 1: the
// input slice starts there), keeping ft.layers.
// CHECK-LABEL: func.func @columns
// CHECK: %[[TABLE:.*]] = arith.constant dense<[1, 1, 2, 3]> : tensor<4xi32>
// CHECK: %[[TILE:.*]] = tensor.extract_slice %[[TABLE]][0] [4] [1]
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %{{.*}}[0, 0, 1, 0] [1, 2, 3, 5] [1, 1, 1, 1] : tensor<1x2x4x5xi8> to tensor<1x2x3x5xi8>
// CHECK: linalg.generic {{.*}} ins(%[[TILE]] : tensor<4xi32>) outs(%{{.*}} : tensor<1x2x4x5xi8>) {{.*}}ft.layers = [#ft.layer<"up">]
// CHECK: ^bb0(%[[ROW:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[I:.*]] = arith.index_cast %[[ROW]] : i32 to index
// CHECK: %[[REL:.*]] = arith.subi %[[I]], %c1
// CHECK: %[[V:.*]] = tensor.extract %[[ROWS]][%{{.*}}, %{{.*}}, %[[REL]], %{{.*}}]
// CHECK: linalg.yield %[[V]]
// CHECK-NOT: ft.axis_gather
func.func @columns(%x: tensor<1x2x4x5xi8>) -> tensor<1x2x4x5xi8> {
  %r = ft.axis_gather %x axis 2 indices [1, 1, 2, 3] {ft.layers = [#ft.layer<"up">]} : tensor<1x2x4x5xi8> -> tensor<1x2x4x5xi8>
  return %r : tensor<1x2x4x5xi8>
}
