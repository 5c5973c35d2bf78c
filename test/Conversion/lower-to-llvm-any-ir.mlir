// ft-lower-to-llvm takes any TOSA (or linalg) module: calls are inlined;
// what it cannot lower gets one diagnostic at the op that causes it.
// RUN: ft-opt %s --split-input-file --ft-lower-to-llvm --verify-diagnostics | FileCheck %s

// Several functions: the call is inlined, the helper lowered on its own.
// CHECK-LABEL: llvm.func @helper
// CHECK-LABEL: llvm.func @main
// CHECK-NOT: llvm.call @helper
func.func @helper(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = func.call @helper(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %1 = tosa.add %0, %x : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %1 : tensor<1x4xf32>
}

// -----

// expected-error @+1 {{argument 0 has type 'tensor<?x4xf32>': the static arena needs every tensor's size at compile time; give the function static shapes}}
func.func @dynamic_argument(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @dynamic_result(%x: tensor<4xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{result of type 'tensor<?xf32>': the static arena needs every tensor's size at compile time}}
  %0 = tensor.cast %x : tensor<4xf32> to tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @recursive(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{this call could not be inlined (a recursive or external callee): the arena is planned per function, for the whole call tree}}
  %0 = func.call @recursive(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

module {
  // expected-error @+1 {{a nested module is not lowered by ft-lower-to-llvm: lower each module on its own}}
  module @inner {
    func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
      return %x : tensor<1x4xf32>
    }
  }
}
