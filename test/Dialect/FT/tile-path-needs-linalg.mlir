// RUN: ft-opt %s --ft-tile-path="method=ffmt first=@0 last=@0 tiles=2" -verify-diagnostics

// ft-tile-path on TOSA: the answer says which pass comes first.
func.func @main(%arg0: tensor<1x8x8x1xf32>) -> tensor<1x8x8x1xf32> {
  // expected-error @+1 {{ft-tile-path tiles linalg ops, and 'main' still has TOSA ops (tosa.clamp): lower it first, with --ft-tosa-to-linalg before --ft-tile-path}}
  %0 = tosa.clamp %arg0 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x8x8x1xf32>) -> tensor<1x8x8x1xf32>
  return %0 : tensor<1x8x8x1xf32>
}
