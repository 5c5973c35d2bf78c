// FDT on a path in which no layer after the first sums over the split
// channels: each tile computes its channel slice of the last layer and
// inserts it; the slices are concatenated (no partial sums, no merge).
// RUN: ft-opt %s --ft-tile-path="method=fdt first=c last=d tiles=2" | FileCheck %s

// CHECK-LABEL: func.func @fdt_concatenated
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<1x4x4x2xf32>
// CHECK: ft.tile_block fdt axis 3 [0, 1) [1, 2) (%[[OFF:.*]], %[[SIZE:.*]]) iter_args(%[[CARRIED:.*]] = %[[INIT]])
// CHECK: tensor.extract_slice %arg0[0, 0, 0, %[[OFF]]] [1, 4, 4, %[[SIZE]]]
// CHECK: linalg.exp
// CHECK: %[[NEG:.*]] = linalg.negf
// CHECK: tensor.insert_slice %[[NEG]] into %[[CARRIED]][0, 0, 0, %[[OFF]]] [1, 4, 4, %[[SIZE]]]
// CHECK-NOT: ft.merge
func.func @fdt_concatenated(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %c = linalg.exp {ft.layers = [#ft.layer<"c">]} ins(%x : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %d = linalg.negf {ft.layers = [#ft.layer<"d">]} ins(%c : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %d : tensor<1x4x4x2xf32>
}
