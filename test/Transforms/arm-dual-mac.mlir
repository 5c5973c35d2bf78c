// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-arm-dual-mac))' | FileCheck %s

// Four products of contiguous int8 elements of both buffers: one unaligned
// word of each, split into even and odd bytes, two SMLADs; the byte loads,
// extensions and products go.
// CHECK-LABEL: func.func @dot4
// CHECK-SAME: (%[[X:.*]]: memref<1x64xi8>, %[[W:.*]]: memref<8x64xi8>, %[[ACC:.*]]: i32, %[[C:.*]]: index)
// CHECK: scf.for %[[K:.*]] = {{.*}} iter_args(%[[SUM:.*]] = %[[ACC]])
// CHECK-NOT: memref.load
// CHECK: %[[XV:.*]] = vector.load %[[X]][%{{.*}}, %[[K]]] {alignment = 1 : i64} : memref<1x64xi8>, vector<4xi8>
// CHECK: %[[XW:.*]] = vector.bitcast %[[XV]] : vector<4xi8> to vector<1xi32>
// CHECK: %[[XI:.*]] = vector.extract %[[XW]][0]
// CHECK: %[[XR:.*]] = arith.ori
// CHECK: %[[XE:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"(%[[XI]])
// CHECK: %[[XO:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"(%[[XR]])
// CHECK: %[[WV:.*]] = vector.load %[[W]][%[[C]], %[[K]]] {alignment = 1 : i64}
// CHECK: %[[WE:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"
// CHECK: %[[WO:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"
// CHECK: %[[S1:.*]] = llvm.call_intrinsic "llvm.arm.smlad"(%[[XE]], %[[WE]], %[[SUM]])
// CHECK: %[[S2:.*]] = llvm.call_intrinsic "llvm.arm.smlad"(%[[XO]], %[[WO]], %[[S1]])
// CHECK-NOT: arith.muli
// CHECK: scf.yield %[[S2]]
func.func @dot4(%x: memref<1x64xi8>, %w: memref<8x64xi8>, %acc: i32, %c: index) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %r = scf.for %k = %c0 to %c64 step %c4 iter_args(%sum = %acc) -> (i32) {
    %k1 = arith.addi %k, %c1 : index
    %k2 = arith.addi %k, %c2 : index
    %k3 = arith.addi %k, %c3 : index
    %x0 = memref.load %x[%c0, %k] : memref<1x64xi8>
    %w0 = memref.load %w[%c, %k] : memref<8x64xi8>
    %x1 = memref.load %x[%c0, %k1] : memref<1x64xi8>
    %w1 = memref.load %w[%c, %k1] : memref<8x64xi8>
    %x2 = memref.load %x[%c0, %k2] : memref<1x64xi8>
    %w2 = memref.load %w[%c, %k2] : memref<8x64xi8>
    %x3 = memref.load %x[%c0, %k3] : memref<1x64xi8>
    %w3 = memref.load %w[%c, %k3] : memref<8x64xi8>
    %a0 = arith.extsi %x0 : i8 to i32
    %b0 = arith.extsi %w0 : i8 to i32
    %a1 = arith.extsi %x1 : i8 to i32
    %b1 = arith.extsi %w1 : i8 to i32
    %a2 = arith.extsi %x2 : i8 to i32
    %b2 = arith.extsi %w2 : i8 to i32
    %a3 = arith.extsi %x3 : i8 to i32
    %b3 = arith.extsi %w3 : i8 to i32
    %p0 = arith.muli %a0, %b0 : i32
    %p1 = arith.muli %a1, %b1 : i32
    %p2 = arith.muli %a2, %b2 : i32
    %p3 = arith.muli %a3, %b3 : i32
    %s0 = arith.addi %sum, %p0 : i32
    %s1 = arith.addi %s0, %p1 : i32
    %s2 = arith.addi %s1, %p2 : i32
    %s3 = arith.addi %s2, %p3 : i32
    scf.yield %s3 : i32
  }
  return %r : i32
}

// -----

// Elements of a column (stride 64, not contiguous): unchanged.
// CHECK-LABEL: func.func @column
// CHECK-NOT: llvm.call_intrinsic
// CHECK-COUNT-4: arith.muli
func.func @column(%x: memref<64x4xi8>, %w: memref<64xi8>, %acc: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %r = scf.for %k = %c0 to %c64 step %c4 iter_args(%sum = %acc) -> (i32) {
    %k1 = arith.addi %k, %c1 : index
    %k2 = arith.addi %k, %c2 : index
    %k3 = arith.addi %k, %c3 : index
    %x0 = memref.load %x[%k, %c0] : memref<64x4xi8>
    %x1 = memref.load %x[%k1, %c0] : memref<64x4xi8>
    %x2 = memref.load %x[%k2, %c0] : memref<64x4xi8>
    %x3 = memref.load %x[%k3, %c0] : memref<64x4xi8>
    %w0 = memref.load %w[%k] : memref<64xi8>
    %w1 = memref.load %w[%k1] : memref<64xi8>
    %w2 = memref.load %w[%k2] : memref<64xi8>
    %w3 = memref.load %w[%k3] : memref<64xi8>
    %a0 = arith.extsi %x0 : i8 to i32
    %a1 = arith.extsi %x1 : i8 to i32
    %a2 = arith.extsi %x2 : i8 to i32
    %a3 = arith.extsi %x3 : i8 to i32
    %b0 = arith.extsi %w0 : i8 to i32
    %b1 = arith.extsi %w1 : i8 to i32
    %b2 = arith.extsi %w2 : i8 to i32
    %b3 = arith.extsi %w3 : i8 to i32
    %p0 = arith.muli %a0, %b0 : i32
    %p1 = arith.muli %a1, %b1 : i32
    %p2 = arith.muli %a2, %b2 : i32
    %p3 = arith.muli %a3, %b3 : i32
    %s0 = arith.addi %sum, %p0 : i32
    %s1 = arith.addi %s0, %p1 : i32
    %s2 = arith.addi %s1, %p2 : i32
    %s3 = arith.addi %s2, %p3 : i32
    scf.yield %s3 : i32
  }
  return %r : i32
}

// -----

// A partial sum used elsewhere (here: yielded too) keeps the chain as it
// is; so do uint8 elements (zero-extended) and strided views whose last
// dimension is not unit-stride.
// CHECK-LABEL: func.func @partial_sum_used
// CHECK-NOT: llvm.call_intrinsic
// CHECK-LABEL: func.func @unsigned
// CHECK-NOT: llvm.call_intrinsic
// CHECK-LABEL: func.func @strided_view
// CHECK-NOT: llvm.call_intrinsic
func.func @partial_sum_used(%x: memref<64xi8>, %w: memref<64xi8>, %acc: i32) -> (i32, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %r:2 = scf.for %k = %c0 to %c64 step %c4 iter_args(%sum = %acc, %half = %acc) -> (i32, i32) {
    %k1 = arith.addi %k, %c1 : index
    %k2 = arith.addi %k, %c2 : index
    %k3 = arith.addi %k, %c3 : index
    %x0 = memref.load %x[%k] : memref<64xi8>
    %x1 = memref.load %x[%k1] : memref<64xi8>
    %x2 = memref.load %x[%k2] : memref<64xi8>
    %x3 = memref.load %x[%k3] : memref<64xi8>
    %w0 = memref.load %w[%k] : memref<64xi8>
    %w1 = memref.load %w[%k1] : memref<64xi8>
    %w2 = memref.load %w[%k2] : memref<64xi8>
    %w3 = memref.load %w[%k3] : memref<64xi8>
    %a0 = arith.extsi %x0 : i8 to i32
    %a1 = arith.extsi %x1 : i8 to i32
    %a2 = arith.extsi %x2 : i8 to i32
    %a3 = arith.extsi %x3 : i8 to i32
    %b0 = arith.extsi %w0 : i8 to i32
    %b1 = arith.extsi %w1 : i8 to i32
    %b2 = arith.extsi %w2 : i8 to i32
    %b3 = arith.extsi %w3 : i8 to i32
    %p0 = arith.muli %a0, %b0 : i32
    %p1 = arith.muli %a1, %b1 : i32
    %p2 = arith.muli %a2, %b2 : i32
    %p3 = arith.muli %a3, %b3 : i32
    %s0 = arith.addi %sum, %p0 : i32
    %s1 = arith.addi %s0, %p1 : i32
    %s2 = arith.addi %s1, %p2 : i32
    %s3 = arith.addi %s2, %p3 : i32
    scf.yield %s3, %s1 : i32, i32
  }
  return %r#0, %r#1 : i32, i32
}

func.func @unsigned(%x: memref<64xi8>, %w: memref<64xi8>, %acc: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %r = scf.for %k = %c0 to %c64 step %c4 iter_args(%sum = %acc) -> (i32) {
    %k1 = arith.addi %k, %c1 : index
    %k2 = arith.addi %k, %c2 : index
    %k3 = arith.addi %k, %c3 : index
    %x0 = memref.load %x[%k] : memref<64xi8>
    %x1 = memref.load %x[%k1] : memref<64xi8>
    %x2 = memref.load %x[%k2] : memref<64xi8>
    %x3 = memref.load %x[%k3] : memref<64xi8>
    %w0 = memref.load %w[%k] : memref<64xi8>
    %w1 = memref.load %w[%k1] : memref<64xi8>
    %w2 = memref.load %w[%k2] : memref<64xi8>
    %w3 = memref.load %w[%k3] : memref<64xi8>
    %a0 = arith.extui %x0 : i8 to i32
    %a1 = arith.extui %x1 : i8 to i32
    %a2 = arith.extui %x2 : i8 to i32
    %a3 = arith.extui %x3 : i8 to i32
    %b0 = arith.extsi %w0 : i8 to i32
    %b1 = arith.extsi %w1 : i8 to i32
    %b2 = arith.extsi %w2 : i8 to i32
    %b3 = arith.extsi %w3 : i8 to i32
    %p0 = arith.muli %a0, %b0 : i32
    %p1 = arith.muli %a1, %b1 : i32
    %p2 = arith.muli %a2, %b2 : i32
    %p3 = arith.muli %a3, %b3 : i32
    %s0 = arith.addi %sum, %p0 : i32
    %s1 = arith.addi %s0, %p1 : i32
    %s2 = arith.addi %s1, %p2 : i32
    %s3 = arith.addi %s2, %p3 : i32
    scf.yield %s3 : i32
  }
  return %r : i32
}

func.func @strided_view(%x: memref<64xi8, strided<[2]>>, %w: memref<64xi8>, %acc: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %r = scf.for %k = %c0 to %c64 step %c4 iter_args(%sum = %acc) -> (i32) {
    %k1 = arith.addi %k, %c1 : index
    %k2 = arith.addi %k, %c2 : index
    %k3 = arith.addi %k, %c3 : index
    %x0 = memref.load %x[%k] : memref<64xi8, strided<[2]>>
    %x1 = memref.load %x[%k1] : memref<64xi8, strided<[2]>>
    %x2 = memref.load %x[%k2] : memref<64xi8, strided<[2]>>
    %x3 = memref.load %x[%k3] : memref<64xi8, strided<[2]>>
    %w0 = memref.load %w[%k] : memref<64xi8>
    %w1 = memref.load %w[%k1] : memref<64xi8>
    %w2 = memref.load %w[%k2] : memref<64xi8>
    %w3 = memref.load %w[%k3] : memref<64xi8>
    %a0 = arith.extsi %x0 : i8 to i32
    %a1 = arith.extsi %x1 : i8 to i32
    %a2 = arith.extsi %x2 : i8 to i32
    %a3 = arith.extsi %x3 : i8 to i32
    %b0 = arith.extsi %w0 : i8 to i32
    %b1 = arith.extsi %w1 : i8 to i32
    %b2 = arith.extsi %w2 : i8 to i32
    %b3 = arith.extsi %w3 : i8 to i32
    %p0 = arith.muli %a0, %b0 : i32
    %p1 = arith.muli %a1, %b1 : i32
    %p2 = arith.muli %a2, %b2 : i32
    %p3 = arith.muli %a3, %b3 : i32
    %s0 = arith.addi %sum, %p0 : i32
    %s1 = arith.addi %s0, %p1 : i32
    %s2 = arith.addi %s1, %p2 : i32
    %s3 = arith.addi %s2, %p3 : i32
    scf.yield %s3 : i32
  }
  return %r : i32
}

// -----

// A run that starts at a computed offset, unrolled (`start + (i + c)`), and
// weights read at constant indices (a 4-tap row unrolled whole): the
// indices are compared as sums of the same values plus consecutive
// constants.
// CHECK-LABEL: func.func @offsets
// CHECK: vector.load %{{.*}}[%{{.*}}, %[[XI:.*]]] {alignment = 1 : i64} : memref<1x64xi8>, vector<4xi8>
// CHECK: vector.load %{{.*}}[%{{.*}}, %c0] {alignment = 1 : i64} : memref<8x4xi8>, vector<4xi8>
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.arm.smlad"
// CHECK-NOT: arith.muli
func.func @offsets(%x: memref<1x64xi8>, %w: memref<8x4xi8>, %acc: i32, %c: index, %start: index, %i: index) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %k = %c0 to %c4 step %c4 iter_args(%sum = %acc) -> (i32) {
    %i1 = arith.addi %i, %c1 : index
    %i2 = arith.addi %i, %c2 : index
    %i3 = arith.addi %i, %c3 : index
    %k0 = arith.addi %start, %i : index
    %k1 = arith.addi %start, %i1 : index
    %k2 = arith.addi %start, %i2 : index
    %k3 = arith.addi %start, %i3 : index
    %x0 = memref.load %x[%c0, %k0] : memref<1x64xi8>
    %w0 = memref.load %w[%c, %c0] : memref<8x4xi8>
    %x1 = memref.load %x[%c0, %k1] : memref<1x64xi8>
    %w1 = memref.load %w[%c, %c1] : memref<8x4xi8>
    %x2 = memref.load %x[%c0, %k2] : memref<1x64xi8>
    %w2 = memref.load %w[%c, %c2] : memref<8x4xi8>
    %x3 = memref.load %x[%c0, %k3] : memref<1x64xi8>
    %w3 = memref.load %w[%c, %c3] : memref<8x4xi8>
    %a0 = arith.extsi %x0 : i8 to i32
    %b0 = arith.extsi %w0 : i8 to i32
    %a1 = arith.extsi %x1 : i8 to i32
    %b1 = arith.extsi %w1 : i8 to i32
    %a2 = arith.extsi %x2 : i8 to i32
    %b2 = arith.extsi %w2 : i8 to i32
    %a3 = arith.extsi %x3 : i8 to i32
    %b3 = arith.extsi %w3 : i8 to i32
    %p0 = arith.muli %a0, %b0 : i32
    %p1 = arith.muli %a1, %b1 : i32
    %p2 = arith.muli %a2, %b2 : i32
    %p3 = arith.muli %a3, %b3 : i32
    %s0 = arith.addi %sum, %p0 : i32
    %s1 = arith.addi %s0, %p1 : i32
    %s2 = arith.addi %s1, %p2 : i32
    %s3 = arith.addi %s2, %p3 : i32
    scf.yield %s3 : i32
  }
  return %r : i32
}
