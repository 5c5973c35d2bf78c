// RUN: ft-opt %s --ft-memref-copy-to-linalg --split-input-file | FileCheck %s

// A copy into a strided view (the padding of a convolution input) becomes a
// linalg.copy that convert-linalg-to-loops can lower without a runtime call.
// CHECK-LABEL: func.func @into_subview
// CHECK-SAME: (%[[SRC:.*]]: memref<1x4x4x2xi8>, %[[DST:.*]]: memref<1x6x6x2xi8>)
// CHECK: %[[VIEW:.*]] = memref.subview %[[DST]]
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[SRC]] : memref<1x4x4x2xi8>) outs(%[[VIEW]] : memref<1x4x4x2xi8, strided<[72, 12, 2, 1], offset: 14>>)
func.func @into_subview(%src: memref<1x4x4x2xi8>, %dst: memref<1x6x6x2xi8>) {
  %view = memref.subview %dst[0, 1, 1, 0] [1, 4, 4, 2] [1, 1, 1, 1]
      : memref<1x6x6x2xi8> to memref<1x4x4x2xi8, strided<[72, 12, 2, 1], offset: 14>>
  memref.copy %src, %view : memref<1x4x4x2xi8> to memref<1x4x4x2xi8, strided<[72, 12, 2, 1], offset: 14>>
  return
}

// -----

// Copies inside regions are rewritten too.
// CHECK-LABEL: func.func @in_loop
// CHECK: scf.for
// CHECK-NEXT: linalg.copy ins(%{{.*}} : memref<8xf32>) outs(%{{.*}} : memref<8xf32>)
func.func @in_loop(%a: memref<8xf32>, %b: memref<8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    memref.copy %a, %b : memref<8xf32> to memref<8xf32>
  }
  return
}

// -----

// Unranked copies have no linalg form and are left alone.
// CHECK-LABEL: func.func @unranked
// CHECK: memref.copy
func.func @unranked(%a: memref<*xf32>, %b: memref<*xf32>) {
  memref.copy %a, %b : memref<*xf32> to memref<*xf32>
  return
}
