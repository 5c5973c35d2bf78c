// Refusals of ft-tile-path on hand-written linalg whose layers are named by
// ft.layers attributes: one diagnostic at the op, the IR unchanged.
// RUN: not ft-opt %s --split-input-file --ft-tile-path="method=ffmt first=a last=b tiles=2" --mlir-print-op-on-diagnostic=false 2>&1 >/dev/null | FileCheck %s
// RUN: not ft-opt %s --split-input-file --ft-tile-path="method=ffmt first=a last=b tiles=2" 2>/dev/null | FileCheck %s --allow-empty --check-prefix=NONE
// NONE-NOT: ft.tile_block

// A value computed inside the path and used outside it: not a chain.
// CHECK: tile-path-refusals.mlir:[[@LINE+6]]:3: error: 'func.return': uses a value computed inside the fused path; a path must be a chain whose only result is its last tensor
// CHECK: tile-path-refusals.mlir:[[@LINE+3]]:8: note: computed here
func.func @fanout(%x: tensor<1x4x4x2xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %a = linalg.exp {ft.layers = [#ft.layer<"a">]} ins(%x : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %b = linalg.negf {ft.layers = [#ft.layer<"b">]} ins(%a : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %a, %b : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>
}

// -----

// An axis of extent 1: nothing to split.
// CHECK: tile-path-refusals.mlir:[[@LINE+4]]:8: error: 'linalg.negf' (layer 'b'): ffmt: the path's last tensor has extent 1 on axis 1: nothing to split
func.func @too_many_tiles(%x: tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32> {
  %e = tensor.empty() : tensor<1x1x4x2xf32>
  %a = linalg.exp {ft.layers = [#ft.layer<"a">]} ins(%x : tensor<1x1x4x2xf32>) outs(%e : tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32>
  %b = linalg.negf {ft.layers = [#ft.layer<"b">]} ins(%a : tensor<1x1x4x2xf32>) outs(%e : tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32>
  return %b : tensor<1x1x4x2xf32>
}

