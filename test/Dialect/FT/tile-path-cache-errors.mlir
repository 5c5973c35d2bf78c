// windows=cache where it does not apply: FDT's channel tiles read no row
// twice. Refused before any rewrite.
// RUN: ft-opt %s --ft-tile-path="method=fdt first=a last=b tiles=2 windows=cache" -verify-diagnostics

func.func @fdt(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32> {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %a = linalg.exp {ft.layers = [#ft.layer<"a">]} ins(%x : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  // expected-error@+1 {{'linalg.conv_2d_nhwc_fhwc' (layer 'b'): windows=cache keeps the rows that the next spatial tile reads again; fdt's channel tiles read no row twice (use ffmt, or no windows=)}}
  %b = linalg.conv_2d_nhwc_fhwc {ft.layers = [#ft.layer<"b">]} ins(%a, %w : tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) outs(%z : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %b : tensor<1x4x4x2xf32>
}
