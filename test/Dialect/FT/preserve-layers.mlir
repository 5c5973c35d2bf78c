// RUN: ft-opt %s --split-input-file --ft-preserve-layers='pipeline=func.func(tosa-to-linalg-named,tosa-to-linalg),canonicalize' | FileCheck %s
// RUN: ft-opt %s --split-input-file --strip-debuginfo --ft-preserve-layers='pipeline=func.func(tosa-to-linalg-named,tosa-to-linalg),canonicalize' | FileCheck %s
// RUN: ft-opt %s --split-input-file --ft-preserve-layers='pipeline=func.func(tosa-to-linalg-named,tosa-to-linalg,ft-fuse-layer-elementwise)' | FileCheck %s --check-prefix=FUSED
// RUN: ft-opt %s --split-input-file --ft-preserve-layers='pipeline=func.func(tosa-to-linalg)' --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC
// RUN: not ft-opt %s --ft-preserve-layers='pipeline=no-such-pass' 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: ft-preserve-layers: cannot parse pipeline 'no-such-pass'
// LOC-NOT: #ft.layer<{{.*}}>[
// LOC: #[[L:.*]] = loc("neg.py":3:1)

// The ops upstream's conversion creates for a layer keep its ft.layers;
// those that compute nothing from activations (the empty tensor, its
// fill) belong to no layer. Locations come back as they were.
// CHECK-LABEL: func.func @conversion
// CHECK: tensor.empty() : tensor<1x4x4x2xf32>
// CHECK-NOT: ft.layers
// CHECK: linalg.generic {{.*}} ins(%arg0 : {{.*}} {ft.layers = [#ft.layer<"neg", index = 0>]}
// CHECK: linalg.generic {{.*}} {ft.layers = [#ft.layer<"relu", index = 1>]}
// FUSED-LABEL: func.func @conversion
// FUSED: linalg.generic {{.*}} {ft.layers = [#ft.layer<"relu", index = 1>, #ft.layer<"neg", index = 0>]}
// FUSED-NOT: linalg.generic
func.func @conversion(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.negate %arg0, %z, %z {ft.layers = [#ft.layer<"neg", index = 0>]} : (tensor<1x4x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("neg.py":3:1)
  %1 = tosa.clamp %0 {ft.layers = [#ft.layer<"relu", index = 1>], max_val = 3.0e+38 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %1 : tensor<1x4x4x2xf32>
}
