// windows=cache beyond chains: a residual block (a value read by two
// readers, one with a halo) and paths that end in partial sums (a global
// pooling, a flatten into a fully connected layer). Every chunk is a path
// from layer c0 to layer c1 in 4 row tiles.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1 tiles=4 windows=cache" | FileCheck %s
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1 tiles=4 windows=cache" --ft-count-macs | FileCheck %s --check-prefix=MACS
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-count-macs | FileCheck %s --check-prefix=MACS
// And the tiled IR computes what the untiled IR computes (the first chunk;
// float sums in the untiled order).
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1 tiles=4 windows=cache" -o %t.all.mlir
// RUN: awk '/^\/\/ -----/{exit} {print}' %t.all.mlir > %t.tiled.mlir
// RUN: awk '/^\/\/ -----/{exit} {print}' %s > %t.untiled.mlir
// RUN: ft-run %t.tiled.mlir --entry=residual --tiling=none --input-random --output %t.tiled.bin
// RUN: ft-run %t.untiled.mlir --entry=residual --tiling=none --input-random --output %t.untiled.bin
// RUN: cmp %t.tiled.bin %t.untiled.bin

// A residual block: the block input %a is read by the second convolution
// (with a halo) and by the add (without). One window covers both; it keeps
// the rows the add has not read yet and the halo: 2 rows.
// CHECK-LABEL: func.func @residual
// CHECK: ft.tile_block ffmt axis 1 {{.*}} caches(%{{.*}} = %{{.*}}) : tensor<1x16x8x4xf32>, tensor<1x2x8x4xf32> {
// CHECK: linalg.conv_2d_nhwc_fhwc
// CHECK: linalg.conv_2d_nhwc_fhwc
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x?x8x4xf32>, tensor<1x?x8x4xf32>)
// CHECK: ft.yield
// MACS: ft.macs = 27648
func.func @residual(%x: tensor<1x16x8x2xf32>) -> tensor<1x16x8x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<4x3x3x4xf32>}> : () -> tensor<4x3x3x4xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %a = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %c = tosa.conv2d %a, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"conv">]} : (tensor<1x16x8x4xf32>, tensor<4x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %y = tosa.add %a, %c {ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x8x4xf32>, tensor<1x16x8x4xf32>) -> tensor<1x16x8x4xf32>
  return %y : tensor<1x16x8x4xf32>
}

// -----

// Into a global average pooling: the tiles add their rows' sums to one
// accumulator (ffmt accumulate) and still cache the convolution's rows.
// CHECK-LABEL: func.func @global_pool
// CHECK: ft.tile_block ffmt accumulate axis 1 {{.*}} caches(%{{.*}} = %{{.*}}) : tensor<1x1x1x4xf32>, tensor<1x2x8x4xf32> {
// CHECK: ft.partial_sum
// CHECK: ft.merge
// MACS: ft.macs = 27648
func.func @global_pool(%x: tensor<1x16x8x2xf32>) -> tensor<1x1x1x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<4x3x3x4xf32>}> : () -> tensor<4x3x3x4xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %a = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %c = tosa.conv2d %a, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"conv">]} : (tensor<1x16x8x4xf32>, tensor<4x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %zpo = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.avg_pool2d %c, %zpo, %zpo {acc_type = f32, kernel = array<i64: 16, 8>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  return %y : tensor<1x1x1x4xf32>
}
