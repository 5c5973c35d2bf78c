// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-vectorize-reductions{min-length=8}))' | FileCheck %s
// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-vectorize-reductions))' | FileCheck %s --check-prefix=LONG

// A 3x3 convolution's interior over 4 input channels (NHWC input, OHWI
// weights), as ft-scalar-accumulation leaves it without unrolling: a row of
// the window (3 columns x 4 channels) is one run of 12 bytes in both
// buffers, so the column and channel loops become one loop over chunks of
// vector<[16]xi8>, the last one masked, each a 16-bit multiply and a sum
// into the accumulator.
// CHECK-LABEL: func.func @window_row
// CHECK-SAME: %[[X:[^:]*]]: memref<1x8x8x4xi8>, %[[W:[^:]*]]: memref<2x3x3x4xi8>
// CHECK: scf.for %[[KY:.*]] = %c0 to %c3 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (i32) {
// CHECK: %[[FIRST:.*]] = arith.muli %{{.*}}, %c4
// CHECK: %[[XR:.*]] = memref.collapse_shape %[[X]] {{\[}}[0], [1], [2, 3]] : memref<1x8x8x4xi8> into memref<1x8x32xi8>
// CHECK: %[[WR:.*]] = memref.collapse_shape %[[W]] {{\[}}[0], [1], [2, 3]] : memref<2x3x3x4xi8> into memref<2x3x12xi8>
// CHECK: %[[VSCALE:.*]] = vector.vscale
// CHECK: %[[STEP:.*]] = arith.muli %[[VSCALE]], %c16
// CHECK: scf.for %[[OFF:.*]] = %c0{{.*}} to %c12 step %[[STEP]] iter_args(%[[SUM:.*]] = %[[ACC]]) -> (i32) {
// CHECK: %[[LEFT:.*]] = arith.subi %c12, %[[OFF]]
// CHECK: %[[MASK:.*]] = vector.create_mask %[[LEFT]] : vector<[16]xi1>
// CHECK: %[[XI:.*]] = arith.addi %[[FIRST]], %[[OFF]]
// CHECK: %[[XV:.*]] = vector.maskedload %[[XR]][%c0{{.*}}, %{{.*}}, %[[XI]]], %[[MASK]]
// CHECK: %[[XE:.*]] = arith.extsi %[[XV]] : vector<[16]xi8> to vector<[16]xi16>
// CHECK: %[[WV:.*]] = vector.maskedload %[[WR]][%{{.*}}, %[[KY]], %{{.*}}], %[[MASK]]
// CHECK: %[[WE:.*]] = arith.extsi %[[WV]] : vector<[16]xi8> to vector<[16]xi16>
// CHECK: %[[P:.*]] = arith.muli %[[XE]], %[[WE]] : vector<[16]xi16>
// CHECK: %[[PE:.*]] = arith.extsi %[[P]] : vector<[16]xi16> to vector<[16]xi32>
// CHECK: %[[R:.*]] = vector.reduction <add>, %[[PE]], %[[SUM]] : vector<[16]xi32> into i32
// CHECK: scf.yield %[[R]] : i32
// CHECK-NOT: memref.load
// The run of 12 is below the default minimum of 16: left scalar.
// LONG-LABEL: func.func @window_row
// LONG-NOT: vector.
// LONG: memref.load
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @window_row(%x: memref<1x8x8x4xi8>, %w: memref<2x3x3x4xi8>, %out: memref<1x6x6x2xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%out : memref<1x6x6x2xi32>) {
  ^bb0(%o: i32):
    %oy = linalg.index 1 : index
    %ox = linalg.index 2 : index
    %co = linalg.index 3 : index
    %s = scf.for %ky = %c0 to %c3 step %c1 iter_args(%a0 = %zero) -> (i32) {
      %t = scf.for %kx = %c0 to %c3 step %c1 iter_args(%a1 = %a0) -> (i32) {
        %u = scf.for %ci = %c0 to %c4 step %c1 iter_args(%a2 = %a1) -> (i32) {
          %y = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%ky)[%oy]
          %x0 = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%kx)[%ox]
          %xv = memref.load %x[%c0, %y, %x0, %ci] : memref<1x8x8x4xi8>
          %wv = memref.load %w[%co, %ky, %kx, %ci] : memref<2x3x3x4xi8>
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

// A dense layer: the loop over its 32 inputs alone, no row around it.
// CHECK-LABEL: func.func @dense
// CHECK-NOT: memref.collapse_shape
// CHECK: scf.for %[[OFF:.*]] = %c0{{.*}} to %c32{{.*}} step
// CHECK: vector.maskedload %{{.*}}[%c0, %[[OFF]]]
// CHECK: vector.maskedload %{{.*}}[%{{.*}}, %[[OFF]]]
// CHECK: vector.reduction <add>
// LONG-LABEL: func.func @dense
// LONG: vector.reduction <add>
#map1 = affine_map<(d0, d1) -> (d0, d1)>
func.func @dense(%x: memref<1x32xi8>, %w: memref<4x32xi8>, %out: memref<1x4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel", "parallel"]} outs(%out : memref<1x4xi32>) {
  ^bb0(%o: i32):
    %n = linalg.index 1 : index
    %s = scf.for %k = %c0 to %c32 step %c1 iter_args(%acc = %zero) -> (i32) {
      %xv = memref.load %x[%c0, %k] : memref<1x32xi8>
      %wv = memref.load %w[%n, %k] : memref<4x32xi8>
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

// -----

// A depthwise window: the loop walks the columns, not the innermost
// dimension; a clamped column (a border) keeps the channels' run apart from
// the columns; an unsigned operand is not a signed product. All scalar but
// the clamped one's channels.
// CHECK-LABEL: func.func @not_runs
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK: memref.load %{{.*}} : memref<1x8x8x16xi8>
// CHECK: memref.load %{{.*}} : memref<3x3x16xi8>
// CHECK: scf.for %[[KX:.*]] = %c0 to %c3 step %c1
// CHECK-NOT: memref.collapse_shape
// CHECK: scf.for %{{.*}} to %c16{{.*}} step %{{.*}}vscale
// CHECK: vector.reduction <add>
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1
// CHECK: arith.extui
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @not_runs(%x: memref<1x8x8x16xi8>, %dw: memref<3x3x16xi8>, %w: memref<2x3x3x16xi8>, %out: memref<1x6x6x16xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c7 = arith.constant 7 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [#map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%out : memref<1x6x6x16xi32>) {
  ^bb0(%o: i32):
    %oy = linalg.index 1 : index
    %ox = linalg.index 2 : index
    %c = linalg.index 3 : index
    %d = scf.for %kx = %c0 to %c3 step %c1 iter_args(%a0 = %zero) -> (i32) {
      %x0 = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%kx)[%ox]
      %xv = memref.load %x[%c0, %oy, %x0, %c] : memref<1x8x8x16xi8>
      %wv = memref.load %dw[%c0, %kx, %c] : memref<3x3x16xi8>
      %xe = arith.extsi %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %m = arith.muli %xe, %we : i32
      %a = arith.addi %a0, %m : i32
      scf.yield %a : i32
    }
    %t = scf.for %kx = %c0 to %c3 step %c1 iter_args(%a1 = %d) -> (i32) {
      %x0 = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%kx)[%ox]
      %xc = arith.minsi %x0, %c7 : index
      %u = scf.for %ci = %c0 to %c16 step %c1 iter_args(%a2 = %a1) -> (i32) {
        %xv = memref.load %x[%c0, %oy, %xc, %ci] : memref<1x8x8x16xi8>
        %wv = memref.load %w[%c0, %c0, %kx, %ci] : memref<2x3x3x16xi8>
        %xe = arith.extsi %xv : i8 to i32
        %we = arith.extsi %wv : i8 to i32
        %m = arith.muli %xe, %we : i32
        %a = arith.addi %a2, %m : i32
        scf.yield %a : i32
      }
      scf.yield %u : i32
    }
    %v = scf.for %ci = %c0 to %c16 step %c1 iter_args(%a3 = %t) -> (i32) {
      %xv = memref.load %x[%c0, %oy, %ox, %ci] : memref<1x8x8x16xi8>
      %wv = memref.load %w[%c0, %c0, %c0, %ci] : memref<2x3x3x16xi8>
      %xe = arith.extui %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %m = arith.muli %xe, %we : i32
      %a = arith.addi %a3, %m : i32
      scf.yield %a : i32
    }
    linalg.yield %v : i32
  }
  return
}

// -----

// A tile's rows (a dynamic outer stride) behind a row check that the run
// does not change (select on a condition computed outside it): the row is
// still one run; masked-off lanes, the whole row when the check fails,
// read the padding value instead of memory (the weights' tail lanes are 0).
// CHECK-LABEL: func.func @guarded_tile_row
// CHECK-SAME: %[[INSIDE:[^:]*]]: i1
// CHECK: memref.collapse_shape %{{.*}} : memref<1x?x8x4xi8, strided<[?, 32, 4, 1], offset: ?>> into memref<1x?x32xi8, strided<[?, 32, 1], offset: ?>>
// CHECK: %[[ROW:.*]] = vector.broadcast %[[INSIDE]] : i1 to vector<[16]xi1>
// CHECK: %[[PAD:.*]] = vector.broadcast %c-128_i8 : i8 to vector<[16]xi8>
// CHECK: scf.for
// CHECK: %[[MASK:.*]] = vector.create_mask
// CHECK: %[[LANES:.*]] = arith.andi %[[MASK]], %[[ROW]]
// CHECK: vector.maskedload %{{.*}}, %[[LANES]], %[[PAD]]
// CHECK: vector.maskedload %{{.*}}, %[[MASK]], %cst
// CHECK: vector.reduction <add>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @guarded_tile_row(%x: memref<1x?x8x4xi8, strided<[?, 32, 4, 1], offset: ?>>, %w: memref<2x3x3x4xi8>, %out: memref<1x?x6x2xi32>, %inside: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant -128 : i8
  linalg.generic {indexing_maps = [#map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%out : memref<1x?x6x2xi32>) {
  ^bb0(%o: i32):
    %oy = linalg.index 1 : index
    %ox = linalg.index 2 : index
    %co = linalg.index 3 : index
    %t = scf.for %kx = %c0 to %c3 step %c1 iter_args(%a1 = %zero) -> (i32) {
      %u = scf.for %ci = %c0 to %c4 step %c1 iter_args(%a2 = %a1) -> (i32) {
        %x0 = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%kx)[%ox]
        %xv = memref.load %x[%c0, %oy, %x0, %ci] : memref<1x?x8x4xi8, strided<[?, 32, 4, 1], offset: ?>>
        %xs = arith.select %inside, %xv, %pad : i8
        %wv = memref.load %w[%co, %c0, %kx, %ci] : memref<2x3x3x4xi8>
        %xe = arith.extsi %xs : i8 to i32
        %we = arith.extsi %wv : i8 to i32
        %m = arith.muli %xe, %we : i32
        %a = arith.addi %a2, %m : i32
        scf.yield %a : i32
      }
      scf.yield %u : i32
    }
    linalg.yield %t : i32
  }
  return
}
