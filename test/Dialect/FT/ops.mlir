// RUN: ft-opt %s | FileCheck %s
// Round trip: printing and parsing again gives the same IR.
// RUN: ft-opt %s | ft-opt | FileCheck %s
// RUN: ft-opt %s --mlir-print-op-generic | ft-opt | FileCheck %s

// FFMT: a 10-row result in 3 uneven tiles, the iter_arg the output being
// assembled.
// CHECK-LABEL: func.func @ffmt_uneven
// CHECK: %[[R:.*]] = ft.tile_block ffmt axis 1 [0, 4) [4, 7) [7, 10) (%[[OFF:.*]], %[[SIZE:.*]]) iter_args(%[[OUT:.*]] = %{{.*}}) : tensor<1x10x8x4xi8> {
// CHECK: tensor.insert_slice %{{.*}} into %[[OUT]][0, %[[OFF]], 0, 0] [1, %[[SIZE]], 8, 4] [1, 1, 1, 1]
// CHECK: ft.yield %{{.*}} : tensor<1x10x8x4xi8>
// CHECK: return %[[R]]
func.func @ffmt_uneven(%in: tensor<1x10x8x4xi8>) -> tensor<1x10x8x4xi8> {
  %init = tensor.empty() : tensor<1x10x8x4xi8>
  %r = ft.tile_block ffmt axis 1 [0, 4) [4, 7) [7, 10) (%off, %size)
      iter_args(%out = %init) : tensor<1x10x8x4xi8> {
    %tile = tensor.extract_slice %in[0, %off, 0, 0] [1, %size, 8, 4] [1, 1, 1, 1]
        : tensor<1x10x8x4xi8> to tensor<1x?x8x4xi8>
    %next = tensor.insert_slice %tile into %out[0, %off, 0, 0] [1, %size, 8, 4] [1, 1, 1, 1]
        : tensor<1x?x8x4xi8> into tensor<1x10x8x4xi8>
    ft.yield %next : tensor<1x10x8x4xi8>
  }
  return %r : tensor<1x10x8x4xi8>
}

// Line buffers: a cache of 2 rows carried after the output; the results
// are the output and the cache the last tile left.
// CHECK-LABEL: func.func @ffmt_cache
// CHECK: %[[R:.*]]:2 = ft.tile_block ffmt axis 1 [0, 4) [4, 8) (%{{.*}}, %{{.*}}) iter_args(%[[OUT:.*]] = %{{.*}}) caches(%[[CACHE:.*]] = %{{.*}}) : tensor<1x8x4x2xi8>, tensor<1x2x4x2xi8> {
// CHECK: ft.yield %[[OUT]], %[[CACHE]] : tensor<1x8x4x2xi8>, tensor<1x2x4x2xi8>
// CHECK: return %[[R]]#0
func.func @ffmt_cache(%init: tensor<1x8x4x2xi8>, %rows: tensor<1x2x4x2xi8>) -> tensor<1x8x4x2xi8> {
  %r:2 = ft.tile_block ffmt axis 1 [0, 4) [4, 8) (%off, %size)
      iter_args(%out = %init) caches(%cache = %rows) : tensor<1x8x4x2xi8>, tensor<1x2x4x2xi8> {
    ft.yield %out, %cache : tensor<1x8x4x2xi8>, tensor<1x2x4x2xi8>
  }
  return %r#0 : tensor<1x8x4x2xi8>
}

// A skewed line-buffer schedule: two empty priming tiles, and the rows a
// tile keeps looked up by its index along the split axis.
// CHECK-LABEL: func.func @ffmt_priming
// CHECK: ft.tile_block ffmt axis 1 [0, 0) [0, 0) [0, 4) [4, 8) (%{{.*}}, %{{.*}}) iter_args(%{{.*}} = %{{.*}}) caches(%{{.*}} = %{{.*}}) : tensor<1x8x4x2xi8>, tensor<1x2x4x2xi8> {
// CHECK-NEXT: %[[T:.*]] = ft.tile_index 1
// CHECK-NEXT: tensor.extract %{{.*}}[%[[T]]] : tensor<4xindex>
func.func @ffmt_priming(%init: tensor<1x8x4x2xi8>, %rows: tensor<1x2x4x2xi8>) -> tensor<1x8x4x2xi8> {
  %kept = arith.constant dense<[0, 1, 2, 2]> : tensor<4xindex>
  %r:2 = ft.tile_block ffmt axis 1 [0, 0) [0, 0) [0, 4) [4, 8) (%off, %size)
      iter_args(%out = %init) caches(%cache = %rows) : tensor<1x8x4x2xi8>, tensor<1x2x4x2xi8> {
    %t = ft.tile_index 1
    %k = tensor.extract %kept[%t] : tensor<4xindex>
    ft.yield %out, %cache : tensor<1x8x4x2xi8>, tensor<1x2x4x2xi8>
  }
  return %r#0 : tensor<1x8x4x2xi8>
}

// A 2-D grid: rows and columns, 2 x 2 tiles, with attributes.
// CHECK-LABEL: func.func @ffmt_grid
// CHECK: ft.tile_block ffmt axis 1 [0, 4) [4, 8), axis 2 [0, 3) [3, 8) (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) iter_args(%{{.*}} = %{{.*}}) : tensor<1x8x8x4xi8> attributes {note = "grid"} {
func.func @ffmt_grid(%init: tensor<1x8x8x4xi8>) -> tensor<1x8x8x4xi8> {
  %r = ft.tile_block ffmt axis 1 [0, 4) [4, 8), axis 2 [0, 3) [3, 8)
      (%o1, %s1, %o2, %s2) iter_args(%out = %init) : tensor<1x8x8x4xi8>
      attributes {note = "grid"} {
    ft.yield %out : tensor<1x8x8x4xi8>
  }
  return %r : tensor<1x8x8x4xi8>
}

// FDT: 64 channels in 3 tiles; each adds its partial sum to the int32
// accumulator; the merge finishes the sum once.
// CHECK-LABEL: func.func @fdt
// CHECK: %[[ACC:.*]] = ft.tile_block fdt axis 3 [0, 22) [22, 43) [43, 64) (%{{.*}}, %{{.*}}) iter_args(%[[A:.*]] = %{{.*}}) : tensor<1x5x5x8xi32> {
// CHECK: %[[NEXT:.*]] = ft.partial_sum %{{.*}} into %[[A]] : tensor<1x5x5x8xi32>
// CHECK: ft.yield %[[NEXT]] : tensor<1x5x5x8xi32>
// CHECK: ft.merge %[[ACC]] : tensor<1x5x5x8xi32> -> tensor<1x5x5x8xi8> {
// CHECK: ^bb0(%[[SUM:.*]]: tensor<1x5x5x8xi32>):
// CHECK: ft.yield %{{.*}} : tensor<1x5x5x8xi8>
func.func @fdt(%partial: tensor<1x5x5x8xi32>, %zero: tensor<1x5x5x8xi32>) -> tensor<1x5x5x8xi8> {
  %acc = ft.tile_block fdt axis 3 [0, 22) [22, 43) [43, 64) (%off, %size)
      iter_args(%a = %zero) : tensor<1x5x5x8xi32> {
    %next = ft.partial_sum %partial into %a : tensor<1x5x5x8xi32>
    ft.yield %next : tensor<1x5x5x8xi32>
  }
  %r = ft.merge %acc : tensor<1x5x5x8xi32> -> tensor<1x5x5x8xi8> {
  ^bb0(%sum: tensor<1x5x5x8xi32>):
    %t = arith.trunci %sum : tensor<1x5x5x8xi32> to tensor<1x5x5x8xi8>
    ft.yield %t : tensor<1x5x5x8xi8>
  }
  return %r : tensor<1x5x5x8xi8>
}

// FFMT over a global pooling: every tile adds to the accumulator.
// CHECK-LABEL: func.func @ffmt_accumulate
// CHECK: ft.tile_block ffmt accumulate axis 1 [0, 3) [3, 7) (%{{.*}}, %{{.*}}) iter_args(%{{.*}} = %{{.*}}) : tensor<1x1x1x8xi32> {
func.func @ffmt_accumulate(%partial: tensor<1x1x1x8xi32>, %zero: tensor<1x1x1x8xi32>) -> tensor<1x1x1x8xi32> {
  %acc = ft.tile_block ffmt accumulate axis 1 [0, 3) [3, 7) (%off, %size)
      iter_args(%a = %zero) : tensor<1x1x1x8xi32> {
    %next = ft.partial_sum %partial into %a : tensor<1x1x1x8xi32>
    ft.yield %next : tensor<1x1x1x8xi32>
  }
  return %acc : tensor<1x1x1x8xi32>
}

// On buffers a partial sum adds in place and returns nothing.
// CHECK-LABEL: func.func @partial_sum_buffers
// CHECK: ft.partial_sum %{{.*}} into %{{.*}} : memref<4xf32>
func.func @partial_sum_buffers(%p: memref<4xf32>, %acc: memref<4xf32>) {
  ft.partial_sum %p into %acc : memref<4xf32>
  return
}

// ft.axis_gather: a resize's rows and a mirror pad's columns.
// CHECK-LABEL: func.func @axis_gather
// CHECK: ft.axis_gather %{{.*}} axis 1 indices [0, 0, 1, 1, 2, 2] : tensor<1x3x4x8xi8> -> tensor<1x6x4x8xi8>
// CHECK: ft.axis_gather %{{.*}} axis 2 indices [2, 1, 0, 1, 2, 3, 2] : tensor<1x6x4x8xi8> -> tensor<1x6x7x8xi8>
func.func @axis_gather(%x: tensor<1x3x4x8xi8>) -> tensor<1x6x7x8xi8> {
  %rows = ft.axis_gather %x axis 1 indices [0, 0, 1, 1, 2, 2]
      : tensor<1x3x4x8xi8> -> tensor<1x6x4x8xi8>
  %padded = ft.axis_gather %rows axis 2 indices [2, 1, 0, 1, 2, 3, 2]
      : tensor<1x6x4x8xi8> -> tensor<1x6x7x8xi8>
  return %padded : tensor<1x6x7x8xi8>
}
