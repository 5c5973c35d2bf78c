// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-peel-window-edges))' | FileCheck %s

// A 1-D window of 3 over 6 positions, padded by one on each side, as
// ft-scalar-accumulation leaves it: a branch on whether the whole window is
// inside (then unchecked reads), else a check per read. The interior
// (positions 1 to 4) becomes a generic without any check; the border
// (positions 0 and 5) one generic in a loop over its two boxes, which picks
// each box's offset: the whole-window check, false on both, is folded
// there (no unchecked copy), the check per read is kept.
// CHECK-LABEL: func.func @window
// CHECK-SAME: %[[OUT:[^:]*]]: memref<6xi32>
// CHECK: %[[INSIDE:.*]] = memref.subview %[[OUT]][1] [4] [1]
// CHECK: linalg.generic {{.*}} outs(%[[INSIDE]] : memref<4xi32, strided<[1], offset: 1>>)
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: arith.addi %[[I]], %c1
// CHECK-NOT: arith.cmpi
// CHECK-NOT: scf.if
// CHECK: linalg.yield
// CHECK: scf.for %[[BOX:.*]] = %{{.*}} to %c2
// CHECK: %[[SECOND:.*]] = arith.cmpi eq, %[[BOX]]
// CHECK: %[[START:.*]] = arith.select %[[SECOND]], %c5, %c0
// CHECK: %[[BORDER:.*]] = memref.subview %[[OUT]][%[[START]]] [1] [1]
// CHECK: linalg.generic {{.*}} outs(%[[BORDER]] : memref<1xi32, strided<[1], offset: ?>>)
// CHECK-NOT: linalg.index
// CHECK: scf.for
// CHECK: affine.apply #{{.*}}(%{{.*}})[%[[START]]]
// CHECK: arith.cmpi sge
// CHECK: scf.if
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic

#id = affine_map<(d0) -> (d0)>
func.func @window(%x: memref<6xi8>, %w: memref<3xi8>, %out: memref<6xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant 0 : i8
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel"]} outs(%out : memref<6xi32>) {
  ^bb0(%o: i32):
    %i = linalg.index 0 : index
    %end = affine.apply affine_map<()[s0] -> (s0 + 2)>()[%i]
    %low = arith.cmpi sge, %i, %c1 : index
    %high = arith.cmpi slt, %end, %c7 : index
    %inside = arith.andi %low, %high : i1
    %sum = scf.if %inside -> (i32) {
      %s = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (i32) {
        %p = affine.apply affine_map<(d0)[s0] -> (d0 + s0 - 1)>(%k)[%i]
        %xv = memref.load %x[%p] : memref<6xi8>
        %wv = memref.load %w[%k] : memref<3xi8>
        %xe = arith.extsi %xv : i8 to i32
        %we = arith.extsi %wv : i8 to i32
        %m = arith.muli %xe, %we : i32
        %a = arith.addi %acc, %m : i32
        scf.yield %a : i32
      }
      scf.yield %s : i32
    } else {
      %s = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (i32) {
        %p0 = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%k)[%i]
        %p = arith.subi %p0, %c1 : index
        %ge = arith.cmpi sge, %p, %c0 : index
        %lt = arith.cmpi slt, %p, %c6 : index
        %ok = arith.andi %ge, %lt : i1
        %xv = scf.if %ok -> (i8) {
          %v = memref.load %x[%p] : memref<6xi8>
          scf.yield %v : i8
        } else {
          scf.yield %pad : i8
        }
        %wv = memref.load %w[%k] : memref<3xi8>
        %xe = arith.extsi %xv : i8 to i32
        %we = arith.extsi %wv : i8 to i32
        %m = arith.muli %xe, %we : i32
        %a = arith.addi %acc, %m : i32
        scf.yield %a : i32
      }
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  }
  return
}

// -----

// Two dimensions, a tile's rows dynamic: the static columns split at
// compile time. The interior columns lose the column check; their rows
// split at run time where the row checks (linear in the row) change: from
// ceil(1 / 1) (row - 1 >= 0) to ceil((%rows + 1) / 1) (row - 1 < %rows),
// clamped into the tile. A copy without the row checks computes those
// rows, the checked one the rows before and after them (one loop over the
// two boxes), behind a test that there are any.
// CHECK-LABEL: func.func @dynamic_rows
// CHECK-SAME: %[[ROWS:[^:]*]]: index
// CHECK: %[[COLS:.*]] = memref.subview %{{.*}}[0, 1] [%{{.*}}, 2] [1, 1]
// CHECK: %[[FIRST:.*]] = arith.ceildivsi
// CHECK: arith.subi %{{.*}}, %[[ROWS]]
// CHECK: %[[END:.*]] = arith.ceildivsi
// CHECK: %[[FIRST_IN:.*]] = arith.minsi %{{.*}}, %[[SIZE:.*]] : index
// CHECK: %[[END_IN:.*]] = arith.maxsi %{{.*}}, %[[FIRST_IN]]
// CHECK: %[[COUNT:.*]] = arith.subi %[[END_IN]], %[[FIRST_IN]]
// CHECK: %[[INSIDE:.*]] = memref.subview %[[COLS]][%[[FIRST_IN]], 0] [%[[COUNT]], 2] [1, 1]
// CHECK: linalg.generic {{.*}} outs(%[[INSIDE]]
// CHECK-NOT: arith.cmpi
// CHECK: linalg.yield
// CHECK: %[[BEFORE:.*]] = arith.cmpi ne, %[[FIRST_IN]], %c0
// CHECK: %[[AFTER:.*]] = arith.cmpi ne, %[[END_IN]], %[[SIZE]]
// CHECK: %[[ANY:.*]] = arith.ori %[[BEFORE]], %[[AFTER]]
// CHECK: scf.if %[[ANY]] {
// CHECK: scf.for
// CHECK: memref.subview %[[COLS]]
// CHECK: linalg.generic
// CHECK-COUNT-2: arith.cmpi
// CHECK-NOT: arith.cmpi
// CHECK: linalg.yield
// CHECK: scf.for
// CHECK: linalg.generic
// CHECK-COUNT-4: arith.cmpi
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @dynamic_rows(%x: memref<?x4xi8>, %out: memref<?x4xi32>, %rows: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant 0 : i8
  linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%out : memref<?x4xi32>) {
  ^bb0(%o: i32):
    %r = linalg.index 0 : index
    %c = linalg.index 1 : index
    %s = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (i32) {
      %row = arith.subi %r, %c1 : index
      %col0 = arith.addi %c, %k : index
      %col = arith.subi %col0, %c1 : index
      %rge = arith.cmpi sge, %row, %c0 : index
      %rlt = arith.cmpi slt, %row, %rows : index
      %cge = arith.cmpi sge, %col, %c0 : index
      %clt = arith.cmpi slt, %col, %c4 : index
      %rok = arith.andi %rge, %rlt : i1
      %cok = arith.andi %cge, %clt : i1
      %ok = arith.andi %rok, %cok : i1
      %xv = scf.if %ok -> (i8) {
        %v = memref.load %x[%row, %col] : memref<?x4xi8>
        scf.yield %v : i8
      } else {
        scf.yield %pad : i8
      }
      %xe = arith.extsi %xv : i8 to i32
      %a = arith.addi %acc, %xe : i32
      scf.yield %a : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// No check on the indices (a pointwise convolution): left alone.
// CHECK-LABEL: func.func @no_window
// CHECK-COUNT-1: linalg.generic
// CHECK-NOT: linalg.generic
#id3 = affine_map<(d0) -> (d0)>
func.func @no_window(%x: memref<4x8xi8>, %out: memref<4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0 : i32
  linalg.generic {indexing_maps = [#id3], iterator_types = ["parallel"]} outs(%out : memref<4xi32>) {
  ^bb0(%o: i32):
    %i = linalg.index 0 : index
    %s = scf.for %k = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> (i32) {
      %xv = memref.load %x[%i, %k] : memref<4x8xi8>
      %xe = arith.extsi %xv : i8 to i32
      %a = arith.addi %acc, %xe : i32
      scf.yield %a : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// A tile's window over dynamic positions (its offset %start, its extent the
// view's): nothing to split at compile time. The check i + k + %start < 16
// is tightest at the window's last k (its coefficient is positive): it
// holds below ceil((16 - %start - 2) / 1), which, clamped into the tile,
// ends the positions a copy without the check computes. The checked generic computes the rest,
// if any (a single box: no loop over boxes).
// CHECK-LABEL: func.func @dynamic_tile
// CHECK-SAME: %[[OUT:[^:]*]]: memref<?xi32>
// CHECK: %[[LAST:.*]] = affine.apply #{{.*}}(%c0{{.*}}, %c3{{.*}})
// CHECK: affine.apply #{{.*}}(%c0{{.*}}, %[[LAST]])
// CHECK: %[[END:.*]] = arith.ceildivsi
// CHECK-NOT: arith.ceildivsi
// CHECK: %[[SIZE:.*]] = memref.dim %[[OUT]]
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[END]], %[[SIZE]]
// CHECK: %[[END_IN:.*]] = arith.maxsi %[[CLAMPED]], %c0
// CHECK: %[[COUNT:.*]] = arith.subi %[[END_IN]], %c0
// CHECK: %[[INSIDE:.*]] = memref.subview %[[OUT]][0] [%[[COUNT]]] [1]
// CHECK: linalg.generic {{.*}} outs(%[[INSIDE]]
// CHECK-NOT: arith.cmpi
// CHECK-NOT: scf.if
// CHECK: linalg.yield
// CHECK: %[[REST:.*]] = arith.subi %[[SIZE]], %[[END_IN]]
// CHECK: %[[ANY:.*]] = arith.cmpi ne, %[[END_IN]], %[[SIZE]]
// CHECK-NEXT: scf.if %[[ANY]] {
// CHECK-NOT: scf.for %{{.*}} = %c0{{.*}} to %c1
// CHECK: %[[BORDER:.*]] = memref.subview %[[OUT]][%[[END_IN]]] [%[[REST]]] [1]
// CHECK: linalg.generic {{.*}} outs(%[[BORDER]]
// CHECK: arith.cmpi slt
// CHECK: scf.if
// CHECK: linalg.yield
#id4 = affine_map<(d0) -> (d0)>
func.func @dynamic_tile(%x: memref<16xi8>, %out: memref<?xi32>, %start: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant 0 : i8
  linalg.generic {indexing_maps = [#id4], iterator_types = ["parallel"]} outs(%out : memref<?xi32>) {
  ^bb0(%o: i32):
    %i = linalg.index 0 : index
    %s = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (i32) {
      %p = affine.apply affine_map<(d0, d1)[s0] -> (d0 + d1 + s0)>(%i, %k)[%start]
      %ok = arith.cmpi slt, %p, %c16 : index
      %xv = scf.if %ok -> (i8) {
        %v = memref.load %x[%p] : memref<16xi8>
        scf.yield %v : i8
      } else {
        scf.yield %pad : i8
      }
      %xe = arith.extsi %xv : i8 to i32
      %a = arith.addi %acc, %xe : i32
      scf.yield %a : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// Clamped reads (a convolution's input channels: the index clamped into
// the image, the value selected) and a residual input read through the
// identity map. The interior reads at the unclamped index (the clamps
// never clamp there: the read is visibly linear in the window loop) and
// its part of the residual input, a view like the output's; the border
// keeps the clamps and reads its boxes' part of the residual.
// CHECK-LABEL: func.func @clamped_residual
// CHECK-SAME: %[[X:[^:]*]]: memref<6x2xi8>
// CHECK-SAME: %[[RES:[^:]*]]: memref<6xi32>
// CHECK-SAME: %[[OUT:[^:]*]]: memref<6xi32>
// CHECK: %[[OUT_IN:.*]] = memref.subview %[[OUT]][1] [4] [1]
// CHECK: %[[RES_IN:.*]] = memref.subview %[[RES]][1] [4] [1]
// CHECK: linalg.generic {{.*}} ins(%[[RES_IN]] : memref<4xi32, strided<[1], offset: 1>>) outs(%[[OUT_IN]]
// CHECK-NOT: arith.maxsi
// CHECK-NOT: arith.minsi
// CHECK-NOT: arith.select
// CHECK: memref.load %[[X]]
// CHECK: linalg.yield
// CHECK: scf.for
// CHECK: %[[OUT_B:.*]] = memref.subview %[[OUT]]
// CHECK: %[[RES_B:.*]] = memref.subview %[[RES]]
// CHECK: linalg.generic {{.*}} ins(%[[RES_B]] : {{.*}}) outs(%[[OUT_B]]
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.select
// CHECK: linalg.yield
#id5 = affine_map<(d0) -> (d0)>
func.func @clamped_residual(%x: memref<6x2xi8>, %res: memref<6xi32>, %out: memref<6xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant 0 : i8
  linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel"]} ins(%res : memref<6xi32>) outs(%out : memref<6xi32>) {
  ^bb0(%r: i32, %o: i32):
    %i = linalg.index 0 : index
    %s = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %r) -> (i32) {
      %p0 = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%k)[%i]
      %p = arith.subi %p0, %c1 : index
      %ge = arith.cmpi sge, %p, %c0 : index
      %lt = arith.cmpi slt, %p, %c6 : index
      %ok = arith.andi %ge, %lt : i1
      %low = arith.maxsi %p, %c0 : index
      %q = arith.minsi %low, %c5 : index
      %t = scf.for %ch = %c0 to %c2 step %c1 iter_args(%acc2 = %acc) -> (i32) {
        %v = memref.load %x[%q, %ch] : memref<6x2xi8>
        %xv = arith.select %ok, %v, %pad : i8
        %xe = arith.extsi %xv : i8 to i32
        %a = arith.addi %acc2, %xe : i32
        scf.yield %a : i32
      }
      scf.yield %t : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// A tile's clamped read (dynamic positions): the clamp bounds the
// positions with the check (the clamped index never above the last
// element: i + k + %start <= 15, one more bound), and the copy without the
// check reads at the index itself.
// CHECK-LABEL: func.func @dynamic_tile_clamped
// CHECK-COUNT-2: arith.ceildivsi
// CHECK-NOT: arith.ceildivsi
// CHECK: memref.subview
// CHECK: linalg.generic
// CHECK-NOT: arith.minsi
// CHECK-NOT: arith.select
// CHECK: linalg.yield
// CHECK: scf.if
// CHECK: linalg.generic
// CHECK: arith.minsi
// CHECK: arith.select
#id6 = affine_map<(d0) -> (d0)>
func.func @dynamic_tile_clamped(%x: memref<16x4xi8>, %out: memref<?xi32>, %start: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c15 = arith.constant 15 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant 0 : i8
  linalg.generic {indexing_maps = [#id6], iterator_types = ["parallel"]} outs(%out : memref<?xi32>) {
  ^bb0(%o: i32):
    %i = linalg.index 0 : index
    %s = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (i32) {
      %p = affine.apply affine_map<(d0, d1)[s0] -> (d0 + d1 + s0)>(%i, %k)[%start]
      %ok = arith.cmpi slt, %p, %c16 : index
      %q = arith.minsi %p, %c15 : index
      %t = scf.for %ch = %c0 to %c4 step %c1 iter_args(%acc2 = %acc) -> (i32) {
        %v = memref.load %x[%q, %ch] : memref<16x4xi8>
        %xv = arith.select %ok, %v, %pad : i8
        %xe = arith.extsi %xv : i8 to i32
        %a = arith.addi %acc2, %xe : i32
        scf.yield %a : i32
      }
      scf.yield %t : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// A tile of a 3x3 window with padding on every side, rows and columns
// dynamic (a tile of a convolution): each position's checks bound its own
// dimension, so the interior box is [first, end) in both, and the border
// is four boxes (rows before and after; then, in the interior's rows,
// columns before and after) run by one checked copy.
// CHECK-LABEL: func.func @dynamic_tile_2d
// CHECK-COUNT-4: arith.ceildivsi
// CHECK-NOT: arith.ceildivsi
// CHECK: %[[INSIDE:.*]] = memref.subview %{{.*}}[%[[ROW:.*]], %[[COL:.*]]] [%[[ROWS:.*]], %[[COLS:.*]]] [1, 1]
// CHECK: linalg.generic {{.*}} outs(%[[INSIDE]]
// CHECK-NOT: arith.cmpi
// CHECK: linalg.yield
// CHECK: scf.if
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c4
// CHECK: linalg.generic
// CHECK-COUNT-4: arith.cmpi
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
#id7 = affine_map<(d0, d1) -> (d0, d1)>
func.func @dynamic_tile_2d(%x: memref<8x8xi8>, %out: memref<?x?xi32>, %r0: index, %c0s: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant 0 : i8
  linalg.generic {indexing_maps = [#id7], iterator_types = ["parallel", "parallel"]} outs(%out : memref<?x?xi32>) {
  ^bb0(%o: i32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %s = scf.for %kh = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (i32) {
      %t = scf.for %kw = %c0 to %c3 step %c1 iter_args(%acc2 = %acc) -> (i32) {
        %p = affine.apply affine_map<(d0, d1)[s0] -> (d0 + d1 + s0 - 1)>(%i, %kh)[%r0]
        %q = affine.apply affine_map<(d0, d1)[s0] -> (d0 + d1 + s0 - 1)>(%j, %kw)[%c0s]
        %pge = arith.cmpi sge, %p, %c0 : index
        %plt = arith.cmpi slt, %p, %c8 : index
        %qge = arith.cmpi sge, %q, %c0 : index
        %qlt = arith.cmpi slt, %q, %c8 : index
        %pok = arith.andi %pge, %plt : i1
        %qok = arith.andi %qge, %qlt : i1
        %ok = arith.andi %pok, %qok : i1
        %xv = scf.if %ok -> (i8) {
          %v = memref.load %x[%p, %q] : memref<8x8xi8>
          scf.yield %v : i8
        } else {
          scf.yield %pad : i8
        }
        %xe = arith.extsi %xv : i8 to i32
        %a = arith.addi %acc2, %xe : i32
        scf.yield %a : i32
      }
      scf.yield %t : i32
    }
    linalg.yield %s : i32
  }
  return
}

// -----

// A check on the sum of two dynamic positions (a diagonal) bounds no box of
// runs: the whole tile is tested at its corners instead (2 x 2 x 2), and a copy
// without the check runs when it holds everywhere.
// CHECK-LABEL: func.func @dynamic_diagonal
// CHECK-NOT: arith.ceildivsi
// CHECK-COUNT-8: arith.cmpi slt
// CHECK: scf.if
// CHECK: linalg.generic
// CHECK-NOT: arith.cmpi
// CHECK: linalg.yield
// CHECK: } else {
// CHECK: linalg.generic
// CHECK: arith.cmpi slt
#id8 = affine_map<(d0, d1) -> (d0, d1)>
func.func @dynamic_diagonal(%x: memref<16xi8>, %out: memref<?x?xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0 : i32
  %pad = arith.constant 0 : i8
  linalg.generic {indexing_maps = [#id8], iterator_types = ["parallel", "parallel"]} outs(%out : memref<?x?xi32>) {
  ^bb0(%o: i32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %s = scf.for %k = %c0 to %c2 step %c1 iter_args(%acc = %zero) -> (i32) {
      %ij = arith.addi %i, %j : index
      %p = arith.addi %ij, %k : index
      %ok = arith.cmpi slt, %p, %c16 : index
      %xv = scf.if %ok -> (i8) {
        %v = memref.load %x[%p] : memref<16xi8>
        scf.yield %v : i8
      } else {
        scf.yield %pad : i8
      }
      %xe = arith.extsi %xv : i8 to i32
      %a = arith.addi %acc, %xe : i32
      scf.yield %a : i32
    }
    linalg.yield %s : i32
  }
  return
}
