// RUN: ft-opt %s --split-input-file --ft-lower-tile-blocks | FileCheck %s

// Equal tiles: offset = 4 * tile, size = 4; one scf.for carrying the output.
// CHECK-DAG: #[[TIMES4:.*]] = affine_map<(d0) -> (d0 * 4)>
// CHECK-LABEL: func.func @equal
// CHECK: %[[R:.*]] = scf.for %[[T:.*]] = %c0 to %c2 step %c1 iter_args(%[[OUT:.*]] = %{{.*}}) -> (tensor<8xi8>) {
// CHECK: %[[OFF:.*]] = affine.apply #[[TIMES4]](%[[T]])
// CHECK: tensor.extract_slice %{{.*}}[%[[OFF]]] [%c4] [1]
// CHECK: scf.yield
// CHECK: return %[[R]]
func.func @equal(%in: tensor<8xi8>, %init: tensor<8xi8>) -> tensor<8xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 4) [4, 8) (%off, %size) iter_args(%out = %init) : tensor<8xi8> {
    %t = tensor.extract_slice %in[%off] [%size] [1] : tensor<8xi8> to tensor<?xi8>
    %n = tensor.insert_slice %t into %out[%off] [%size] [1] : tensor<?xi8> into tensor<8xi8>
    ft.yield %n : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

// Balanced uneven tiles (3, 3, 2, 2 of 10): offset = 2i + min(i, 2),
// size = 2 + min(i + 1, 2) - min(i, 2).
// CHECK-DAG: #[[MINI:.*]] = affine_map<(d0) -> (d0, 2)>
// CHECK-DAG: #[[MINNEXT:.*]] = affine_map<(d0) -> (d0 + 1, 2)>
// CHECK-LABEL: func.func @balanced
// CHECK: scf.for %[[T:.*]] = %c0 to %c4 step %c1
// CHECK: affine.min #[[MINI]](%[[T]])
// CHECK: affine.min #[[MINNEXT]](%[[T]])
func.func @balanced(%in: tensor<10xi8>, %init: tensor<10xi8>) -> tensor<10xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 3) [3, 6) [6, 8) [8, 10) (%off, %size) iter_args(%out = %init) : tensor<10xi8> {
    %t = tensor.extract_slice %in[%off] [%size] [1] : tensor<10xi8> to tensor<?xi8>
    %n = tensor.insert_slice %t into %out[%off] [%size] [1] : tensor<?xi8> into tensor<10xi8>
    ft.yield %n : tensor<10xi8>
  }
  return %r : tensor<10xi8>
}

// -----

// Balanced in groups of 2 (FDT through a depthwise layer with channel
// multiplier 2): 4, 2, 2 of 8 channels are 2, 1, 1 groups, so
// offset = 2 * (i + min(i, 1)), size = 2 * (1 + min(i + 1, 1) - min(i, 1)).
// CHECK-DAG: #[[GMINI:.*]] = affine_map<(d0) -> (d0, 1)>
// CHECK-DAG: #[[GMINNEXT:.*]] = affine_map<(d0) -> (d0 + 1, 1)>
// CHECK-DAG: #[[GOFFSET:.*]] = affine_map<(d0, d1) -> ((d0 + d1) * 2)>
// CHECK-DAG: #[[GSIZE:.*]] = affine_map<(d0, d1, d2) -> ((d2 - d1 + 1) * 2)>
// CHECK-LABEL: func.func @balanced_groups
// CHECK-NOT: arith.constant dense
// CHECK: scf.for %[[T:.*]] = %c0 to %c3 step %c1
// CHECK: %[[MINI:.*]] = affine.min #[[GMINI]](%[[T]])
// CHECK: %[[MINNEXT:.*]] = affine.min #[[GMINNEXT]](%[[T]])
// CHECK: affine.apply #[[GOFFSET]](%[[T]], %[[MINI]])
// CHECK: affine.apply #[[GSIZE]](%[[T]], %[[MINI]], %[[MINNEXT]])
func.func @balanced_groups(%in: tensor<8xi8>, %init: tensor<8xi8>) -> tensor<8xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 4) [4, 6) [6, 8) (%off, %size) iter_args(%out = %init) : tensor<8xi8> {
    %t = tensor.extract_slice %in[%off] [%size] [1] : tensor<8xi8> to tensor<?xi8>
    %n = tensor.insert_slice %t into %out[%off] [%size] [1] : tensor<?xi8> into tensor<8xi8>
    ft.yield %n : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

// Any other ranges: tables of offsets and sizes.
// CHECK-LABEL: func.func @table
// CHECK-DAG: %[[OFFSETS:.*]] = arith.constant dense<[0, 1, 7]> : tensor<3xindex>
// CHECK-DAG: %[[SIZES:.*]] = arith.constant dense<[1, 6, 1]> : tensor<3xindex>
// CHECK: scf.for %[[T:.*]] = %c0 to %c3 step %c1
// CHECK: tensor.extract %[[OFFSETS]][%{{.*}}] : tensor<3xindex>
// CHECK: tensor.extract %[[SIZES]][%{{.*}}] : tensor<3xindex>
func.func @table(%in: tensor<8xi8>, %init: tensor<8xi8>) -> tensor<8xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 1) [1, 7) [7, 8) (%off, %size) iter_args(%out = %init) : tensor<8xi8> {
    %t = tensor.extract_slice %in[%off] [%size] [1] : tensor<8xi8> to tensor<?xi8>
    %n = tensor.insert_slice %t into %out[%off] [%size] [1] : tensor<?xi8> into tensor<8xi8>
    ft.yield %n : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

// A 2 x 3 grid, row-major: axis 0's tile is t floordiv 3, axis 1's t mod 3.
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0) -> (d0 floordiv 3)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0) -> (d0 mod 3)>
// CHECK-LABEL: func.func @grid
// CHECK: scf.for %[[T:.*]] = %c0 to %c6 step %c1
// CHECK: affine.apply #[[ROW]](%[[T]])
// CHECK: affine.apply #[[COL]](%[[T]])
func.func @grid(%in: tensor<4x6xi8>, %init: tensor<4x6xi8>) -> tensor<4x6xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 2) [2, 4), axis 1 [0, 2) [2, 4) [4, 6) (%o0, %s0, %o1, %s1) iter_args(%out = %init) : tensor<4x6xi8> {
    %t = tensor.extract_slice %in[%o0, %o1] [%s0, %s1] [1, 1] : tensor<4x6xi8> to tensor<?x?xi8>
    %n = tensor.insert_slice %t into %out[%o0, %o1] [%s0, %s1] [1, 1] : tensor<?x?xi8> into tensor<4x6xi8>
    ft.yield %n : tensor<4x6xi8>
  }
  return %r : tensor<4x6xi8>
}

// -----

// FDT: the partial (a matmul accumulating into zeros) accumulates into the
// carried accumulator directly; the merge is inlined.
// CHECK-LABEL: func.func @fdt
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[ACC:.*]] = scf.for {{.*}} iter_args(%[[CARRIED:.*]] = %[[ZERO]]) -> (tensor<1x4xi32>) {
// CHECK: %[[NEXT:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x?xi32>, tensor<?x4xi32>) outs(%[[CARRIED]] : tensor<1x4xi32>)
// CHECK-NOT: ft.partial_sum
// CHECK: scf.yield %[[NEXT]]
// CHECK-NOT: ft.merge
// CHECK: %[[FINAL:.*]] = arith.addi %[[ACC]], %{{.*}} : tensor<1x4xi32>
// CHECK: return %[[FINAL]]
func.func @fdt(%a: tensor<1x8xi32>, %b: tensor<8x4xi32>, %bias: tensor<1x4xi32>) -> tensor<1x4xi32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4xi32>
  %zero = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x4xi32>) -> tensor<1x4xi32>
  %acc = ft.tile_block fdt axis 1 [0, 4) [4, 8) (%off, %size) iter_args(%carried = %zero) : tensor<1x4xi32> {
    %as = tensor.extract_slice %a[0, %off] [1, %size] [1, 1] : tensor<1x8xi32> to tensor<1x?xi32>
    %bs = tensor.extract_slice %b[%off, 0] [%size, 4] [1, 1] : tensor<8x4xi32> to tensor<?x4xi32>
    %p = linalg.matmul ins(%as, %bs : tensor<1x?xi32>, tensor<?x4xi32>) outs(%zero : tensor<1x4xi32>) -> tensor<1x4xi32>
    %s = ft.partial_sum %p into %carried : tensor<1x4xi32>
    ft.yield %s : tensor<1x4xi32>
  }
  %r = ft.merge %acc : tensor<1x4xi32> -> tensor<1x4xi32> {
  ^bb0(%sum: tensor<1x4xi32>):
    %f = arith.addi %sum, %bias : tensor<1x4xi32>
    ft.yield %f : tensor<1x4xi32>
  }
  return %r : tensor<1x4xi32>
}

// -----

// A partial sum whose partial is not computed into zeros stays.
// CHECK-LABEL: func.func @kept
// CHECK: ft.partial_sum %{{.*}} into %{{.*}} : tensor<4xf32>
func.func @kept(%p: tensor<4xf32>, %acc: tensor<4xf32>) -> tensor<4xf32> {
  %r = ft.partial_sum %p into %acc : tensor<4xf32>
  return %r : tensor<4xf32>
}
