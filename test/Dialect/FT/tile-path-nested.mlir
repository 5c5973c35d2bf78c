// FFMT -> FDT: a second ft-tile-path whose layers are inside the tiles of a
// first one tiles them by channels there. Row tiles through a MobileNetV2
// block (1x1 expansion to 12 channels, 3x3 depthwise, 1x1 projection to 2),
// and inside each row tile, channel tiles of the expanded tensor whose
// projections add up in a partial-sum accumulator of the row tile's shape.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=expand last=project axes=1 tiles=4" --ft-tile-path="method=fdt first=expand last=project tiles=3" | FileCheck %s
// Channel tiles recompute nothing: the MACs of the row tiles alone.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=expand last=project axes=1 tiles=4" --ft-tile-path="method=fdt first=expand last=project tiles=3" --ft-count-macs | FileCheck %s --check-prefix=MACS
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=expand last=project axes=1 tiles=4" --ft-count-macs | FileCheck %s --check-prefix=MACS
// Without partial sums (the path ends at the depthwise layer), each channel
// tile is inserted into the row tile's result.
// RUN: ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=expand last=project axes=1 tiles=4" --ft-tile-path="method=fdt first=expand last=dw tiles=4" | FileCheck %s --check-prefix=INSERT
// Line buffers keep every channel of the rows the next tile reads again:
// channel tiles inside such tiles are refused, saying what to do instead.
// RUN: not ft-opt %s --split-input-file --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=expand last=project axes=1 tiles=4 windows=cache" --ft-tile-path="method=fdt first=expand last=project tiles=3" 2>&1 | FileCheck %s --check-prefix=CACHE

// CHECK-LABEL: func.func @expand_project
// CHECK: ft.tile_block ffmt axis 1 [0, 2) [2, 4) [4, 6) [6, 8) (%[[ROW:.*]], %[[ROWS:.*]]) iter_args(%[[OUT:.*]] = %{{.*}}) : tensor<1x8x6x2xf32> {
// The row tile's accumulator starts from the projection's bias.
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x?x6x2xf32>)
// CHECK: %[[SUMS:.*]] = ft.tile_block fdt axis 3 [0, 4) [4, 8) [8, 12) (%[[CH:.*]], %[[CHS:.*]]) iter_args(%[[ACC:.*]] = %[[BIAS]]) : tensor<1x?x6x2xf32> {
// CHECK: tensor.extract_slice %{{.*}}[%[[CH]], 0, 0, 0] [%[[CHS]], 1, 1, 2]
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}}ft.layers = [#ft.layer<"expand">]{{.*}} -> tensor<1x?x6x?xf32>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwcm {{.*}} -> tensor<1x?x6x?x1xf32>
// CHECK: %[[PART:.*]] = linalg.conv_2d_nhwc_fhwc {{.*}}ft.layers = [#ft.layer<"project">]{{.*}} -> tensor<1x?x6x2xf32>
// CHECK: %[[NEXT:.*]] = ft.partial_sum %[[PART]] into %[[ACC]] : tensor<1x?x6x2xf32>
// CHECK: ft.yield %[[NEXT]] : tensor<1x?x6x2xf32>
// CHECK: %[[DONE:.*]] = ft.merge %[[SUMS]]
// CHECK: tensor.insert_slice %[[DONE]] into %[[OUT]][0, %[[ROW]], 0, 0] [1, %[[ROWS]], 6, 2]
// MACS: ft.macs = 8352
// INSERT-LABEL: func.func @expand_project
// INSERT: ft.tile_block ffmt axis 1
// INSERT: ft.tile_block fdt axis 3 [0, 3) [3, 6) [6, 9) [9, 12) (%[[CH:.*]], %[[CHS:.*]]) iter_args(%[[DW:.*]] = %{{.*}}) : tensor<1x?x6x12x1xf32> {
// INSERT: linalg.depthwise_conv_2d_nhwc_hwcm
// INSERT: tensor.insert_slice %{{.*}} into %[[DW]][0, 0, 0, %[[CH]], 0] [1, %{{.*}}, 6, %[[CHS]], 1]
// CACHE: error: 'tensor.extract_slice': uses a value computed inside the fused path; a path must be a chain whose only result is its last tensor (inside a tile block with line buffers, the rows kept for the next tile are read outside the path: tile the outer path with windows=recompute or windows=share to tile inside it)
func.func @expand_project(%x: tensor<1x8x6x2xf32>) -> tensor<1x8x6x2xf32> {
  %we = "tosa.const"() <{values = dense<0.25> : tensor<12x1x1x2xf32>}> : () -> tensor<12x1x1x2xf32>
  %be = "tosa.const"() <{values = dense<0.125> : tensor<12xf32>}> : () -> tensor<12xf32>
  %wd = "tosa.const"() <{values = dense<-0.5> : tensor<3x3x12x1xf32>}> : () -> tensor<3x3x12x1xf32>
  %wp = "tosa.const"() <{values = dense<0.75> : tensor<2x1x1x12xf32>}> : () -> tensor<2x1x1x12xf32>
  %bp = "tosa.const"() <{values = dense<-0.25> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %e = tosa.conv2d %x, %we, %be, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"expand">]} : (tensor<1x8x6x2xf32>, tensor<12x1x1x2xf32>, tensor<12xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x6x12xf32>
  %d = tosa.depthwise_conv2d %e, %wd, %be, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"dw">]} : (tensor<1x8x6x12xf32>, tensor<3x3x12x1xf32>, tensor<12xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x6x12xf32>
  %p = tosa.conv2d %d, %wp, %bp, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"project">]} : (tensor<1x8x6x12xf32>, tensor<2x1x1x12xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x6x2xf32>
  return %p : tensor<1x8x6x2xf32>
}
