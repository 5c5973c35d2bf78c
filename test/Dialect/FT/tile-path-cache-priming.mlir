// ft-tile-path with windows=cache and prime=P: a skewed line-buffer
// schedule. Without priming tiles the first tile computes every layer down
// to its first output rows at once (here c0's first 4 rows and c1's first 3
// for c2's first 2), and its windows are the largest of all tiles. With
// prime=2 the walking axis starts with two empty tiles, in which each
// cached value runs ahead of its readers by at most the rows it advances
// per tile: no tile computes more than 2 rows of any layer. Every row is
// still computed once (the MACs of the untiled IR); the results are the
// untiled ones (tile-path-cache-priming-run.test).
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c2 axes=1 tiles=8 windows=cache prime=2" | FileCheck %s
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c2 axes=1 tiles=8 windows=cache prime=2" --ft-count-macs | FileCheck %s --check-prefix=MACS
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-count-macs | FileCheck %s --check-prefix=MACS
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c2 axes=1 tiles=8 windows=cache" | FileCheck %s --check-prefix=UNSKEWED
// steps=2: each output tile after an empty one, so that a layer advances
// half its rows per output tile in each.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c2 axes=1 tiles=8 windows=cache prime=1 steps=2" | FileCheck %s --check-prefix=STEPS
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c2 axes=1 tiles=8 windows=cache prime=1 steps=2" --ft-count-macs | FileCheck %s --check-prefix=MACS

// Three 3x3 convolutions, stride 1, SAME. The tables (low, first new row,
// end, per tile index) of c1's rows, read by c2, and of c0's, read by c1.
// CHECK-LABEL: func.func @chain
// CHECK-DAG: arith.constant dense<[0, 0, 0, 1, 3, 5, 7, 9, 11, 13]> : tensor<10xindex>
// CHECK-DAG: arith.constant dense<[0, 0, 1, 3, 5, 7, 9, 11, 13, 15]> : tensor<10xindex>
// CHECK-DAG: arith.constant dense<[0, 1, 3, 5, 7, 9, 11, 13, 15, 16]> : tensor<10xindex>
// CHECK-DAG: arith.constant dense<[0, 0, 0, 2, 4, 6, 8, 10, 12, 14]> : tensor<10xindex>
// CHECK-DAG: arith.constant dense<[0, 0, 2, 4, 6, 8, 10, 12, 14, 16]> : tensor<10xindex>
// CHECK-DAG: arith.constant dense<[0, 2, 4, 6, 8, 10, 12, 14, 16, 16]> : tensor<10xindex>
// CHECK: ft.tile_block ffmt axis 1 [0, 0) [0, 0) [0, 2) [2, 4) [4, 6) [6, 8) [8, 10) [10, 12) [12, 14) [14, 16) ({{.*}}) iter_args({{.*}}) caches({{.*}}) : tensor<1x16x4x2xf32>, tensor<1x2x4x2xf32>, tensor<1x2x4x2xf32> {
// CHECK-NEXT: ft.tile_index 1
// MACS: ft.macs = 6912
// STEPS-LABEL: func.func @chain
// STEPS: ft.tile_block ffmt axis 1 [0, 0) [0, 0) [0, 2) [2, 2) [2, 4) [4, 4) [4, 6) [6, 6) [6, 8) [8, 8) [8, 10) [10, 10) [10, 12) [12, 12) [12, 14) [14, 14) [14, 16) (
// The first tile without priming: c0's rows [0, 4), c1's [0, 3).
// UNSKEWED-LABEL: func.func @chain
// UNSKEWED-DAG: arith.constant dense<[4, 6, 8, 10, 12, 14, 16, 16]> : tensor<8xindex>
// UNSKEWED-DAG: arith.constant dense<[3, 5, 7, 9, 11, 13, 15, 16]> : tensor<8xindex>
func.func @chain(%x: tensor<1x16x4x2xf32>) -> tensor<1x16x4x2xf32> {
  %w = "tosa.const"() <{values = dense<0.25> : tensor<2x3x3x2xf32>}> : () -> tensor<2x3x3x2xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x4x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x4x2xf32>
  %c1 = tosa.conv2d %c0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x4x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x4x2xf32>
  %c2 = tosa.conv2d %c1, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c2">]} : (tensor<1x16x4x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x4x2xf32>
  return %c2 : tensor<1x16x4x2xf32>
}

// -----

// c2 at stride 2 (TFLite's SAME: one padded row at the bottom): c1, which
// it reads, advances two rows per output row, c0 two as well; c1's cache
// keeps one row (kernel extent minus stride), c0's two.
// CHECK-LABEL: func.func @stride2
// CHECK-DAG: arith.constant dense<[0, 0, 1, 3, 5, 7, 9, 11, 13, 15]> : tensor<10xindex>
// CHECK-DAG: arith.constant dense<[0, 1, 3, 5, 7, 9, 11, 13, 15, 16]> : tensor<10xindex>
// CHECK-DAG: arith.constant dense<[0, 2, 4, 6, 8, 10, 12, 14, 16, 16]> : tensor<10xindex>
// CHECK: ft.tile_block ffmt axis 1 [0, 0) [0, 0) [0, 1) [1, 2) [2, 3) [3, 4) [4, 5) [5, 6) [6, 7) [7, 8) ({{.*}}) iter_args({{.*}}) caches({{.*}}) : tensor<1x8x2x2xf32>, tensor<1x1x4x2xf32>, tensor<1x2x4x2xf32> {
// MACS: ft.macs = 5184
// c0 and c1 advance one row per tile (two per output row).
// STEPS-LABEL: func.func @stride2
// STEPS-DAG: arith.constant dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15, 16]> : tensor<17xindex>
// STEPS-DAG: arith.constant dense<[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16]> : tensor<17xindex>
// STEPS: ft.tile_block ffmt axis 1 [0, 0) [0, 0) [0, 1) [1, 1) [1, 2) [2, 2) [2, 3) [3, 3) [3, 4) [4, 4) [4, 5) [5, 5) [5, 6) [6, 6) [6, 7) [7, 7) [7, 8) (
func.func @stride2(%x: tensor<1x16x4x2xf32>) -> tensor<1x8x2x2xf32> {
  %w = "tosa.const"() <{values = dense<0.25> : tensor<2x3x3x2xf32>}> : () -> tensor<2x3x3x2xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x4x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x4x2xf32>
  %c1 = tosa.conv2d %c0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x4x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x4x2xf32>
  %c2 = tosa.conv2d %c1, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>, ft.layers = [#ft.layer<"c2">]} : (tensor<1x16x4x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x2x2xf32>
  return %c2 : tensor<1x8x2x2xf32>
}
