// Hand-written TOSA without layers or locations tiles through
// ft-tosa-to-linalg, paths named by position (@1 the first convolution, @3
// the second), and computes what the untiled IR computes: FFMT by rows
// exactly, FDT within float32 tolerance (its partial sums add in another
// order).
// RUN: ft-opt %s --ft-tosa-to-linalg --ft-tile-path="method=ffmt first=@1 last=@3 axes=1 tiles=3" -o %t.ffmt.mlir
// RUN: ft-opt %s --ft-tosa-to-linalg --ft-tile-path="method=fdt first=@1 last=@3 tiles=2" -o %t.fdt.mlir
// RUN: FileCheck %s --check-prefix=FFMT --input-file=%t.ffmt.mlir
// RUN: FileCheck %s --check-prefix=FDT --input-file=%t.fdt.mlir
// RUN: ft-run %s --input-random --output %t.untiled.bin
// RUN: ft-run %t.ffmt.mlir --input-random --output %t.ffmt.bin
// RUN: ft-run %t.fdt.mlir --input-random --output %t.fdt.bin
// RUN: cmp %t.untiled.bin %t.ffmt.bin
// RUN: ft-compare --type=float32 %t.fdt.bin %t.untiled.bin
// FFMT: ft.tile_block ffmt axis 1 [0, 3) [3, 6) [6, 8)
// FDT: ft.tile_block fdt axis 3 [0, 2) [2, 4)
// FDT: ft.merge

func.func @main(%x: tensor<1x8x8x2xf32>) -> tensor<1x8x8x3xf32> {
  %w0 = "tosa.const"() <{values = dense<[[[[0.25, -1.0], [-1.0, 0.25], [0.5, -1.0]], [[1.0, -1.0], [-0.5, -1.0], [-0.5, 1.0]], [[0.5, -1.0], [0.25, 0.25], [1.0, -1.0]]], [[[-1.0, 1.0], [1.0, 0.25], [0.25, 0.25]], [[-1.0, 1.0], [-0.5, -0.5], [0.25, -1.0]], [[-0.5, 0.5], [-0.5, 0.5], [1.0, -1.0]]], [[[1.0, 1.0], [1.0, -1.0], [1.0, 0.25]], [[0.5, -0.5], [-0.5, 0.25], [1.0, 0.25]], [[0.5, 1.0], [0.5, 1.0], [-1.0, 1.0]]], [[[-1.0, 0.5], [-1.0, -1.0], [1.0, -1.0]], [[0.25, 0.5], [-0.5, 0.5], [-1.0, 0.25]], [[0.5, -1.0], [-1.0, -1.0], [-0.5, 0.25]]]]> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %b0 = "tosa.const"() <{values = dense<[0.5, -0.25, 0.0, 1.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %w1 = "tosa.const"() <{values = dense<[[[[0.5, 0.5, -0.5, -0.5]]], [[[1.0, 1.0, -0.5, 0.5]]], [[[-0.5, 1.0, 0.25, -0.5]]]]> : tensor<3x1x1x4xf32>}> : () -> tensor<3x1x1x4xf32>
  %b1 = "tosa.const"() <{values = dense<[0.0, 0.5, -0.5]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b0, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  %r = tosa.clamp %c0 {max_val = 3.0e+38 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %c1 = tosa.conv2d %r, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x3xf32>
  return %c1 : tensor<1x8x8x3xf32>
}
