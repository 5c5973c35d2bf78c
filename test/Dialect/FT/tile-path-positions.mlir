// Hand-written linalg with no layers (no ft.layers, no locations): paths
// are named by position, @k being the k-th op (from 0) that computes from
// the function's arguments: @0 the pad, @1 the first convolution, @2 the
// ReLU, @3 the second convolution. Both methods tile it, and the tiled IR
// computes what the untiled IR computes.
// RUN: ft-opt %s --ft-tile-path="method=ffmt first=@1 last=@3 axes=1 tiles=3" | FileCheck %s --check-prefix=FFMT
// RUN: ft-opt %s --ft-tile-path="method=fdt first=@1 last=@3 tiles=2" | FileCheck %s --check-prefix=FDT
// The same paths written as ft-run's and ft-compile's --tile-path.
// RUN: ft-opt %s --ft-tile-path="spec='ffmt first=@1 last=@3 axes=1 tiles=3'" | FileCheck %s --check-prefix=FFMT
// RUN: ft-opt %s --ft-tile-path="spec='fdt first=@1 last=@3 tiles=2'" | FileCheck %s --check-prefix=FDT
// RUN: not ft-opt %s --ft-tile-path="spec='fdt first=@1 last=@3 tiles=2' tiles=3" 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: error: ft-tile-path: give the path either as spec=... or as first=, last=, axes=, tiles=, not both
// RUN: ft-opt %s --ft-tile-path="method=ffmt first=@1 last=@3 axes=1 tiles=3" -o %t.ffmt.mlir
// RUN: ft-opt %s --ft-tile-path="method=fdt first=@1 last=@3 tiles=2" -o %t.fdt.mlir
// RUN: ft-run %s --input-random --output %t.untiled.bin
// RUN: ft-run %t.ffmt.mlir --input-random --output %t.ffmt.bin
// RUN: ft-run %t.fdt.mlir --input-random --output %t.fdt.bin
// RUN: cmp %t.untiled.bin %t.ffmt.bin
// RUN: cmp %t.untiled.bin %t.fdt.bin
// A position past the last op, and a name where no op has layers.
// RUN: not ft-opt %s --ft-tile-path="method=ffmt first=@1 last=@9 tiles=2" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not ft-opt %s --ft-tile-path="method=ffmt first=conv last=@3 tiles=2" 2>&1 | FileCheck %s --check-prefix=NOLAYERS

// FFMT-LABEL: func.func @main
// FFMT: ft.tile_block ffmt axis 1 [0, 3) [3, 6) [6, 8)
// FFMT: linalg.conv_2d_nhwc_fhwc {{.*}} -> tensor<1x?x8x4xi32>
// FFMT: linalg.conv_2d_nhwc_fhwc {{.*}} -> tensor<1x?x8x3xi32>
// FFMT: ft.yield

// FDT-LABEL: func.func @main
// FDT: ft.tile_block fdt axis 3 [0, 2) [2, 4)
// FDT: ft.partial_sum
// FDT: ft.merge

// RANGE: error: no op at position '@9': @k counts from 0 the 4 ops of the function that compute from its arguments
// NOLAYERS: error: ft-tile-path: no op produces the path's first tensor 'conv'; no op of this IR belongs to a layer (ft.layers): name ops by position, @k for the k-th op (from 0) that computes from the function's arguments

func.func @main(%in: tensor<1x8x8x2xi32>) -> tensor<1x8x8x3xi32> {
  %zero = arith.constant 0 : i32
  %w0 = arith.constant dense<[[[[1, -2], [3, 1], [0, 2]], [[2, 1], [-1, 1], [1, 1]], [[1, 0], [2, -3], [1, 2]]], [[[0, 1], [1, 1], [2, 0]], [[1, -1], [1, 2], [0, 1]], [[3, 1], [1, 0], [-2, 1]]], [[[1, 1], [0, 1], [1, -1]], [[2, 2], [1, 0], [0, 1]], [[1, 3], [-1, 1], [1, 1]]], [[[2, 0], [1, 1], [0, 1]], [[1, 1], [2, -1], [1, 0]], [[0, 1], [1, 1], [3, 2]]]]> : tensor<4x3x3x2xi32>
  %w1 = arith.constant dense<[[[[1, 2, -1, 0]]], [[[0, 1, 1, 2]]], [[[2, -1, 0, 1]]]]> : tensor<3x1x1x4xi32>
  %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : i32
  } : tensor<1x8x8x2xi32> to tensor<1x10x10x2xi32>
  %e0 = tensor.empty() : tensor<1x8x8x4xi32>
  %f0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %c0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w0 : tensor<1x10x10x2xi32>, tensor<4x3x3x2xi32>) outs(%f0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %e1 = tensor.empty() : tensor<1x8x8x4xi32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x8x8x4xi32>) outs(%e1 : tensor<1x8x8x4xi32>) {
  ^bb0(%x: i32, %o: i32):
    %m = arith.maxsi %x, %zero : i32
    linalg.yield %m : i32
  } -> tensor<1x8x8x4xi32>
  %e2 = tensor.empty() : tensor<1x8x8x3xi32>
  %f2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  %c1 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%relu, %w1 : tensor<1x8x8x4xi32>, tensor<3x1x1x4xi32>) outs(%f2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  return %c1 : tensor<1x8x8x3xi32>
}
