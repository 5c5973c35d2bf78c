// RUN: ft-opt %s --ft-create-state-reset | FileCheck %s
// (create-state-reset-errors.mlir: the diagnostics.)

// A function with state (a global buffer that is not constant) gets
// @<name>_reset, which writes the initial value back: a fill for a splat, a
// copy from a constant twin otherwise; and its state's size in bytes.
// CHECK-LABEL: memref.global "private" constant @state_b_initial : memref<2xi16> = dense<[1, 2]>
// CHECK: memref.global "private" @state_b : memref<2xi16> = dense<[1, 2]>
// CHECK-LABEL: func.func @model
// CHECK-SAME: ft.state_bytes = 12 : i64
// CHECK-LABEL: func.func @model_reset()
// CHECK: %[[A:.*]] = memref.get_global @state_a : memref<1x8xi8>
// CHECK: %[[ZP:.*]] = arith.constant -3 : i8
// CHECK: linalg.fill ins(%[[ZP]] : i8) outs(%[[A]] : memref<1x8xi8>)
// CHECK: %[[B:.*]] = memref.get_global @state_b : memref<2xi16>
// CHECK: %[[INIT:.*]] = memref.get_global @state_b_initial : memref<2xi16>
// CHECK: memref.copy %[[INIT]], %[[B]]
// CHECK: return
// A function without state, and constants, are left alone.
// CHECK-NOT: @helper_reset
// CHECK-NOT: @weights_initial
memref.global "private" @state_a : memref<1x8xi8> = dense<-3>
memref.global "private" @state_b : memref<2xi16> = dense<[1, 2]>
memref.global "private" constant @weights : memref<4xi8> = dense<1>
func.func @model(%out: memref<1x8xi8>) {
  %a = memref.get_global @state_a : memref<1x8xi8>
  memref.copy %a, %out : memref<1x8xi8> to memref<1x8xi8>
  call @update() : () -> ()
  return
}
func.func private @update() {
  %b = memref.get_global @state_b : memref<2xi16>
  %w = memref.get_global @weights : memref<4xi8>
  return
}
func.func @helper(%out: memref<4xi8>) {
  %w = memref.get_global @weights : memref<4xi8>
  memref.copy %w, %out : memref<4xi8> to memref<4xi8>
  return
}

