// A skewed line-buffer schedule into a flatten's partial sums: row tiles of
// a 3x1 and a 4x1 convolution (c0, c1: c1 reads 3 rows of c0 again) through a 3x1
// max pooling (stride 3) into a flatten and a dense layer (fc), with
// steps=2. The flatten's rows, which no two tiles share, are computed in
// the tile that reads them: whole pooled rows (16 elements of the
// flattened axis each), never a part of one. Every row is computed once:
// the MACs of the untiled IR.
// RUN: ft-opt %s --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=fc axes=1 tiles=4 windows=cache steps=2" | FileCheck %s
// RUN: ft-opt %s --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=c0 last=fc axes=1 tiles=4 windows=cache steps=2" --ft-count-macs | FileCheck %s --check-prefix=MACS
// RUN: ft-opt %s --ft-tosa-to-linalg --ft-count-macs | FileCheck %s --check-prefix=MACS
// The results are the untiled ones byte for byte, with priming tiles too.
// RUN: ft-run %s --entry=into_flatten --tiling=none --input-random --output %t.none.bin
// RUN: ft-run %s --entry=into_flatten --tile-path='ffmt first=c0 last=fc axes=1 tiles=4 windows=cache steps=2' --input-random --output %t.s2.bin
// RUN: ft-run %s --entry=into_flatten --tile-path='ffmt first=c0 last=fc axes=1 tiles=4 windows=cache prime=2 steps=2' --input-random --output %t.p2s2.bin
// RUN: cmp %t.none.bin %t.s2.bin
// RUN: cmp %t.none.bin %t.p2s2.bin

// Two line buffers: c1's rows (read by the pooling, each once: spread
// over the empty tiles, one or two rows per tile, three per pooled row)
// and c0's (read by c1, three rows again); the tables are low, first new
// row and end per tile index. None of the pooled rows.
// CHECK-LABEL: func.func @into_flatten
// CHECK-DAG: arith.constant dense<[3, 5, 6, 8, 9, 11, 12, 12]> : tensor<8xindex>
// CHECK-DAG: arith.constant dense<[0, 3, 5, 6, 8, 9, 11, 12]> : tensor<8xindex>
// CHECK-DAG: arith.constant dense<[0, 0, 2, 3, 5, 6, 8, 9]> : tensor<8xindex>
// CHECK-DAG: arith.constant dense<[1, 3, 4, 6, 7, 9, 10, 12]> : tensor<8xindex>
// CHECK-DAG: arith.constant dense<[0, 1, 3, 4, 6, 7, 9, 10]> : tensor<8xindex>
// CHECK-DAG: arith.constant dense<[0, 0, 3, 3, 6, 6, 9, 9]> : tensor<8xindex>
// CHECK: ft.tile_block ffmt accumulate axis 3 [0, 0) [0, 4) [4, 4) [4, 8) [8, 8) [8, 12) [12, 12) [12, 16) (%{{.*}}, %{{.*}}) iter_args(%{{.*}} = %{{.*}}) caches(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) : tensor<1x1x1x2xf32>, tensor<1x1x1x4xf32>, tensor<1x3x1x4xf32> {
// CHECK: linalg.pooling_nhwc_max
// CHECK: ft.partial_sum
// CHECK: ft.yield %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x1x1x2xf32>, tensor<1x1x1x4xf32>, tensor<1x3x1x4xf32>
// CHECK: ft.merge
// MACS: ft.macs = 1376
func.func @into_flatten(%x: tensor<1x12x1x4xf32>) -> tensor<1x1x1x2xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<4x3x1x4xf32>}> : () -> tensor<4x3x1x4xf32>
  %b0 = "tosa.const"() <{values = dense<0.125> : tensor<4xf32>}> : () -> tensor<4xf32>
  %w1 = "tosa.const"() <{values = dense<0.5> : tensor<4x4x1x4xf32>}> : () -> tensor<4x4x1x4xf32>
  %wf = "tosa.const"() <{values = dense<0.0625> : tensor<2x1x1x16xf32>}> : () -> tensor<2x1x1x16xf32>
  %bf = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b0, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c0">]} : (tensor<1x12x1x4xf32>, tensor<4x3x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x12x1x4xf32>
  %c1 = tosa.conv2d %c0, %w1, %b0, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 2, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"c1">]} : (tensor<1x12x1x4xf32>, tensor<4x4x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x12x1x4xf32>
  %p = tosa.max_pool2d %c1 {kernel = array<i64: 3, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 3, 1>, ft.layers = [#ft.layer<"pool">]} : (tensor<1x12x1x4xf32>) -> tensor<1x4x1x4xf32>
  %shape = tosa.const_shape {values = dense<[1, 1, 1, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %flat = tosa.reshape %p, %shape {ft.layers = [#ft.layer<"fc">]} : (tensor<1x4x1x4xf32>, !tosa.shape<4>) -> tensor<1x1x1x16xf32>
  %fc = tosa.conv2d %flat, %wf, %bf, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"fc">]} : (tensor<1x1x1x16xf32>, tensor<2x1x1x16xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  return %fc : tensor<1x1x1x2xf32>
}
