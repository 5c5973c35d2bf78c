// RUN: ft-opt %s --split-input-file --ft-create-state-reset -verify-diagnostics

// The reset function's name must be free.
memref.global "private" @state : memref<4xf32> = dense<0.0>
// expected-error @below {{has state, but its reset function's name 'model_reset' is already taken}}
func.func @model() {
  %s = memref.get_global @state : memref<4xf32>
  return
}
func.func @model_reset() {
  return
}
