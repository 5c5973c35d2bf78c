// RUN: ft-opt %s --ft-profile-layers | FileCheck %s

// Every layer's linalg ops are bracketed by the hooks with the layer's slot
// (consecutive ops of one layer by one pair; ops of no layer get -1), the
// slots ordered by TFLite operator index in ft.profile_layers.
// CHECK: module attributes {ft.profile_layers = ["#2 conv", "#5 relu", "tail"]}
// CHECK-DAG: func.func private @ft_profile_begin(i32)
// CHECK-DAG: func.func private @ft_profile_end(i32)
// CHECK-LABEL: func.func @layers
// CHECK: %[[RELU:.*]] = arith.constant 1 : i32
// CHECK-NEXT: call @ft_profile_begin(%[[RELU]])
// CHECK-NEXT: linalg.generic
// CHECK: call @ft_profile_end(%[[RELU]])
// CHECK: %[[CONV:.*]] = arith.constant 0 : i32
// CHECK-NEXT: call @ft_profile_begin(%[[CONV]])
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: linalg.conv_2d_nhwc_fhwc
// CHECK-NEXT: call @ft_profile_end(%[[CONV]])
// CHECK: %[[NONE:.*]] = arith.constant -1 : i32
// CHECK-NEXT: call @ft_profile_begin(%[[NONE]])
// CHECK-NEXT: linalg.copy
// CHECK-NEXT: call @ft_profile_end(%[[NONE]])
// Inside a loop (a tile), once per iteration.
// CHECK: scf.for
// CHECK: %[[TAIL:.*]] = arith.constant 2 : i32
// CHECK-NEXT: call @ft_profile_begin(%[[TAIL]])
// CHECK-NEXT: linalg.generic
// CHECK: call @ft_profile_end(%[[TAIL]])
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @layers(%x: memref<1x4x4x2xf32>, %w: memref<2x1x1x2xf32>, %a: memref<1x4x4x2xf32>, %b: memref<1x4x4x2xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : memref<1x4x4x2xf32>) outs(%a : memref<1x4x4x2xf32>) attrs = {ft.layers = [#ft.layer<"relu", index = 5>]} {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %zero = arith.constant 0.0 : f32
  linalg.fill {ft.layers = [#ft.layer<"conv", index = 2>]} ins(%zero : f32) outs(%b : memref<1x4x4x2xf32>)
  linalg.conv_2d_nhwc_fhwc {ft.layers = [#ft.layer<"conv", index = 2>]} ins(%a, %w : memref<1x4x4x2xf32>, memref<2x1x1x2xf32>) outs(%b : memref<1x4x4x2xf32>)
  linalg.copy ins(%b : memref<1x4x4x2xf32>) outs(%a : memref<1x4x4x2xf32>)
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c2 step %c1 {
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a : memref<1x4x4x2xf32>) outs(%b : memref<1x4x4x2xf32>) attrs = {ft.layers = [#ft.layer<"tail">]} {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    }
  }
  return
}
