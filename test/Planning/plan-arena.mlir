// RUN: ft-opt %s -allow-unregistered-dialect --split-input-file --ft-plan-arena='io-in-arena=false in-place=false' | FileCheck %s
// RUN: ft-opt %s -allow-unregistered-dialect --split-input-file --ft-plan-arena='io-in-arena=false' | FileCheck %s --check-prefix=INPLACE

// A chain a(5) -> b(3) -> c(2) -> d(4) in 16-byte slots: LOAD is 32 bytes
// (two slots at every step) and the plan reaches it. Every allocation is a
// view into one zero-initialised global.
// CHECK-LABEL: memref.global "private" @chain_arena : memref<32xi8> = dense<0> {alignment = 16 : i64}
// CHECK-LABEL: func.func @chain
// CHECK-SAME: ft.arena_load = 32 : i64
// CHECK-SAME: ft.arena_size = 32 : i64
// CHECK: %[[ARENA:.*]] = memref.get_global @chain_arena : memref<32xi8>
// CHECK-NOT: memref.alloc
// CHECK-COUNT-4: memref.view %[[ARENA]][%{{.*}}][] : memref<32xi8> to memref<{{[0-9]}}xi8>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
func.func @chain(%in: memref<4xi8>, %out: memref<4xi8>) {
  %a = memref.alloc() : memref<5xi8>
  %b = memref.alloc() : memref<3xi8>
  %c = memref.alloc() : memref<2xi8>
  %d = memref.alloc() : memref<4xi8>
  "test.op"(%in, %a) : (memref<4xi8>, memref<5xi8>) -> ()
  "test.op"(%a, %b) : (memref<5xi8>, memref<3xi8>) -> ()
  "test.op"(%b, %c) : (memref<3xi8>, memref<2xi8>) -> ()
  "test.op"(%c, %d) : (memref<2xi8>, memref<4xi8>) -> ()
  "test.op"(%d, %out) : (memref<4xi8>, memref<4xi8>) -> ()
  memref.dealloc %a : memref<5xi8>
  return
}

// -----

// A diamond: a feeds b and c, both feed d. a, b and c are alive together.
// CHECK-LABEL: func.func @diamond
// CHECK-SAME: ft.arena_load = 48 : i64
// CHECK-SAME: ft.arena_size = 48 : i64
func.func @diamond() {
  %a = memref.alloc() : memref<16xi8>
  %b = memref.alloc() : memref<16xi8>
  %c = memref.alloc() : memref<16xi8>
  %d = memref.alloc() : memref<16xi8>
  "test.op"(%a) : (memref<16xi8>) -> ()
  "test.op"(%a, %b) : (memref<16xi8>, memref<16xi8>) -> ()
  "test.op"(%a, %c) : (memref<16xi8>, memref<16xi8>) -> ()
  "test.op"(%b, %c, %d) : (memref<16xi8>, memref<16xi8>, memref<16xi8>) -> ()
  return
}

// -----

// A buffer used inside a loop lives for the whole loop and takes one slot,
// reused by every iteration; the allocation inside the loop body is a view
// too. The view of %big keeps %big alive while %small is used.
// CHECK-LABEL: func.func @loop
// CHECK-SAME: ft.arena_load = 96 : i64
// CHECK-SAME: ft.arena_size = 96 : i64
// CHECK: scf.for
// CHECK: memref.view %{{.*}}[%{{.*}}][] : memref<96xi8> to memref<32xi8>
func.func @loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %big = memref.alloc() : memref<64xi8>
  %sub = memref.subview %big[0] [32] [1] : memref<64xi8> to memref<32xi8, strided<[1]>>
  scf.for %i = %c0 to %n step %c1 {
    %small = memref.alloc() : memref<32xi8>
    "test.op"(%sub, %small) : (memref<32xi8, strided<[1]>>, memref<32xi8>) -> ()
  }
  %after = memref.alloc() : memref<64xi8>
  "test.op"(%after) : (memref<64xi8>) -> ()
  return
}

// -----

// An elementwise op writing a fresh buffer over an input that dies there
// shares its slot: 2 x 64 bytes instead of 3 x 64.
// CHECK-LABEL: func.func @in_place
// CHECK-SAME: ft.arena_size = 192 : i64
// INPLACE-LABEL: func.func @in_place
// INPLACE-SAME: ft.arena_size = 128 : i64
// INPLACE: arith.constant [[OFF:[0-9]+]] : index
// INPLACE-NEXT: %[[X:.*]] = memref.view %{{.*}} : memref<128xi8> to memref<64xi8>
// INPLACE: "test.op"
// INPLACE-NEXT: arith.constant [[OFF]] : index
// INPLACE-NEXT: %[[Y:.*]] = memref.view %{{.*}} : memref<128xi8> to memref<64xi8>
// INPLACE-NEXT: linalg.generic {{.*}} ins(%[[X]], %{{.*}} : memref<64xi8>, memref<64xi8>) outs(%[[Y]] : memref<64xi8>)
#id = affine_map<(d0) -> (d0)>
func.func @in_place() {
  %x = memref.alloc() : memref<64xi8>
  %w = memref.alloc() : memref<64xi8>
  "test.op"(%x, %w) : (memref<64xi8>, memref<64xi8>) -> ()
  %y = memref.alloc() : memref<64xi8>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%x, %w : memref<64xi8>, memref<64xi8>) outs(%y : memref<64xi8>) {
  ^bb0(%a: i8, %b: i8, %o: i8):
    %s = arith.addi %a, %b : i8
    linalg.yield %s : i8
  }
  "test.op"(%w, %y) : (memref<64xi8>, memref<64xi8>) -> ()
  return
}

// -----

// The payload also loads the dying input at other indices (a convolution
// whose residual add reads its own input as the skip connection): writing
// over it would clobber elements still to be read, so no slot is shared.
// INPLACE-LABEL: func.func @no_in_place_when_payload_reads_input
// INPLACE-SAME: ft.arena_size = 192 : i64
#id = affine_map<(d0) -> (d0)>
func.func @no_in_place_when_payload_reads_input() {
  %x = memref.alloc() : memref<64xi8>
  %w = memref.alloc() : memref<64xi8>
  "test.op"(%x, %w) : (memref<64xi8>, memref<64xi8>) -> ()
  %y = memref.alloc() : memref<64xi8>
  %c63 = arith.constant 63 : index
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : memref<64xi8>) outs(%y : memref<64xi8>) {
  ^bb0(%a: i8, %o: i8):
    %i = linalg.index 0 : index
    %j = arith.subi %c63, %i : index
    %mirrored = memref.load %x[%j] : memref<64xi8>
    %s = arith.addi %a, %mirrored : i8
    linalg.yield %s : i8
  }
  "test.op"(%w, %y) : (memref<64xi8>, memref<64xi8>) -> ()
  return
}

// -----

// A tile clipped at a border has a dynamic size; its slot is sized by the
// upper bound the value-bounds analysis derives (here min(%n, 8) <= 8) and
// the view keeps the dynamic size.
// CHECK-LABEL: func.func @bounded_tile
// CHECK-SAME: ft.arena_size = 16 : i64
// CHECK: %[[SIZE:.*]] = affine.min
// CHECK: memref.view %{{.*}}[%{{.*}}][%[[SIZE]]] : memref<16xi8> to memref<?xi8>
func.func @bounded_tile(%n: index) {
  %size = affine.min affine_map<(d0) -> (d0, 8)>(%n)
  %t = memref.alloc(%size) : memref<?xi8>
  "test.op"(%t) : (memref<?xi8>) -> ()
  return
}

// -----

// A copy of a dying buffer (through a reshape) into a fresh buffer of the
// same size: the destination takes the source's slot. A copy through a
// transposing view must not.
// INPLACE-LABEL: func.func @copy_in_place
// INPLACE-SAME: ft.arena_size = 64 : i64
func.func @copy_in_place() {
  %a = memref.alloc() : memref<4x16xi8>
  "test.op"(%a) : (memref<4x16xi8>) -> ()
  %flat = memref.collapse_shape %a [[0, 1]] : memref<4x16xi8> into memref<64xi8>
  %b = memref.alloc() : memref<64xi8>
  memref.copy %flat, %b : memref<64xi8> to memref<64xi8>
  "test.op"(%b) : (memref<64xi8>) -> ()
  return
}

// -----

// INPLACE-LABEL: func.func @no_copy_in_place_through_transpose
// INPLACE-SAME: ft.arena_size = 128 : i64
func.func @no_copy_in_place_through_transpose() {
  %a = memref.alloc() : memref<8x8xi8>
  "test.op"(%a) : (memref<8x8xi8>) -> ()
  %t = memref.transpose %a (i, j) -> (j, i) : memref<8x8xi8> to memref<8x8xi8, strided<[1, 8]>>
  %b = memref.alloc() : memref<8x8xi8>
  memref.copy %t, %b : memref<8x8xi8, strided<[1, 8]>> to memref<8x8xi8>
  "test.op"(%b) : (memref<8x8xi8>) -> ()
  return
}

// -----

// A halo tile's size has a max (clipped at the image border), which the
// value-bounds analysis cannot bound from above: the planner evaluates it
// for each of the 7 tiles; the largest is 2 * 1 + 2 = 4 bytes (tile 0).
// CHECK-LABEL: func.func @halo_tile
// CHECK-SAME: ft.arena_size = 16 : i64
// CHECK: memref.view {{.*}} to memref<?xi8>
func.func @halo_tile() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  scf.for %i = %c0 to %c7 step %c1 {
    %a = affine.max affine_map<(d0) -> (0, -d0 + 1)>(%i)
    %b = affine.apply affine_map<(d0) -> (d0 * 2 + 2)>(%a)
    %m = memref.alloc(%b) : memref<?xi8>
    "test.op"(%m) : (memref<?xi8>) -> ()
  }
  return
}

// -----

// Buffers allocated inside a loop body live only for their part of each
// iteration: a(16) -> b(16) -> c(16) in the body needs two slots, a and c
// sharing one. The buffer read in the loop but allocated before it lives
// for the whole loop.
// CHECK-LABEL: func.func @loop_body_reuse
// CHECK-SAME: ft.arena_size = 48 : i64
func.func @loop_body_reuse(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %outer = memref.alloc() : memref<16xi8>
  "test.op"(%outer) : (memref<16xi8>) -> ()
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.alloc() : memref<16xi8>
    "test.op"(%outer, %a) : (memref<16xi8>, memref<16xi8>) -> ()
    %b = memref.alloc() : memref<16xi8>
    "test.op"(%a, %b) : (memref<16xi8>, memref<16xi8>) -> ()
    %c = memref.alloc() : memref<16xi8>
    "test.op"(%b, %c) : (memref<16xi8>, memref<16xi8>) -> ()
    "test.op"(%c) : (memref<16xi8>) -> ()
  }
  return
}

// -----

// A buffer allocated in the body but carried to the next iteration (the
// loop yields it) lives for the whole loop, as does what it aliases.
// CHECK-LABEL: func.func @loop_carried
// CHECK-SAME: ft.arena_size = 48 : i64
func.func @loop_carried(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %init = memref.alloc() : memref<16xi8>
  "test.op"(%init) : (memref<16xi8>) -> ()
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %init) -> (memref<16xi8>) {
    %tmp = memref.alloc() : memref<16xi8>
    "test.op"(%acc, %tmp) : (memref<16xi8>, memref<16xi8>) -> ()
    // If %next lived only from here, it could take %tmp's slot.
    %next = memref.alloc() : memref<16xi8>
    "test.op"(%next) : (memref<16xi8>) -> ()
    scf.yield %next : memref<16xi8>
  }
  "test.op"(%r) : (memref<16xi8>) -> ()
  return
}

// -----

// An FDT merge reads the accumulator through the result of the loop that
// carried it; the accumulator dies there, so the merged result takes its
// slot: 80 bytes (accumulator and tile) instead of 128 (accumulator and
// result).
// CHECK-LABEL: func.func @merge_in_place_of_carried_accumulator
// CHECK-SAME: ft.arena_size = 128 : i64
// INPLACE-LABEL: func.func @merge_in_place_of_carried_accumulator
// INPLACE-SAME: ft.arena_size = 80 : i64
#id = affine_map<(d0) -> (d0)>
func.func @merge_in_place_of_carried_accumulator(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %acc = memref.alloc() : memref<16xf32>
  "test.op"(%acc) : (memref<16xf32>) -> ()
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%carried = %acc) -> (memref<16xf32>) {
    %tile = memref.alloc() : memref<4xf32>
    "test.op"(%tile, %carried) : (memref<4xf32>, memref<16xf32>) -> ()
    scf.yield %carried : memref<16xf32>
  }
  %merged = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%sum : memref<16xf32>) outs(%merged : memref<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %a : f32
    linalg.yield %r : f32
  }
  "test.op"(%merged) : (memref<16xf32>) -> ()
  return
}

// -----

// Odd integer widths take LLVM's alloc size, a power of two: the 16x8
// convolutions' i48 accumulators are 8 bytes each (6 would let the next
// buffer overlap them: 48 bytes, not 64), i24 takes 4 and i1 takes 1.
// CHECK-LABEL: func.func @odd_widths
// CHECK-SAME: ft.arena_load = 96 : i64
// CHECK: memref.view {{.*}} to memref<8xi48>
// CHECK: memref.view {{.*}} to memref<3xi24>
// CHECK: memref.view {{.*}} to memref<5xi1>
func.func @odd_widths(%in: memref<4xi8>, %out: memref<4xi8>) {
  %a = memref.alloc() : memref<8xi48>
  %b = memref.alloc() : memref<3xi24>
  %c = memref.alloc() : memref<5xi1>
  "test.op"(%in, %a, %b, %c) : (memref<4xi8>, memref<8xi48>, memref<3xi24>, memref<5xi1>) -> ()
  "test.op"(%a, %b, %c, %out) : (memref<8xi48>, memref<3xi24>, memref<5xi1>, memref<4xi8>) -> ()
  return
}
