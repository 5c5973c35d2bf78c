// RUN: ft-opt %s --split-input-file --ft-schedule-for-memory=report 2>&1 | FileCheck %s

// Two branches read %x; finishing one before starting the other keeps one
// 4 KiB tensor alive instead of two.
// CHECK: remark: ft-schedule-for-memory: peak 12288 -> 8196 bytes (least)
// CHECK-LABEL: func.func @two_branches
// CHECK: tosa.exp
// CHECK-NEXT: tosa.reduce_sum
// CHECK-NEXT: tosa.log
// CHECK-NEXT: tosa.reduce_sum
// CHECK-NEXT: tosa.add
func.func @two_branches(%x: tensor<1024xf32>) -> tensor<1xf32> {
  %a = tosa.exp %x : (tensor<1024xf32>) -> tensor<1024xf32>
  %b = tosa.log %x : (tensor<1024xf32>) -> tensor<1024xf32>
  %ra = tosa.reduce_sum %a {axis = 0 : i32} : (tensor<1024xf32>) -> tensor<1xf32>
  %rb = tosa.reduce_sum %b {axis = 0 : i32} : (tensor<1024xf32>) -> tensor<1xf32>
  %s = tosa.add %ra, %rb : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  return %s : tensor<1xf32>
}

// -----

// A chain has one order.
// CHECK: remark: ft-schedule-for-memory: peak 8192 -> 8192 bytes (least)
// CHECK-LABEL: func.func @chain
// CHECK: tosa.exp
// CHECK-NEXT: tosa.log
// CHECK-NEXT: tosa.abs
func.func @chain(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %a = tosa.exp %x : (tensor<1024xf32>) -> tensor<1024xf32>
  %b = tosa.log %a : (tensor<1024xf32>) -> tensor<1024xf32>
  %c = tosa.abs %b : (tensor<1024xf32>) -> tensor<1024xf32>
  return %c : tensor<1024xf32>
}

// -----

// A call may have effects: nothing moves, and no remark.
// CHECK-NOT: remark
// CHECK-LABEL: func.func @effects
// CHECK: tosa.exp
// CHECK-NEXT: tosa.log
// CHECK-NEXT: call @opaque
func.func private @opaque(tensor<1024xf32>) -> tensor<1xf32>
func.func @effects(%x: tensor<1024xf32>) -> tensor<1xf32> {
  %a = tosa.exp %x : (tensor<1024xf32>) -> tensor<1024xf32>
  %b = tosa.log %x : (tensor<1024xf32>) -> tensor<1024xf32>
  %ra = func.call @opaque(%a) : (tensor<1024xf32>) -> tensor<1xf32>
  %rb = tosa.reduce_sum %b {axis = 0 : i32} : (tensor<1024xf32>) -> tensor<1xf32>
  %s = tosa.add %ra, %rb : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  return %s : tensor<1xf32>
}
