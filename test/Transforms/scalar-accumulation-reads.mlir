// How ft-scalar-accumulation reads a padded input, on layers as
// ft-tosa-to-linalg and ft-tile-path leave them. Where the bounds check does
// not change in the innermost reduction loop (a convolution summing its
// input channels), the indices are clamped and the value selected, which
// LLVM hoists out of that loop; where it does (a depthwise convolution's
// window), a branch around the load costs fewer instructions. Inside tiles
// the source has a dynamic size: it is clamped only when every tile that
// computes anything reads a non-empty source. Where the check is per element,
// output elements whose whole window is inside skip it.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg | ft-opt --split-input-file --pass-pipeline='builtin.module(func.func(ft-scalar-accumulation))' | FileCheck %s --check-prefix=UNTILED
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1 tiles=4" | ft-opt --split-input-file --pass-pipeline='builtin.module(func.func(ft-lower-tile-blocks{loops=false}),canonicalize,func.func(ft-scalar-accumulation))' | FileCheck %s --check-prefix=TILED
// With line buffers (7 tiles), the windows the
// tables give are non-empty too.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=c1 axes=1 tiles=7 windows=cache" | ft-opt --split-input-file --pass-pipeline='builtin.module(func.func(ft-lower-tile-blocks{loops=false}),canonicalize,func.func(ft-scalar-accumulation))' | FileCheck %s --check-prefix=CACHE

// UNTILED-LABEL: func.func @convolutions
// The 3x3 convolution over 2 channels: clamped and selected.
// UNTILED: scf.for
// UNTILED: scf.for
// UNTILED: scf.for
// UNTILED: arith.minsi
// UNTILED: arith.select
// The depthwise convolution: one check per output element whether its
// whole window is inside the image; there a nest without checks, at the
// border a branch per element.
// UNTILED: scf.if %{{.*}} -> (f32) {
// UNTILED-NEXT: scf.for
// UNTILED: scf.for
// UNTILED-NOT: scf.if
// UNTILED: tensor.extract
// UNTILED: } else {
// UNTILED: scf.for
// UNTILED: scf.for
// UNTILED-NOT: arith.select
// UNTILED: scf.if %{{.*}} -> (f32) {
// UNTILED-NEXT: tensor.extract
// TILED-LABEL: func.func @convolutions
// TILED: ft.tile_block ffmt axis 1 [0, 4) [4, 8) [8, 12) [12, 16)
// TILED: arith.minsi
// TILED: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
// TILED: } else {
// TILED: scf.if %{{.*}} -> (f32) {
// TILED-NEXT: tensor.extract %{{.*}} : tensor<1x?x8x4xf32>
// CACHE-LABEL: func.func @convolutions
// CACHE: ft.tile_block ffmt axis 1 {{.*}} caches(
// CACHE: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
// CACHE: scf.if %{{.*}} -> (f32) {
func.func @convolutions(%x: tensor<1x16x8x2xf32>) -> tensor<1x16x8x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<3x3x4x1xf32>}> : () -> tensor<3x3x4x1xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x16x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  %c1 = tosa.depthwise_conv2d %c0, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x16x8x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x8x4xf32>
  return %c1 : tensor<1x16x8x4xf32>
}

// -----

// Three rows of explicit padding above a 1x1 convolution: the first tiles'
// windows hold no row of the source, so it is read behind a branch even
// though the check is the same for every input channel.
// TILED-LABEL: func.func @padded_rows
// TILED: ft.tile_block
// TILED-NOT: arith.select
// TILED: scf.if %{{.*}} -> (f32) {
// UNTILED-LABEL: func.func @padded_rows
// UNTILED: arith.select
// CACHE-LABEL: func.func @padded_rows
func.func @padded_rows(%x: tensor<1x4x4x2xf32>) -> tensor<1x7x4x4xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x1x1x2xf32>}> : () -> tensor<4x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %padding = tosa.const_shape {values = dense<[0, 0, 3, 0, 0, 0, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %pv = "tosa.const"() <{values = dense<0.5> : tensor<1xf32>}> : () -> tensor<1xf32>
  %p = tosa.pad %x, %padding, %pv {ft.layers = [#ft.layer<"c0">]} : (tensor<1x4x4x2xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x7x4x2xf32>
  %c1 = tosa.conv2d %p, %w0, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x7x4x2xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x7x4x4xf32>
  return %c1 : tensor<1x7x4x4xf32>
}
