// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-split-window-checks))' | FileCheck %s

// A padded window row in a border nest: column c + k - 1 of a 6-wide image,
// k in [0, 4), read only when it is inside (0 <= c + k - 1 < 6), the padding
// value 7 otherwise. Three loops: [0, first) and [last, 4) multiply the
// padding value without a read or a check, [first, last) reads without one;
// first = max(0, 1 - c), last = min(4, 7 - c), clamped.
// CHECK-LABEL: func.func @row
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[LAST:.*]] = arith.maxsi %{{[0-9]+}}, %[[FIRST:[0-9]+]] : index
// CHECK-NEXT: %[[A:.*]] = scf.for %{{.*}} = %{{.*}} to %[[FIRST]]
// CHECK-NOT: memref.load %arg0
// CHECK: arith.muli %{{.*}}, %c7_i32
// CHECK: %[[B:.*]] = scf.for %{{.*}} = %[[FIRST]] to %[[LAST]] {{.*}} iter_args(%{{.*}} = %[[A]])
// CHECK-NOT: scf.if
// CHECK: memref.load %arg0
// CHECK: scf.for %{{.*}} = %[[LAST]] to %[[C4]] {{.*}} iter_args(%{{.*}} = %[[B]])
// CHECK-NOT: memref.load %arg0
// CHECK: linalg.yield
#map = affine_map<(d0) -> (d0)>
func.func @row(%image: memref<6xi8>, %w: memref<4xi8>, %out: memref<6xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %c0_i32 = arith.constant 0 : i32
  %pad = arith.constant 7 : i8
  linalg.generic {indexing_maps = [#map], iterator_types = ["parallel"]} outs(%out : memref<6xi32>) {
  ^bb0(%o: i32):
    %c = linalg.index 0 : index
    %sum = scf.for %k = %c0 to %c4 step %c1 iter_args(%acc = %c0_i32) -> (i32) {
      %x = affine.apply affine_map<(d0)[s0] -> (d0 + s0 - 1)>(%k)[%c]
      %above = arith.cmpi sge, %x, %c0 : index
      %below = arith.cmpi slt, %x, %c6 : index
      %inside = arith.andi %above, %below : i1
      %v = scf.if %inside -> (i8) {
        %l = memref.load %image[%x] : memref<6xi8>
        scf.yield %l : i8
      } else {
        scf.yield %pad : i8
      }
      %wv = memref.load %w[%k] : memref<4xi8>
      %a = arith.extsi %v : i8 to i32
      %b = arith.extsi %wv : i8 to i32
      %p = arith.muli %a, %b : i32
      %s = arith.addi %acc, %p : i32
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  }
  return
}

// -----

// A 2-D window, 5 x 4 taps at (r + i - 2, c + j - 1) of a 9 x 6 image: the
// column loop is split first, then the row loop, into three pieces each;
// one read remains, in the middle of the middle, without a check.
// CHECK-LABEL: func.func @window
// CHECK-NOT: scf.if
// CHECK-COUNT-1: memref.load %arg0
// CHECK-NOT: memref.load %arg0
// CHECK: linalg.yield
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @window(%image: memref<9x6xi8>, %w: memref<5x4xi8>, %out: memref<9x6xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %c9 = arith.constant 9 : index
  %c0_i32 = arith.constant 0 : i32
  %pad = arith.constant -3 : i8
  linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%out : memref<9x6xi32>) {
  ^bb0(%o: i32):
    %r = linalg.index 0 : index
    %c = linalg.index 1 : index
    %sum = scf.for %i = %c0 to %c5 step %c1 iter_args(%acc0 = %c0_i32) -> (i32) {
      %row = scf.for %j = %c0 to %c4 step %c1 iter_args(%acc = %acc0) -> (i32) {
        %y = affine.apply affine_map<(d0)[s0] -> (d0 + s0 - 2)>(%i)[%r]
        %x = affine.apply affine_map<(d0)[s0] -> (d0 + s0 - 1)>(%j)[%c]
        %y0 = arith.cmpi sge, %y, %c0 : index
        %y1 = arith.cmpi slt, %y, %c9 : index
        %x0 = arith.cmpi sge, %x, %c0 : index
        %x1 = arith.cmpi slt, %x, %c6 : index
        %ys = arith.andi %y0, %y1 : i1
        %xs = arith.andi %x0, %x1 : i1
        %inside = arith.andi %ys, %xs : i1
        %v = scf.if %inside -> (i8) {
          %l = memref.load %image[%y, %x] : memref<9x6xi8>
          scf.yield %l : i8
        } else {
          scf.yield %pad : i8
        }
        %wv = memref.load %w[%i, %j] : memref<5x4xi8>
        %a = arith.extsi %v : i8 to i32
        %b = arith.extsi %wv : i8 to i32
        %p = arith.muli %a, %b : i32
        %s = arith.addi %acc, %p : i32
        scf.yield %s : i32
      }
      scf.yield %row : i32
    }
    linalg.yield %sum : i32
  }
  return
}

// -----

// Left as they are: a loop of 3 iterations (below min-trips: its checks
// cost less than three loops), and a check not linear in the loop's
// variable (k * k).
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-2: scf.if
func.func @kept(%image: memref<6xi8>, %out: memref<6xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %c6 = arith.constant 6 : index
  %c0_i32 = arith.constant 0 : i32
  %pad = arith.constant 7 : i8
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%out : memref<6xi32>) {
  ^bb0(%o: i32):
    %c = linalg.index 0 : index
    %short = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %c0_i32) -> (i32) {
      %x = affine.apply affine_map<(d0)[s0] -> (d0 + s0 - 1)>(%k)[%c]
      %above = arith.cmpi sge, %x, %c0 : index
      %v = scf.if %above -> (i8) {
        %l = memref.load %image[%x] : memref<6xi8>
        scf.yield %l : i8
      } else {
        scf.yield %pad : i8
      }
      %a = arith.extsi %v : i8 to i32
      %s = arith.addi %acc, %a : i32
      scf.yield %s : i32
    }
    %squares = scf.for %k = %c0 to %c8 step %c1 iter_args(%acc = %short) -> (i32) {
      %x = arith.muli %k, %k : index
      %below = arith.cmpi slt, %x, %c6 : index
      %v = scf.if %below -> (i8) {
        %l = memref.load %image[%x] : memref<6xi8>
        scf.yield %l : i8
      } else {
        scf.yield %pad : i8
      }
      %a = arith.extsi %v : i8 to i32
      %s = arith.addi %acc, %a : i32
      scf.yield %s : i32
    }
    linalg.yield %squares : i32
  }
  return
}
