// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-block-output-channels))' | FileCheck %s
// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-block-output-channels{channels=2}))' | FileCheck %s --check-prefix=TWO
// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-block-output-channels{shared-reads-only}))' | FileCheck %s --check-prefix=SHARED
// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-block-output-channels{pixels=2}))' | FileCheck %s --check-prefix=PIXELS

// A 1x1 convolution as ft-scalar-accumulation, fusion and bufferization
// leave it: per output element, a loop over 8 input channels from the bias.
// Blocked by 4 output channels: 4 strided views of the output, the bias
// read per channel (maps 4 d3 + k), one loop carrying 4 accumulators, the
// input element loaded with the same indices for all of them, and the
// index arithmetic shared.
// CHECK-LABEL: func.func @pointwise
// CHECK-SAME: %[[OUT:[^:]*]]: memref<1x2x2x8xi32>
// CHECK: %[[V0:.*]] = memref.subview %[[OUT]][0, 0, 0, 0] [1, 2, 2, 2] [1, 1, 1, 4]
// CHECK: %[[V3:.*]] = memref.subview %[[OUT]][0, 0, 0, 3] [1, 2, 2, 2] [1, 1, 1, 4]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}, #{{.*}}, #[[ID:.*]], #[[ID]], #[[ID]], #[[ID]]]
// CHECK-SAME: outs(%[[V0]], %{{.*}}, %{{.*}}, %[[V3]] :
// CHECK-COUNT-1: linalg.index 1
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (i32, i32, i32, i32)
// CHECK-COUNT-4: arith.muli
// CHECK: scf.yield
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
// TWO-LABEL: func.func @pointwise
// TWO: linalg.generic
// TWO: scf.for {{.*}} -> (i32, i32)
// The input element is shared by the channels: blocked with
// shared-reads-only too.
// SHARED-LABEL: func.func @pointwise
// SHARED: scf.for {{.*}} -> (i32, i32, i32, i32)
// With pixels=2 (no bounds checks, the weights shared by the positions):
// 2 channels (views k, k + 2 of the channels) times 2 positions of the
// innermost dimension of at least 2 positions (views j, j + 2 of those):
// 4 outputs, each product of one of two positions' input with one of
// two channels' weights (duplicate loads are left to CSE).
// PIXELS-LABEL: func.func @pointwise
// PIXELS-SAME: %[[X:[^:]*]]: memref<1x2x2x8xi8>, %[[W:[^:]*]]: memref<8x8xi8>, %{{[^:]*}}: memref<8xi32>, %[[OUT:[^:]*]]: memref<1x2x2x8xi32>
// PIXELS: %[[C0:.*]] = memref.subview %[[OUT]][0, 0, 0, 0] [1, 2, 2, 4] [1, 1, 1, 2]
// PIXELS: %[[C1:.*]] = memref.subview %[[OUT]][0, 0, 0, 1] [1, 2, 2, 4] [1, 1, 1, 2]
// PIXELS: %[[P00:.*]] = memref.subview %[[C0]][0, 0, 0, 0] [1, 2, 1, 4] [1, 1, 2, 1]
// PIXELS: %[[P01:.*]] = memref.subview %[[C1]][0, 0, 0, 0] [1, 2, 1, 4] [1, 1, 2, 1]
// PIXELS: %[[P10:.*]] = memref.subview %[[C0]][0, 0, 1, 0] [1, 2, 1, 4] [1, 1, 2, 1]
// PIXELS: %[[P11:.*]] = memref.subview %[[C1]][0, 0, 1, 0] [1, 2, 1, 4] [1, 1, 2, 1]
// PIXELS: linalg.generic
// PIXELS-SAME: outs(%[[P00]], %[[P01]], %[[P10]], %[[P11]] :
// PIXELS: scf.for {{.*}} -> (i32, i32, i32, i32)
// PIXELS: memref.load %[[X]][%{{.*}}, %{{.*}}, %[[J0:.*]], %{{.*}}]
// PIXELS: memref.load %[[X]][%{{.*}}, %{{.*}}, %[[J1:.*]], %{{.*}}]
// PIXELS-COUNT-2: memref.load %[[X]]
// PIXELS: memref.load %[[W]][%[[K0:.*]], %{{.*}}]
// PIXELS: memref.load %[[W]][%[[K0]], %{{.*}}]
// PIXELS-COUNT-2: memref.load %[[W]][%[[K1:.*]], %{{.*}}]
// PIXELS-NOT: memref.load
// PIXELS-COUNT-4: arith.muli
// PIXELS: scf.yield
// PIXELS-NOT: linalg.generic
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @pointwise(%x: memref<1x2x2x8xi8>, %w: memref<8x8xi8>, %b: memref<8xi32>, %out: memref<1x2x2x8xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : memref<8xi32>) outs(%out : memref<1x2x2x8xi32>) {
  ^bb0(%bias: i32, %o: i32):
    %h = linalg.index 1 : index
    %wi = linalg.index 2 : index
    %co = linalg.index 3 : index
    %sum = scf.for %ci = %c0 to %c8 step %c1 iter_args(%acc = %bias) -> (i32) {
      %xv = memref.load %x[%c0, %h, %wi, %ci] : memref<1x2x2x8xi8>
      %wv = memref.load %w[%co, %ci] : memref<8x8xi8>
      %xe = arith.extsi %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %p = arith.muli %xe, %we : i32
      %s = arith.addi %acc, %p : i32
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  }
  return
}

// -----

// A depthwise window read behind a branch on its check: one branch for
// the 4 channels, its loads jammed into it.
// CHECK-LABEL: func.func @guarded_window
// CHECK: scf.for {{.*}} -> (i32, i32, i32, i32)
// CHECK: %[[IN:.*]] = arith.cmpi
// CHECK-NOT: arith.cmpi
// CHECK: scf.if %[[IN]] -> (i8, i8, i8, i8)
// CHECK-COUNT-4: memref.load %{{.*}} : memref<6x4xi8>
// CHECK: } else {
// Every read depends on the channel: with shared-reads-only, left whole.
// A checked read: no position blocking, 4 channels as without it.
// PIXELS-LABEL: func.func @guarded_window
// PIXELS: scf.for {{.*}} -> (i32, i32, i32, i32)
// SHARED-LABEL: func.func @guarded_window
// SHARED-NOT: memref.subview
// SHARED: scf.for {{.*}} -> (i32) {
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @guarded_window(%x: memref<6x4xi8>, %w: memref<3x4xi8>, %out: memref<6x4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c6 = arith.constant 6 : index
  %pad = arith.constant 0 : i8
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%out : memref<6x4xi32>) {
  ^bb0(%o: i32):
    %row = linalg.index 0 : index
    %c = linalg.index 1 : index
    %sum = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (i32) {
      %r = arith.addi %row, %k : index
      %in = arith.cmpi slt, %r, %c6 : index
      %v = scf.if %in -> (i8) {
        %xv = memref.load %x[%r, %c] : memref<6x4xi8>
        scf.yield %xv : i8
      } else {
        scf.yield %pad : i8
      }
      %wv = memref.load %w[%k, %c] : memref<3x4xi8>
      %xe = arith.extsi %v : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %p = arith.muli %xe, %we : i32
      %s = arith.addi %acc, %p : i32
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  }
  return
}

// -----

// Left alone: no reduction loop (plain elementwise), and no channel count
// a factor divides.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: memref.subview
// CHECK: linalg.generic
// CHECK-NOT: memref.subview
// CHECK: linalg.generic
// CHECK-NOT: memref.subview
// CHECK: return
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @left_alone(%x: memref<2x3xi32>, %a: memref<2x3xi32>, %b: memref<2x3xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : memref<2x3xi32>) outs(%a : memref<2x3xi32>) {
  ^bb0(%in: i32, %out: i32):
    %d = arith.addi %in, %in : i32
    linalg.yield %d : i32
  }
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : memref<2x3xi32>) outs(%b : memref<2x3xi32>) {
  ^bb0(%in: i32, %out: i32):
    %s = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %in) -> (i32) {
      %t = arith.addi %acc, %in : i32
      scf.yield %t : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// A padded window read through clamps and a select whose check does not
// change in the innermost loop: the check is hoisted and the loop split on
// it (in bounds: plain loads; outside: the padding value), then the copies
// are jammed inside each branch.
// CHECK-LABEL: func.func @clamped_window
// CHECK: linalg.generic
// CHECK: %[[IN:.*]] = arith.cmpi slt
// CHECK: scf.if %[[IN]] -> (i32, i32, i32, i32) {
// CHECK: scf.for {{.*}} -> (i32, i32, i32, i32)
// CHECK-NOT: arith.select
// CHECK: } else {
// CHECK: scf.for {{.*}} -> (i32, i32, i32, i32)
// CHECK-NOT: arith.select
// CHECK: linalg.yield
#id3 = affine_map<(d0, d1) -> (d0, d1)>
func.func @clamped_window(%xs: memref<6x8xi8>, %w: memref<4x8xi8>, %c: memref<4x4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c8 = arith.constant 8 : index
  %pad = arith.constant 3 : i8
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [#id3], iterator_types = ["parallel", "parallel"]} outs(%c : memref<4x4xi32>) {
  ^bb0(%out: i32):
    %row = linalg.index 0 : index
    %co = linalg.index 1 : index
    %sum = scf.for %ci = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> (i32) {
      %in = arith.cmpi slt, %row, %c5 : index
      %clamped = arith.minsi %row, %c5 : index
      %xv = memref.load %xs[%clamped, %ci] : memref<6x8xi8>
      %v = arith.select %in, %xv, %pad : i8
      %wv = memref.load %w[%co, %ci] : memref<4x8xi8>
      %xe = arith.extsi %v : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %p = arith.muli %xe, %we : i32
      %s = arith.addi %acc, %p : i32
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  }
  return
}

// -----

// Positions along a dimension of 3: the first 2 blocked by 2 (with 2
// channels), the last one a generic of its own on a view of the third
// column, by the same 2 channels.
// PIXELS-LABEL: func.func @odd_positions
// PIXELS-SAME: %[[OUT:[^:]*]]: memref<1x1x3x4xi32>
// PIXELS: memref.subview %[[OUT]][0, 0, 0, 0] [1, 1, 2, 4] [1, 1, 1, 1]
// PIXELS: linalg.generic
// PIXELS-SAME: memref<1x1x1x2xi32, strided<[12, 12, 8, 2]>>
// PIXELS: scf.for {{.*}} -> (i32, i32, i32, i32)
// PIXELS: memref.subview %[[OUT]][0, 0, 2, 0] [1, 1, 1, 4] [1, 1, 1, 1]
// PIXELS: linalg.generic
// PIXELS-SAME: memref<1x1x1x2xi32, strided<[12, 12, 4, 2], offset: 9>>
// PIXELS: scf.for {{.*}} -> (i32, i32)
// PIXELS-NOT: linalg.generic
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @odd_positions(%x: memref<1x1x3x8xi8>, %w: memref<4x8xi8>, %b: memref<4xi32>, %out: memref<1x1x3x4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : memref<4xi32>) outs(%out : memref<1x1x3x4xi32>) {
  ^bb0(%bias: i32, %o: i32):
    %h = linalg.index 1 : index
    %wi = linalg.index 2 : index
    %co = linalg.index 3 : index
    %sum = scf.for %ci = %c0 to %c8 step %c1 iter_args(%acc = %bias) -> (i32) {
      %xv = memref.load %x[%c0, %h, %wi, %ci] : memref<1x1x3x8xi8>
      %wv = memref.load %w[%co, %ci] : memref<4x8xi8>
      %xe = arith.extsi %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %p = arith.muli %xe, %we : i32
      %s = arith.addi %acc, %p : i32
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  }
  return
}

// -----

// Positions along an extent known at run time only, but even (twice %n):
// the remainder's extent folds to 0 once composed with it, so there is no
// remainder nest (one of 0 positions would be an invalid view).
// PIXELS-LABEL: func.func @even_at_run_time
// PIXELS: linalg.generic
// PIXELS: scf.for {{.*}} -> (i32, i32, i32, i32)
// PIXELS-NOT: linalg.generic
#x = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @even_at_run_time(%x: memref<?x8xi8>, %w: memref<4x8xi8>, %n: index) -> memref<1x?x4xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0 : i32
  %e = affine.apply affine_map<(d0) -> (d0 * 2)>(%n)
  %out = memref.alloc(%e) : memref<1x?x4xi32>
  linalg.generic {indexing_maps = [#x], iterator_types = ["parallel", "parallel", "parallel"]} outs(%out : memref<1x?x4xi32>) {
  ^bb0(%o: i32):
    %p = linalg.index 1 : index
    %co = linalg.index 2 : index
    %sum = scf.for %ci = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> (i32) {
      %xv = memref.load %x[%p, %ci] : memref<?x8xi8>
      %wv = memref.load %w[%co, %ci] : memref<4x8xi8>
      %xe = arith.extsi %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %m = arith.muli %xe, %we : i32
      %s = arith.addi %acc, %m : i32
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  }
  return %out : memref<1x?x4xi32>
}
