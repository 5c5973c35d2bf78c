// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-flatten-window-rows))' | FileCheck %s
// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-flatten-window-rows{unroll=1 unroll-whole=8}))' | FileCheck %s --check-prefix=WHOLE
// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-flatten-window-rows{unroll=1 unroll-whole=2 float-unroll=4}))' | FileCheck %s --check-prefix=FLOAT

// A 3x3 window over 3 input channels (NHWC input, OHWI weights): 3 channels
// cannot fill unrolled iterations of 4, so a row of the window (3 columns
// x 3 channels, one run of 9 bytes in both buffers) becomes one loop on
// views that collapse it, unrolled by 4 (two iterations of four products
// and one left over).
// CHECK-LABEL: func.func @three_channels
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// CHECK-DAG: %[[XR:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<1x8x8x3xi8> into memref<1x8x24xi8>
// CHECK-DAG: %[[WR:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<2x3x3x3xi8> into memref<2x3x9xi8>
// CHECK: scf.for %[[I:.*]] = %c0{{.*}} to %c8{{.*}} step %c4{{.*}} iter_args
// CHECK-COUNT-4: memref.load %[[WR]]
// CHECK: scf.yield
// CHECK: %[[LAST:.*]] = arith.addi %{{.*}}, %c8
// CHECK: memref.load %[[XR]][%{{.*}}, %{{.*}}, %[[LAST]]]
// CHECK-NOT: memref.load %{{.*}} : memref<1x8x8x3xi8>
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @three_channels(%x: memref<1x8x8x3xi8>, %w: memref<2x3x3x3xi8>, %out: memref<1x6x6x2xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%out : memref<1x6x6x2xi32>) {
  ^bb0(%o: i32):
    %oy = linalg.index 1 : index
    %ox = linalg.index 2 : index
    %co = linalg.index 3 : index
    %s = scf.for %ky = %c0 to %c3 step %c1 iter_args(%a0 = %zero) -> (i32) {
      %t = scf.for %kx = %c0 to %c3 step %c1 iter_args(%a1 = %a0) -> (i32) {
        %u = scf.for %ci = %c0 to %c3 step %c1 iter_args(%a2 = %a1) -> (i32) {
          %y = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%ky)[%oy]
          %x0 = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%kx)[%ox]
          %xv = memref.load %x[%c0, %y, %x0, %ci] : memref<1x8x8x3xi8>
          %wv = memref.load %w[%co, %ky, %kx, %ci] : memref<2x3x3x3xi8>
          %xe = arith.extsi %xv : i8 to i32
          %we = arith.extsi %wv : i8 to i32
          %m = arith.muli %xe, %we : i32
          %a = arith.addi %a2, %m : i32
          scf.yield %a : i32
        }
        scf.yield %u : i32
      }
      scf.yield %t : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// One input channel, a 4-tap row (strided columns of a stride-2 window):
// the columns are the run, the unit channel dimension collapsed into them;
// exactly 4 taps, unrolled whole, their indices consecutive.
// CHECK-LABEL: func.func @one_channel
// CHECK: %[[START:.*]] = affine.apply #{{.*}}(%c0{{.*}})
// CHECK-NEXT: %[[XR:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<1x8x10x1xi8> into memref<1x8x10xi8>
// CHECK-NEXT: %[[WR:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<2x2x4x1xi8> into memref<2x2x4xi8>
// CHECK: memref.load %[[XR]][%c0{{.*}}, %{{.*}}, %[[START]]]
// CHECK: memref.load %[[WR]][%{{.*}}, %{{.*}}, %c0
// CHECK: %[[NEXT:.*]] = arith.addi %[[START]], %c1
// CHECK: memref.load %[[XR]][%c0{{.*}}, %{{.*}}, %[[NEXT]]]
// CHECK: memref.load %[[WR]][%{{.*}}, %{{.*}}, %c1
// CHECK-COUNT-2: memref.load %[[XR]]
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @one_channel(%x: memref<1x8x10x1xi8>, %w: memref<2x2x4x1xi8>, %out: memref<1x4x4x2xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%out : memref<1x4x4x2xi32>) {
  ^bb0(%o: i32):
    %oy = linalg.index 1 : index
    %ox = linalg.index 2 : index
    %co = linalg.index 3 : index
    %s = scf.for %ky = %c0 to %c2 step %c1 iter_args(%a0 = %zero) -> (i32) {
      %t = scf.for %kx = %c0 to %c4 step %c1 iter_args(%a1 = %a0) -> (i32) {
        %y = affine.apply affine_map<(d0)[s0] -> (d0 + s0 * 2)>(%ky)[%oy]
        %x0 = affine.apply affine_map<(d0)[s0] -> (d0 + s0 * 2)>(%kx)[%ox]
        %xv = memref.load %x[%c0, %y, %x0, %c0] : memref<1x8x10x1xi8>
        %wv = memref.load %w[%co, %ky, %kx, %c0] : memref<2x2x4x1xi8>
        %xe = arith.extsi %xv : i8 to i32
        %we = arith.extsi %wv : i8 to i32
        %m = arith.muli %xe, %we : i32
        %a = arith.addi %a1, %m : i32
        scf.yield %a : i32
      }
      scf.yield %t : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// 16 channels fill iterations of 4: their loop is unrolled by 4 in place,
// no view; a float reduction is unrolled too (any innermost reduction loop
// that runs 8 times or more), a loop of 4 over no run is not.
// CHECK-LABEL: func.func @channels_and_floats
// CHECK-NOT: memref.collapse_shape
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c4
// CHECK-COUNT-4: arith.muli %{{.*}} : i32
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c8{{.*}} step %c4
// CHECK-COUNT-4: arith.mulf
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c4{{.*}} step %c1
// With float-unroll=4, the float loop of 8 is unrolled by 4, the integer
// loop of 16 is not.
// FLOAT-LABEL: func.func @channels_and_floats
// FLOAT: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c1
// FLOAT: scf.for %{{.*}} = %c0{{.*}} to %c8{{.*}} step %c4
// FLOAT-COUNT-4: arith.mulf
// With unroll=1 unroll-whole=8: the integer loop of 16 is kept, and float
// loops are never unrolled whole (they follow unroll=1).
// WHOLE-LABEL: func.func @channels_and_floats
// WHOLE: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c1
// WHOLE-COUNT-1: arith.muli %{{.*}} : i32
// WHOLE: scf.for %{{.*}} = %c0{{.*}} to %c8{{.*}} step %c1
// WHOLE-COUNT-1: arith.mulf
// WHOLE-NOT: arith.mulf
// WHOLE: scf.for %{{.*}} = %c0{{.*}} to %c4{{.*}} step %c1
// WHOLE: return
#map2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @channels_and_floats(%x: memref<1x16xi8>, %w: memref<4x16xi8>, %f: memref<4x8xf32>, %out: memref<1x4xi32>, %fout: memref<1x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0 : i32
  %fzero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#map2], iterator_types = ["parallel", "parallel"]} outs(%out : memref<1x4xi32>) {
  ^bb0(%o: i32):
    %n = linalg.index 1 : index
    %s = scf.for %k = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (i32) {
      %xv = memref.load %x[%c0, %k] : memref<1x16xi8>
      %wv = memref.load %w[%n, %k] : memref<4x16xi8>
      %xe = arith.extsi %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %m = arith.muli %xe, %we : i32
      %a = arith.addi %acc, %m : i32
      scf.yield %a : i32
    }
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#map2], iterator_types = ["parallel", "parallel"]} outs(%fout : memref<1x4xf32>) {
  ^bb0(%o: f32):
    %n = linalg.index 1 : index
    %s = scf.for %k = %c0 to %c8 step %c1 iter_args(%acc = %fzero) -> (f32) {
      %v = memref.load %f[%n, %k] : memref<4x8xf32>
      %m = arith.mulf %v, %v : f32
      %a = arith.addf %acc, %m : f32
      scf.yield %a : f32
    }
    %t = scf.for %k = %c0 to %c4 step %c1 iter_args(%acc = %s) -> (f32) {
      %v = memref.load %f[%n, %k] : memref<4x8xf32>
      %a = arith.addf %acc, %v : f32
      scf.yield %a : f32
    }
    linalg.yield %t : f32
  }
  return
}

// -----

// A short loop whose reads are checked (a border's) stays a loop with
// unroll-whole: unrolled, its checks made slower code.
// WHOLE-LABEL: func.func @checked_short_loop
// WHOLE: scf.for
// WHOLE: arith.select
// WHOLE-COUNT-1: arith.muli
// WHOLE-NOT: arith.muli
func.func @checked_short_loop(%x: memref<8xi8>, %w: memref<3xi8>, %out: memref<6xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant 5 : i8
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%out : memref<6xi32>) {
  ^bb0(%o: i32):
    %n = linalg.index 0 : index
    %s = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (i32) {
      %i = arith.addi %n, %k : index
      %inside = arith.cmpi slt, %i, %c8 : index
      %xv = memref.load %x[%i] : memref<8xi8>
      %v = arith.select %inside, %xv, %pad : i8
      %wv = memref.load %w[%k] : memref<3xi8>
      %xe = arith.extsi %v : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %m = arith.muli %xe, %we : i32
      %a = arith.addi %acc, %m : i32
      scf.yield %a : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// An integer loop of 6 iterations without checks: unrolled whole with
// unroll-whole=8 (no loop left), kept by the default unroll=4 (it runs
// fewer than 8 times).
// CHECK-LABEL: func.func @short_integer_loop
// CHECK: scf.for
// WHOLE-LABEL: func.func @short_integer_loop
// WHOLE-NOT: scf.for
// WHOLE-COUNT-6: arith.muli
// WHOLE: linalg.yield
func.func @short_integer_loop(%x: memref<6xi8>, %w: memref<6xi8>, %out: memref<2xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%out : memref<2xi32>) {
  ^bb0(%o: i32):
    %s = scf.for %k = %c0 to %c6 step %c1 iter_args(%acc = %zero) -> (i32) {
      %xv = memref.load %x[%k] : memref<6xi8>
      %wv = memref.load %w[%k] : memref<6xi8>
      %xe = arith.extsi %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %m = arith.muli %xe, %we : i32
      %a = arith.addi %acc, %m : i32
      scf.yield %a : i32
    }
    linalg.yield %s : i32
  }
  return
}
