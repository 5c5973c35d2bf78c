// RUN: ft-opt %s --split-input-file --ft-tile-path="method=ffmt first=neg last=abs axes=1 tiles=2" | FileCheck %s

// A nearest-neighbour 2x upsampling between two elementwise layers: each
// tile of 4 output rows computes only the 2 rows of the first layer its
// indices read, the rows looked up in the index table at the tile's start
// and end (positions kept in the table: a line-buffered tile may compute
// no new rows).
// CHECK-LABEL: func.func @upsample
// CHECK: %[[TABLE:.*]] = arith.constant dense<[0, 0, 1, 1, 2, 2, 3, 3]> : tensor<8xi32>
// CHECK: ft.tile_block ffmt axis 1 [0, 4) [4, 8) (%[[OFF:[a-z0-9_]+]], %[[SIZE:[a-z0-9_]+]])
// CHECK: %[[TILE_INDICES:.*]] = tensor.extract_slice %[[TABLE]][%[[OFF]]] [%[[SIZE]]] [1]
// CHECK: %[[AT:.*]] = affine.min #{{.*}}()[%[[OFF]]]
// CHECK: %[[FIRST:.*]] = tensor.extract %[[TABLE]][%[[AT]]]
// CHECK: %[[LO:.*]] = arith.index_cast %[[FIRST]]
// CHECK: tensor.extract %[[TABLE]]
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %{{.*}}[0, %[[LO]], 0, 0] [1, %{{.*}}, 4, 2]
// CHECK: %[[NEG:.*]] = linalg.negf {{.*}}ins(%[[ROWS]] : tensor<1x?x4x2xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[TILE_INDICES]] : tensor<?xi32>) {{.*}}ft.layers = [#ft.layer<"up">]
// CHECK: %[[ROW:.*]] = arith.index_cast
// CHECK: %[[REL:.*]] = arith.subi %[[ROW]], %[[LO]]
// CHECK: tensor.extract %[[NEG]][%{{.*}}, %[[REL]], %{{.*}}, %{{.*}}] : tensor<1x?x4x2xf32>
// CHECK: linalg.abs
// CHECK-NOT: ft.axis_gather
func.func @upsample(%in: tensor<1x4x4x2xf32>) -> tensor<1x8x4x2xf32> {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %neg = linalg.negf {ft.layers = [#ft.layer<"neg">]} ins(%in : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %up = ft.axis_gather %neg axis 1 indices [0, 0, 1, 1, 2, 2, 3, 3] {ft.layers = [#ft.layer<"up">]} : tensor<1x4x4x2xf32> -> tensor<1x8x4x2xf32>
  %e2 = tensor.empty() : tensor<1x8x4x2xf32>
  %abs = linalg.abs {ft.layers = [#ft.layer<"abs">]} ins(%up : tensor<1x8x4x2xf32>) outs(%e2 : tensor<1x8x4x2xf32>) -> tensor<1x8x4x2xf32>
  return %abs : tensor<1x8x4x2xf32>
}

// -----

// A REFLECT mirror pad of the rows (2 before, 1 after): the indices
// decrease at the borders, so a tile reads from the least index at or
// after its start to the greatest at or before its end (two tables).
// CHECK-LABEL: func.func @mirror_pad
// CHECK-DAG: %[[TABLE:.*]] = arith.constant dense<[2, 1, 0, 1, 2, 3, 2]> : tensor<7xi32>
// CHECK-DAG: %[[LEAST:.*]] = arith.constant dense<[0, 0, 0, 1, 2, 2, 2]> : tensor<7xi32>
// CHECK-DAG: %[[GREATEST:.*]] = arith.constant dense<[2, 2, 2, 2, 2, 3, 3]> : tensor<7xi32>
// CHECK: ft.tile_block ffmt axis 1 [0, 4) [4, 7) (%[[OFF:[a-z0-9_]+]], %[[SIZE:[a-z0-9_]+]])
// CHECK: tensor.extract_slice %[[TABLE]][%[[OFF]]] [%[[SIZE]]]
// CHECK: tensor.extract %[[LEAST]]
// CHECK: tensor.extract %[[GREATEST]]
// CHECK: linalg.negf
// CHECK: linalg.generic
// CHECK: linalg.abs
func.func @mirror_pad(%in: tensor<1x4x4x2xf32>) -> tensor<1x7x4x2xf32> {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %neg = linalg.negf {ft.layers = [#ft.layer<"neg">]} ins(%in : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %pad = ft.axis_gather %neg axis 1 indices [2, 1, 0, 1, 2, 3, 2] {ft.layers = [#ft.layer<"pad">]} : tensor<1x4x4x2xf32> -> tensor<1x7x4x2xf32>
  %e2 = tensor.empty() : tensor<1x7x4x2xf32>
  %abs = linalg.abs {ft.layers = [#ft.layer<"abs">]} ins(%pad : tensor<1x7x4x2xf32>) outs(%e2 : tensor<1x7x4x2xf32>) -> tensor<1x7x4x2xf32>
  return %abs : tensor<1x7x4x2xf32>
}
