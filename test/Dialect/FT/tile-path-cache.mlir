// ft-tile-path with windows=cache: line buffers. Every chunk is a path
// from layer c0 to layer c1 of hand-written TOSA, in 4 row tiles. The
// rows of an intermediate value that the next tile reads again are kept in
// a cache the tile block carries (caches(...)): each tile reads its kept
// rows from it into the window its reader computes from, computes only the
// rows no earlier tile computed, and leaves the window's last rows for the
// next tile. The cache holds the rows the window overlaps with the next
// one: kernel extent minus stride, dilation included; the pad stays on
// its reader, only its source is cached.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1 tiles=4 windows=cache" | FileCheck %s
// Every row of every layer is computed once: the MACs of the untiled IR.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1 tiles=4 windows=cache" --ft-count-macs | FileCheck %s --check-prefix=MACS
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-count-macs | FileCheck %s --check-prefix=MACS
// A grid: the tiles walk the columns of a band of rows, so the columns are
// cached (the band's rows and halo, 2 columns), and each band starts anew
// (the columns' tables are indexed by the column tile's index); the rows' halo
// between bands is computed again.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1,2 tiles=4,2 windows=cache" | FileCheck %s --check-prefix=GRID
// Recomputing the halos instead costs more.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1 tiles=4" --ft-count-macs | FileCheck %s --check-prefix=RECOMPUTE

// Two 3x3 convolutions, stride 1, SAME: the first one's output, 2 rows.
// Its window per tile, in rows: [low, end), the new ones from start on,
// looked up by the tile's index (ft.tile_index) in constant tables.
// CHECK-LABEL: func.func @same
// CHECK-DAG: %[[ENDS:.*]] = arith.constant dense<[5, 9, 13, 16]> : tensor<4xindex>
// CHECK-DAG: %[[STARTS:.*]] = arith.constant dense<[0, 5, 9, 13]> : tensor<4xindex>
// CHECK-DAG: %[[LOWS:.*]] = arith.constant dense<[0, 3, 7, 11]> : tensor<4xindex>
// CHECK: %[[INIT:.*]] = bufferization.alloc_tensor() : tensor<1x2x8x4xf32>
// CHECK: ft.tile_block ffmt axis 1 [0, 4) [4, 8) [8, 12) [12, 16) (%{{.*}}, %{{.*}}) iter_args(%{{.*}} = %{{.*}}) caches(%[[CACHE:.*]] = %[[INIT]]) : tensor<1x16x8x4xf32>, tensor<1x2x8x4xf32> {
// CHECK-NEXT: %[[KEY:.*]] = ft.tile_index 1
// CHECK: tensor.extract %[[LOWS]][%[[KEY]]]
// CHECK: tensor.extract %[[STARTS]][%[[KEY]]]
// CHECK: tensor.extract %[[ENDS]][%[[KEY]]]
// CHECK: %[[WINDOW:.*]] = tensor.empty(%{{.*}}) : tensor<1x?x8x4xf32>
// CHECK: %[[KEPT:.*]] = tensor.extract_slice %[[CACHE]][0, %{{.*}}, 0, 0] [1, %[[NKEPT:.*]], 8, 4]
// CHECK: %[[W1:.*]] = tensor.insert_slice %[[KEPT]] into %[[WINDOW]][0, 0, 0, 0] [1, %[[NKEPT]], 8, 4]
// The new rows are computed in place, after the kept ones.
// CHECK: %[[DEST:.*]] = tensor.extract_slice %[[W1]][0, %[[NKEPT]], 0, 0] [1, %[[NNEW:.*]], 8, 4]
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}} outs(%{{.*}} : tensor<1x?x8x4xf32>)
// CHECK: %[[W2:.*]] = tensor.insert_slice %{{.*}} into %[[W1]][0, %[[NKEPT]], 0, 0] [1, %[[NNEW]], 8, 4]
// The next tile's cache: the window's last rows (at most 2).
// CHECK: %[[LAST:.*]] = tensor.extract_slice %[[W2]]
// CHECK: %[[NEXT:.*]] = tensor.insert_slice %[[LAST]] into %[[CACHE]]
// The second convolution reads the window, padded at the image borders.
// CHECK: %[[READ:.*]] = tensor.extract_slice %[[W2]]
// CHECK: tensor.pad %[[READ]]
// CHECK: linalg.conv_2d_nhwc_fhwc
// CHECK: ft.yield %{{.*}}, %[[NEXT]] : tensor<1x16x8x4xf32>, tensor<1x2x8x4xf32>
// MACS: ft.macs = 27648
// RECOMPUTE: ft.macs = 31104
// GRID-LABEL: func.func @same
// GRID-DAG: %[[STARTS:.*]] = arith.constant dense<[0, 5]> : tensor<2xindex>
// GRID: ft.tile_block ffmt axis 1 [0, 4) [4, 8) [8, 12) [12, 16), axis 2 [0, 4) [4, 8) (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) iter_args(%{{.*}} = %{{.*}}) caches(%{{.*}} = %{{.*}}) : tensor<1x16x8x4xf32>, tensor<1x6x2x4xf32> {
// GRID-NEXT: %[[KEY:.*]] = ft.tile_index 2
// GRID: tensor.extract %[[STARTS]][%[[KEY]]]
func.func @same(%x: tensor<1x16x8x2xf32>) -> tensor<1x16x8x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<4x3x3x4xf32>}> : () -> tensor<4x3x3x4xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %c1 = tosa.conv2d %c0, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x8x4xf32>, tensor<4x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  return %c1 : tensor<1x16x8x4xf32>
}

// -----

// Stride 2 (TFLite's SAME: one padded row at the bottom): consecutive
// windows overlap by one row.
// CHECK-LABEL: func.func @stride2
// CHECK: ft.tile_block ffmt axis 1 [0, 2) [2, 4) [4, 6) [6, 8) {{.*}} caches(%{{.*}} = %{{.*}}) : tensor<1x8x4x4xf32>, tensor<1x1x8x4xf32> {
// CHECK: linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, {{.*}}strides = dense<2> : tensor<2xi64>}
// MACS: ft.macs = 13824
// RECOMPUTE: ft.macs = 15552
func.func @stride2(%x: tensor<1x16x8x2xf32>) -> tensor<1x8x4x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<4x3x3x4xf32>}> : () -> tensor<4x3x3x4xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %c1 = tosa.conv2d %c0, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x8x4xf32>, tensor<4x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x4x4xf32>
  return %c1 : tensor<1x8x4x4xf32>
}

// -----

// Dilation 2: a 3x3 kernel spans 5 rows; 4 are read again.
// CHECK-LABEL: func.func @dilated
// CHECK: ft.tile_block ffmt axis 1 {{.*}} caches(%{{.*}} = %{{.*}}) : tensor<1x16x8x4xf32>, tensor<1x4x8x4xf32> {
// CHECK: linalg.conv_2d_nhwc_fhwc {dilations = dense<2> : tensor<2xi64>, {{.*}}strides = dense<1> : tensor<2xi64>}
// MACS: ft.macs = 27648
// RECOMPUTE: ft.macs = 34560
func.func @dilated(%x: tensor<1x16x8x2xf32>) -> tensor<1x16x8x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<4x3x3x4xf32>}> : () -> tensor<4x3x3x4xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %c1 = tosa.conv2d %c0, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 2, 2>, pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x8x4xf32>, tensor<4x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  return %c1 : tensor<1x16x8x4xf32>
}

// -----

// VALID: no padding anywhere; the windows overlap by 2 rows all the same.
// CHECK-LABEL: func.func @valid
// CHECK: ft.tile_block ffmt axis 1 [0, 3) [3, 6) [6, 9) [9, 12) {{.*}} caches(%{{.*}} = %{{.*}}) : tensor<1x12x4x4xf32>, tensor<1x2x6x4xf32> {
// CHECK-NOT: tensor.pad
// CHECK: ft.yield
// MACS: ft.macs = 12960
// RECOMPUTE: ft.macs = 15552
func.func @valid(%x: tensor<1x16x8x2xf32>) -> tensor<1x12x4x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<4x3x3x4xf32>}> : () -> tensor<4x3x3x4xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x14x6x4xf32>
  %c1 = tosa.conv2d %c0, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x14x6x4xf32>, tensor<4x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x12x4x4xf32>
  return %c1 : tensor<1x12x4x4xf32>
}

// -----

// A 3x3 max pooling, stride 1, padded: pooling windows are cached alike.
// CHECK-LABEL: func.func @maxpool
// CHECK: ft.tile_block ffmt axis 1 {{.*}} caches(%{{.*}} = %{{.*}}) : tensor<1x16x8x4xf32>, tensor<1x2x8x4xf32> {
// CHECK: linalg.pooling_nhwc_max
// MACS: ft.macs = 9216
// RECOMPUTE: ft.macs = 12672
func.func @maxpool(%x: tensor<1x16x8x2xf32>) -> tensor<1x16x8x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %c1 = tosa.max_pool2d %c0 {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x8x4xf32>) -> tensor<1x16x8x4xf32>
  return %c1 : tensor<1x16x8x4xf32>
}

// -----

// Where no window overlaps the next tile's (1x1 convolutions), nothing is
// cached: the tiles are those of windows=recompute.
// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: caches
// CHECK: ft.tile_block ffmt axis 1 [0, 4) [4, 8) [8, 12) [12, 16) (%{{.*}}, %{{.*}}) iter_args(%{{.*}} = %{{.*}}) : tensor<1x16x8x4xf32> {
// CHECK-NOT: caches
// MACS: ft.macs = 3072
// RECOMPUTE: ft.macs = 3072
func.func @pointwise(%x: tensor<1x16x8x2xf32>) -> tensor<1x16x8x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x1x1x2xf32>}> : () -> tensor<4x1x1x2xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %c1 = tosa.conv2d %c0, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x8x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  return %c1 : tensor<1x16x8x4xf32>
}
