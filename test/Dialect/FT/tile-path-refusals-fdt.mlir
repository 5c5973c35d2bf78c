// FDT refusals on hand-written linalg whose layers are named by ft.layers.
// RUN: ft-opt %s --split-input-file --ft-tile-path="method=fdt first=c last=d tiles=2" --verify-diagnostics

// FDT needs a layer after the first that sums over the split channels.
func.func @fdt_no_consumer(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %c = linalg.exp {ft.layers = [#ft.layer<"c">]} ins(%x : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  // expected-error @+1 {{'linalg.negf' (layer 'd'): fdt: the path has no layer after its first that consumes the split channels (a convolution or fully connected layer reducing over them)}}
  %d = linalg.negf {ft.layers = [#ft.layer<"d">]} ins(%c : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %d : tensor<1x4x4x2xf32>
}
