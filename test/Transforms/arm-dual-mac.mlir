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

// -----

// Four accumulators, each the products of one of two rows of %x with one
// of two rows of %w (2 output positions x 2 channels): one fixed
// instruction sequence per group of four bytes, inline assembly on the
// addresses of the first group's reads (aligned pointer + offset + indices
// x strides), the other reads at immediate offsets (64 bytes on: the
// other row), each word split once. Accumulator (i, j) is assembly
// operand i * 2 + j.
// CHECK-LABEL: func.func @block_2x2
// CHECK: scf.for {{.*}} -> (i32, i32, i32, i32)
// CHECK-NOT: memref.load
// CHECK: memref.extract_aligned_pointer_as_index %{{.*}} : memref<2x64xi8>
// CHECK: %[[PA:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: %[[PB:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: %[[ASM:.*]] = llvm.inline_asm asm_dialect = att "ldr $5, [$14, #0]\0Asxtb16 $4, $5\0Asxtb16 $5, $5, ror #8\0Aldr $7, [$14, #64]\0Asxtb16 $6, $7\0Asxtb16 $7, $7, ror #8\0Aldr $9, [$15, #0]\0Asxtb16 $8, $9\0Asxtb16 $9, $9, ror #8\0Asmlad $0, $4, $8, $0\0Asmlad $0, $5, $9, $0\0Asmlad $2, $6, $8, $2\0Asmlad $2, $7, $9, $2\0Aldr $9, [$15, #64]\0Asxtb16 $8, $9\0Asxtb16 $9, $9, ror #8\0Asmlad $1, $4, $8, $1\0Asmlad $1, $5, $9, $1\0Asmlad $3, $6, $8, $3\0Asmlad $3, $7, $9, $3\0A", "=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,r,r" %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[PA]], %[[PB]]
// CHECK-COUNT-4: llvm.extractvalue %[[ASM]]
// CHECK-NOT: arith.muli
// CHECK: scf.yield
func.func @block_2x2(%x: memref<2x64xi8>, %w: memref<2x64xi8>, %acc: i32) -> (i32, i32, i32, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %r:4 = scf.for %k = %c0 to %c64 step %c4 iter_args(%s0 = %acc, %s1 = %acc, %s2 = %acc, %s3 = %acc) -> (i32, i32, i32, i32) {
    %k1 = arith.addi %k, %c1 : index
    %k2 = arith.addi %k, %c2 : index
    %k3 = arith.addi %k, %c3 : index
    %x0_0 = memref.load %x[%c0, %k] : memref<2x64xi8>
    %w0_0 = memref.load %w[%c0, %k] : memref<2x64xi8>
    %a0_0 = arith.extsi %x0_0 : i8 to i32
    %b0_0 = arith.extsi %w0_0 : i8 to i32
    %p0_0 = arith.muli %a0_0, %b0_0 : i32
    %t0_0 = arith.addi %s0, %p0_0 : i32
    %x0_1 = memref.load %x[%c0, %k1] : memref<2x64xi8>
    %w0_1 = memref.load %w[%c0, %k1] : memref<2x64xi8>
    %a0_1 = arith.extsi %x0_1 : i8 to i32
    %b0_1 = arith.extsi %w0_1 : i8 to i32
    %p0_1 = arith.muli %a0_1, %b0_1 : i32
    %t0_1 = arith.addi %t0_0, %p0_1 : i32
    %x0_2 = memref.load %x[%c0, %k2] : memref<2x64xi8>
    %w0_2 = memref.load %w[%c0, %k2] : memref<2x64xi8>
    %a0_2 = arith.extsi %x0_2 : i8 to i32
    %b0_2 = arith.extsi %w0_2 : i8 to i32
    %p0_2 = arith.muli %a0_2, %b0_2 : i32
    %t0_2 = arith.addi %t0_1, %p0_2 : i32
    %x0_3 = memref.load %x[%c0, %k3] : memref<2x64xi8>
    %w0_3 = memref.load %w[%c0, %k3] : memref<2x64xi8>
    %a0_3 = arith.extsi %x0_3 : i8 to i32
    %b0_3 = arith.extsi %w0_3 : i8 to i32
    %p0_3 = arith.muli %a0_3, %b0_3 : i32
    %t0_3 = arith.addi %t0_2, %p0_3 : i32
    %x1_0 = memref.load %x[%c0, %k] : memref<2x64xi8>
    %w1_0 = memref.load %w[%c1, %k] : memref<2x64xi8>
    %a1_0 = arith.extsi %x1_0 : i8 to i32
    %b1_0 = arith.extsi %w1_0 : i8 to i32
    %p1_0 = arith.muli %a1_0, %b1_0 : i32
    %t1_0 = arith.addi %s1, %p1_0 : i32
    %x1_1 = memref.load %x[%c0, %k1] : memref<2x64xi8>
    %w1_1 = memref.load %w[%c1, %k1] : memref<2x64xi8>
    %a1_1 = arith.extsi %x1_1 : i8 to i32
    %b1_1 = arith.extsi %w1_1 : i8 to i32
    %p1_1 = arith.muli %a1_1, %b1_1 : i32
    %t1_1 = arith.addi %t1_0, %p1_1 : i32
    %x1_2 = memref.load %x[%c0, %k2] : memref<2x64xi8>
    %w1_2 = memref.load %w[%c1, %k2] : memref<2x64xi8>
    %a1_2 = arith.extsi %x1_2 : i8 to i32
    %b1_2 = arith.extsi %w1_2 : i8 to i32
    %p1_2 = arith.muli %a1_2, %b1_2 : i32
    %t1_2 = arith.addi %t1_1, %p1_2 : i32
    %x1_3 = memref.load %x[%c0, %k3] : memref<2x64xi8>
    %w1_3 = memref.load %w[%c1, %k3] : memref<2x64xi8>
    %a1_3 = arith.extsi %x1_3 : i8 to i32
    %b1_3 = arith.extsi %w1_3 : i8 to i32
    %p1_3 = arith.muli %a1_3, %b1_3 : i32
    %t1_3 = arith.addi %t1_2, %p1_3 : i32
    %x2_0 = memref.load %x[%c1, %k] : memref<2x64xi8>
    %w2_0 = memref.load %w[%c0, %k] : memref<2x64xi8>
    %a2_0 = arith.extsi %x2_0 : i8 to i32
    %b2_0 = arith.extsi %w2_0 : i8 to i32
    %p2_0 = arith.muli %a2_0, %b2_0 : i32
    %t2_0 = arith.addi %s2, %p2_0 : i32
    %x2_1 = memref.load %x[%c1, %k1] : memref<2x64xi8>
    %w2_1 = memref.load %w[%c0, %k1] : memref<2x64xi8>
    %a2_1 = arith.extsi %x2_1 : i8 to i32
    %b2_1 = arith.extsi %w2_1 : i8 to i32
    %p2_1 = arith.muli %a2_1, %b2_1 : i32
    %t2_1 = arith.addi %t2_0, %p2_1 : i32
    %x2_2 = memref.load %x[%c1, %k2] : memref<2x64xi8>
    %w2_2 = memref.load %w[%c0, %k2] : memref<2x64xi8>
    %a2_2 = arith.extsi %x2_2 : i8 to i32
    %b2_2 = arith.extsi %w2_2 : i8 to i32
    %p2_2 = arith.muli %a2_2, %b2_2 : i32
    %t2_2 = arith.addi %t2_1, %p2_2 : i32
    %x2_3 = memref.load %x[%c1, %k3] : memref<2x64xi8>
    %w2_3 = memref.load %w[%c0, %k3] : memref<2x64xi8>
    %a2_3 = arith.extsi %x2_3 : i8 to i32
    %b2_3 = arith.extsi %w2_3 : i8 to i32
    %p2_3 = arith.muli %a2_3, %b2_3 : i32
    %t2_3 = arith.addi %t2_2, %p2_3 : i32
    %x3_0 = memref.load %x[%c1, %k] : memref<2x64xi8>
    %w3_0 = memref.load %w[%c1, %k] : memref<2x64xi8>
    %a3_0 = arith.extsi %x3_0 : i8 to i32
    %b3_0 = arith.extsi %w3_0 : i8 to i32
    %p3_0 = arith.muli %a3_0, %b3_0 : i32
    %t3_0 = arith.addi %s3, %p3_0 : i32
    %x3_1 = memref.load %x[%c1, %k1] : memref<2x64xi8>
    %w3_1 = memref.load %w[%c1, %k1] : memref<2x64xi8>
    %a3_1 = arith.extsi %x3_1 : i8 to i32
    %b3_1 = arith.extsi %w3_1 : i8 to i32
    %p3_1 = arith.muli %a3_1, %b3_1 : i32
    %t3_1 = arith.addi %t3_0, %p3_1 : i32
    %x3_2 = memref.load %x[%c1, %k2] : memref<2x64xi8>
    %w3_2 = memref.load %w[%c1, %k2] : memref<2x64xi8>
    %a3_2 = arith.extsi %x3_2 : i8 to i32
    %b3_2 = arith.extsi %w3_2 : i8 to i32
    %p3_2 = arith.muli %a3_2, %b3_2 : i32
    %t3_2 = arith.addi %t3_1, %p3_2 : i32
    %x3_3 = memref.load %x[%c1, %k3] : memref<2x64xi8>
    %w3_3 = memref.load %w[%c1, %k3] : memref<2x64xi8>
    %a3_3 = arith.extsi %x3_3 : i8 to i32
    %b3_3 = arith.extsi %w3_3 : i8 to i32
    %p3_3 = arith.muli %a3_3, %b3_3 : i32
    %t3_3 = arith.addi %t3_2, %p3_3 : i32
    scf.yield %t0_3, %t1_3, %t2_3, %t3_3 : i32, i32, i32, i32
  }
  return %r#0, %r#1, %r#2, %r#3 : i32, i32, i32, i32
}

// -----

// One row of %x with four rows of %w (one position, 4 channels): the
// word of %x split once, each word of %w in turn.
// CHECK-LABEL: func.func @block_1x4
// CHECK: llvm.inline_asm asm_dialect = att "ldr $5, [$12, #0]\0Asxtb16 $4, $5\0Asxtb16 $5, $5, ror #8\0Aldr $7, [$13, #0]\0Asxtb16 $6, $7\0Asxtb16 $7, $7, ror #8\0Asmlad $0, $4, $6, $0\0Asmlad $0, $5, $7, $0\0Aldr $7, [$13, #64]
// CHECK-SAME: ldr $7, [$13, #128]
// CHECK-SAME: ldr $7, [$13, #192]
// CHECK-SAME: "=r,=r,=r,=r,=&r,=&r,=&r,=&r,0,1,2,3,r,r"
// CHECK-NOT: arith.muli
func.func @block_1x4(%x: memref<1x64xi8>, %w: memref<4x64xi8>, %acc: i32) -> (i32, i32, i32, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %r:4 = scf.for %k = %c0 to %c64 step %c4 iter_args(%s0 = %acc, %s1 = %acc, %s2 = %acc, %s3 = %acc) -> (i32, i32, i32, i32) {
    %k1 = arith.addi %k, %c1 : index
    %k2 = arith.addi %k, %c2 : index
    %k3 = arith.addi %k, %c3 : index
    %x0_0 = memref.load %x[%c0, %k] : memref<1x64xi8>
    %w0_0 = memref.load %w[%c0, %k] : memref<4x64xi8>
    %a0_0 = arith.extsi %x0_0 : i8 to i32
    %b0_0 = arith.extsi %w0_0 : i8 to i32
    %p0_0 = arith.muli %a0_0, %b0_0 : i32
    %t0_0 = arith.addi %s0, %p0_0 : i32
    %x0_1 = memref.load %x[%c0, %k1] : memref<1x64xi8>
    %w0_1 = memref.load %w[%c0, %k1] : memref<4x64xi8>
    %a0_1 = arith.extsi %x0_1 : i8 to i32
    %b0_1 = arith.extsi %w0_1 : i8 to i32
    %p0_1 = arith.muli %a0_1, %b0_1 : i32
    %t0_1 = arith.addi %t0_0, %p0_1 : i32
    %x0_2 = memref.load %x[%c0, %k2] : memref<1x64xi8>
    %w0_2 = memref.load %w[%c0, %k2] : memref<4x64xi8>
    %a0_2 = arith.extsi %x0_2 : i8 to i32
    %b0_2 = arith.extsi %w0_2 : i8 to i32
    %p0_2 = arith.muli %a0_2, %b0_2 : i32
    %t0_2 = arith.addi %t0_1, %p0_2 : i32
    %x0_3 = memref.load %x[%c0, %k3] : memref<1x64xi8>
    %w0_3 = memref.load %w[%c0, %k3] : memref<4x64xi8>
    %a0_3 = arith.extsi %x0_3 : i8 to i32
    %b0_3 = arith.extsi %w0_3 : i8 to i32
    %p0_3 = arith.muli %a0_3, %b0_3 : i32
    %t0_3 = arith.addi %t0_2, %p0_3 : i32
    %x1_0 = memref.load %x[%c0, %k] : memref<1x64xi8>
    %w1_0 = memref.load %w[%c1, %k] : memref<4x64xi8>
    %a1_0 = arith.extsi %x1_0 : i8 to i32
    %b1_0 = arith.extsi %w1_0 : i8 to i32
    %p1_0 = arith.muli %a1_0, %b1_0 : i32
    %t1_0 = arith.addi %s1, %p1_0 : i32
    %x1_1 = memref.load %x[%c0, %k1] : memref<1x64xi8>
    %w1_1 = memref.load %w[%c1, %k1] : memref<4x64xi8>
    %a1_1 = arith.extsi %x1_1 : i8 to i32
    %b1_1 = arith.extsi %w1_1 : i8 to i32
    %p1_1 = arith.muli %a1_1, %b1_1 : i32
    %t1_1 = arith.addi %t1_0, %p1_1 : i32
    %x1_2 = memref.load %x[%c0, %k2] : memref<1x64xi8>
    %w1_2 = memref.load %w[%c1, %k2] : memref<4x64xi8>
    %a1_2 = arith.extsi %x1_2 : i8 to i32
    %b1_2 = arith.extsi %w1_2 : i8 to i32
    %p1_2 = arith.muli %a1_2, %b1_2 : i32
    %t1_2 = arith.addi %t1_1, %p1_2 : i32
    %x1_3 = memref.load %x[%c0, %k3] : memref<1x64xi8>
    %w1_3 = memref.load %w[%c1, %k3] : memref<4x64xi8>
    %a1_3 = arith.extsi %x1_3 : i8 to i32
    %b1_3 = arith.extsi %w1_3 : i8 to i32
    %p1_3 = arith.muli %a1_3, %b1_3 : i32
    %t1_3 = arith.addi %t1_2, %p1_3 : i32
    %x2_0 = memref.load %x[%c0, %k] : memref<1x64xi8>
    %w2_0 = memref.load %w[%c2, %k] : memref<4x64xi8>
    %a2_0 = arith.extsi %x2_0 : i8 to i32
    %b2_0 = arith.extsi %w2_0 : i8 to i32
    %p2_0 = arith.muli %a2_0, %b2_0 : i32
    %t2_0 = arith.addi %s2, %p2_0 : i32
    %x2_1 = memref.load %x[%c0, %k1] : memref<1x64xi8>
    %w2_1 = memref.load %w[%c2, %k1] : memref<4x64xi8>
    %a2_1 = arith.extsi %x2_1 : i8 to i32
    %b2_1 = arith.extsi %w2_1 : i8 to i32
    %p2_1 = arith.muli %a2_1, %b2_1 : i32
    %t2_1 = arith.addi %t2_0, %p2_1 : i32
    %x2_2 = memref.load %x[%c0, %k2] : memref<1x64xi8>
    %w2_2 = memref.load %w[%c2, %k2] : memref<4x64xi8>
    %a2_2 = arith.extsi %x2_2 : i8 to i32
    %b2_2 = arith.extsi %w2_2 : i8 to i32
    %p2_2 = arith.muli %a2_2, %b2_2 : i32
    %t2_2 = arith.addi %t2_1, %p2_2 : i32
    %x2_3 = memref.load %x[%c0, %k3] : memref<1x64xi8>
    %w2_3 = memref.load %w[%c2, %k3] : memref<4x64xi8>
    %a2_3 = arith.extsi %x2_3 : i8 to i32
    %b2_3 = arith.extsi %w2_3 : i8 to i32
    %p2_3 = arith.muli %a2_3, %b2_3 : i32
    %t2_3 = arith.addi %t2_2, %p2_3 : i32
    %x3_0 = memref.load %x[%c0, %k] : memref<1x64xi8>
    %w3_0 = memref.load %w[%c3, %k] : memref<4x64xi8>
    %a3_0 = arith.extsi %x3_0 : i8 to i32
    %b3_0 = arith.extsi %w3_0 : i8 to i32
    %p3_0 = arith.muli %a3_0, %b3_0 : i32
    %t3_0 = arith.addi %s3, %p3_0 : i32
    %x3_1 = memref.load %x[%c0, %k1] : memref<1x64xi8>
    %w3_1 = memref.load %w[%c3, %k1] : memref<4x64xi8>
    %a3_1 = arith.extsi %x3_1 : i8 to i32
    %b3_1 = arith.extsi %w3_1 : i8 to i32
    %p3_1 = arith.muli %a3_1, %b3_1 : i32
    %t3_1 = arith.addi %t3_0, %p3_1 : i32
    %x3_2 = memref.load %x[%c0, %k2] : memref<1x64xi8>
    %w3_2 = memref.load %w[%c3, %k2] : memref<4x64xi8>
    %a3_2 = arith.extsi %x3_2 : i8 to i32
    %b3_2 = arith.extsi %w3_2 : i8 to i32
    %p3_2 = arith.muli %a3_2, %b3_2 : i32
    %t3_2 = arith.addi %t3_1, %p3_2 : i32
    %x3_3 = memref.load %x[%c0, %k3] : memref<1x64xi8>
    %w3_3 = memref.load %w[%c3, %k3] : memref<4x64xi8>
    %a3_3 = arith.extsi %x3_3 : i8 to i32
    %b3_3 = arith.extsi %w3_3 : i8 to i32
    %p3_3 = arith.muli %a3_3, %b3_3 : i32
    %t3_3 = arith.addi %t3_2, %p3_3 : i32
    scf.yield %t0_3, %t1_3, %t2_3, %t3_3 : i32, i32, i32, i32
  }
  return %r#0, %r#1, %r#2, %r#3 : i32, i32, i32, i32
}

// -----

// The second position's row at a distance known only at run time (%j):
// no immediate offset, so each accumulator takes the intrinsics.
// CHECK-LABEL: func.func @block_unknown_distance
// CHECK-NOT: llvm.inline_asm
// CHECK: llvm.call_intrinsic "llvm.arm.smlad"
func.func @block_unknown_distance(%x: memref<8x64xi8>, %w: memref<2x64xi8>, %acc: i32, %j: index) -> (i32, i32, i32, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %r:4 = scf.for %k = %c0 to %c64 step %c4 iter_args(%s0 = %acc, %s1 = %acc, %s2 = %acc, %s3 = %acc) -> (i32, i32, i32, i32) {
    %k1 = arith.addi %k, %c1 : index
    %k2 = arith.addi %k, %c2 : index
    %k3 = arith.addi %k, %c3 : index
    %x0_0 = memref.load %x[%c0, %k] : memref<8x64xi8>
    %w0_0 = memref.load %w[%c0, %k] : memref<2x64xi8>
    %a0_0 = arith.extsi %x0_0 : i8 to i32
    %b0_0 = arith.extsi %w0_0 : i8 to i32
    %p0_0 = arith.muli %a0_0, %b0_0 : i32
    %t0_0 = arith.addi %s0, %p0_0 : i32
    %x0_1 = memref.load %x[%c0, %k1] : memref<8x64xi8>
    %w0_1 = memref.load %w[%c0, %k1] : memref<2x64xi8>
    %a0_1 = arith.extsi %x0_1 : i8 to i32
    %b0_1 = arith.extsi %w0_1 : i8 to i32
    %p0_1 = arith.muli %a0_1, %b0_1 : i32
    %t0_1 = arith.addi %t0_0, %p0_1 : i32
    %x0_2 = memref.load %x[%c0, %k2] : memref<8x64xi8>
    %w0_2 = memref.load %w[%c0, %k2] : memref<2x64xi8>
    %a0_2 = arith.extsi %x0_2 : i8 to i32
    %b0_2 = arith.extsi %w0_2 : i8 to i32
    %p0_2 = arith.muli %a0_2, %b0_2 : i32
    %t0_2 = arith.addi %t0_1, %p0_2 : i32
    %x0_3 = memref.load %x[%c0, %k3] : memref<8x64xi8>
    %w0_3 = memref.load %w[%c0, %k3] : memref<2x64xi8>
    %a0_3 = arith.extsi %x0_3 : i8 to i32
    %b0_3 = arith.extsi %w0_3 : i8 to i32
    %p0_3 = arith.muli %a0_3, %b0_3 : i32
    %t0_3 = arith.addi %t0_2, %p0_3 : i32
    %x1_0 = memref.load %x[%c0, %k] : memref<8x64xi8>
    %w1_0 = memref.load %w[%c1, %k] : memref<2x64xi8>
    %a1_0 = arith.extsi %x1_0 : i8 to i32
    %b1_0 = arith.extsi %w1_0 : i8 to i32
    %p1_0 = arith.muli %a1_0, %b1_0 : i32
    %t1_0 = arith.addi %s1, %p1_0 : i32
    %x1_1 = memref.load %x[%c0, %k1] : memref<8x64xi8>
    %w1_1 = memref.load %w[%c1, %k1] : memref<2x64xi8>
    %a1_1 = arith.extsi %x1_1 : i8 to i32
    %b1_1 = arith.extsi %w1_1 : i8 to i32
    %p1_1 = arith.muli %a1_1, %b1_1 : i32
    %t1_1 = arith.addi %t1_0, %p1_1 : i32
    %x1_2 = memref.load %x[%c0, %k2] : memref<8x64xi8>
    %w1_2 = memref.load %w[%c1, %k2] : memref<2x64xi8>
    %a1_2 = arith.extsi %x1_2 : i8 to i32
    %b1_2 = arith.extsi %w1_2 : i8 to i32
    %p1_2 = arith.muli %a1_2, %b1_2 : i32
    %t1_2 = arith.addi %t1_1, %p1_2 : i32
    %x1_3 = memref.load %x[%c0, %k3] : memref<8x64xi8>
    %w1_3 = memref.load %w[%c1, %k3] : memref<2x64xi8>
    %a1_3 = arith.extsi %x1_3 : i8 to i32
    %b1_3 = arith.extsi %w1_3 : i8 to i32
    %p1_3 = arith.muli %a1_3, %b1_3 : i32
    %t1_3 = arith.addi %t1_2, %p1_3 : i32
    %x2_0 = memref.load %x[%j, %k] : memref<8x64xi8>
    %w2_0 = memref.load %w[%c0, %k] : memref<2x64xi8>
    %a2_0 = arith.extsi %x2_0 : i8 to i32
    %b2_0 = arith.extsi %w2_0 : i8 to i32
    %p2_0 = arith.muli %a2_0, %b2_0 : i32
    %t2_0 = arith.addi %s2, %p2_0 : i32
    %x2_1 = memref.load %x[%j, %k1] : memref<8x64xi8>
    %w2_1 = memref.load %w[%c0, %k1] : memref<2x64xi8>
    %a2_1 = arith.extsi %x2_1 : i8 to i32
    %b2_1 = arith.extsi %w2_1 : i8 to i32
    %p2_1 = arith.muli %a2_1, %b2_1 : i32
    %t2_1 = arith.addi %t2_0, %p2_1 : i32
    %x2_2 = memref.load %x[%j, %k2] : memref<8x64xi8>
    %w2_2 = memref.load %w[%c0, %k2] : memref<2x64xi8>
    %a2_2 = arith.extsi %x2_2 : i8 to i32
    %b2_2 = arith.extsi %w2_2 : i8 to i32
    %p2_2 = arith.muli %a2_2, %b2_2 : i32
    %t2_2 = arith.addi %t2_1, %p2_2 : i32
    %x2_3 = memref.load %x[%j, %k3] : memref<8x64xi8>
    %w2_3 = memref.load %w[%c0, %k3] : memref<2x64xi8>
    %a2_3 = arith.extsi %x2_3 : i8 to i32
    %b2_3 = arith.extsi %w2_3 : i8 to i32
    %p2_3 = arith.muli %a2_3, %b2_3 : i32
    %t2_3 = arith.addi %t2_2, %p2_3 : i32
    %x3_0 = memref.load %x[%j, %k] : memref<8x64xi8>
    %w3_0 = memref.load %w[%c1, %k] : memref<2x64xi8>
    %a3_0 = arith.extsi %x3_0 : i8 to i32
    %b3_0 = arith.extsi %w3_0 : i8 to i32
    %p3_0 = arith.muli %a3_0, %b3_0 : i32
    %t3_0 = arith.addi %s3, %p3_0 : i32
    %x3_1 = memref.load %x[%j, %k1] : memref<8x64xi8>
    %w3_1 = memref.load %w[%c1, %k1] : memref<2x64xi8>
    %a3_1 = arith.extsi %x3_1 : i8 to i32
    %b3_1 = arith.extsi %w3_1 : i8 to i32
    %p3_1 = arith.muli %a3_1, %b3_1 : i32
    %t3_1 = arith.addi %t3_0, %p3_1 : i32
    %x3_2 = memref.load %x[%j, %k2] : memref<8x64xi8>
    %w3_2 = memref.load %w[%c1, %k2] : memref<2x64xi8>
    %a3_2 = arith.extsi %x3_2 : i8 to i32
    %b3_2 = arith.extsi %w3_2 : i8 to i32
    %p3_2 = arith.muli %a3_2, %b3_2 : i32
    %t3_2 = arith.addi %t3_1, %p3_2 : i32
    %x3_3 = memref.load %x[%j, %k3] : memref<8x64xi8>
    %w3_3 = memref.load %w[%c1, %k3] : memref<2x64xi8>
    %a3_3 = arith.extsi %x3_3 : i8 to i32
    %b3_3 = arith.extsi %w3_3 : i8 to i32
    %p3_3 = arith.muli %a3_3, %b3_3 : i32
    %t3_3 = arith.addi %t3_2, %p3_3 : i32
    scf.yield %t0_3, %t1_3, %t2_3, %t3_3 : i32, i32, i32, i32
  }
  return %r#0, %r#1, %r#2, %r#3 : i32, i32, i32, i32
}
