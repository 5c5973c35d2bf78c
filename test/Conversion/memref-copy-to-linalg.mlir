// RUN: ft-opt %s --ft-memref-copy-to-linalg --split-input-file | FileCheck %s
// RUN: ft-opt %s --ft-memref-copy-to-linalg=unaligned-words=true --split-input-file | FileCheck %s --check-prefix=WORDS

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

// -----

// A line buffer's rows: bytes, rows of 8 (two words) contiguous on both
// sides, a dynamic number of rows. A word per iteration: vector loads and
// stores of 4 bytes (with unaligned-words, i32 LLVM loads and stores at
// the elements' addresses, byte-aligned).
// CHECK-LABEL: func.func @rows
// CHECK-SAME: (%[[SRC:.*]]: memref<?x8xi8, strided<[16, 1], offset: ?>>, %[[DST:.*]]: memref<?x8xi8>)
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[ROWS:.*]] = memref.dim %[[SRC]], %c0
// CHECK: scf.for %[[I:.*]] = %c0 to %[[ROWS]] step %c1
// CHECK-NEXT: scf.for %[[J:.*]] = %c0 to %[[C8]] step %[[C4]]
// CHECK-NEXT: %[[WORD:.*]] = vector.load %[[SRC]][%[[I]], %[[J]]] : memref<?x8xi8, strided<[16, 1], offset: ?>>, vector<4xi8>
// CHECK-NEXT: vector.store %[[WORD]], %[[DST]][%[[I]], %[[J]]] : memref<?x8xi8>, vector<4xi8>
// CHECK-NOT: linalg.copy
// CHECK-NOT: alignment
// WORDS-LABEL: func.func @rows
// WORDS: scf.for
// WORDS: scf.for
// WORDS: memref.extract_aligned_pointer_as_index
// WORDS: %[[FROM:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr
// WORDS: memref.extract_aligned_pointer_as_index
// WORDS: %[[TO:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr
// WORDS-NEXT: %[[WORD:.*]] = llvm.load %[[FROM]] {alignment = 1 : i64} : !llvm.ptr -> i32
// WORDS-NEXT: llvm.store %[[WORD]], %[[TO]] {alignment = 1 : i64} : i32, !llvm.ptr
// WORDS-NOT: linalg.copy
func.func @rows(%src: memref<?x8xi8, strided<[16, 1], offset: ?>>, %dst: memref<?x8xi8>) {
  memref.copy %src, %dst : memref<?x8xi8, strided<[16, 1], offset: ?>> to memref<?x8xi8>
  return
}

// -----

// Rows of 6 bytes (not whole words), or of words already: linalg.copy.
// CHECK-LABEL: func.func @not_words
// CHECK: linalg.copy ins(%{{.*}} : memref<?x6xi8>)
// CHECK: linalg.copy ins(%{{.*}} : memref<?x8xi32>)
// WORDS-LABEL: func.func @not_words
// WORDS: linalg.copy
// WORDS: linalg.copy
func.func @not_words(%a: memref<?x6xi8>, %b: memref<?x6xi8>, %c: memref<?x8xi32>, %d: memref<?x8xi32>) {
  memref.copy %a, %b : memref<?x6xi8> to memref<?x6xi8>
  memref.copy %c, %d : memref<?x8xi32> to memref<?x8xi32>
  return
}

// -----

// A tile's rows copied onto themselves through two subviews built alike
// (what bufferization leaves in a line buffer) are no copy at all.
// CHECK-LABEL: func.func @onto_itself
// CHECK-NOT: memref.copy
// CHECK-NOT: linalg.copy
// CHECK-NOT: vector.load
// WORDS-LABEL: func.func @onto_itself
// WORDS-NOT: llvm.load
func.func @onto_itself(%buffer: memref<10x8xi8>, %row: index, %rows: index) {
  %a = memref.subview %buffer[%row, 0] [%rows, 8] [1, 1] : memref<10x8xi8> to memref<?x8xi8, strided<[8, 1], offset: ?>>
  %b = memref.subview %buffer[%row, 0] [%rows, 8] [1, 1] : memref<10x8xi8> to memref<?x8xi8, strided<[8, 1], offset: ?>>
  memref.copy %a, %b : memref<?x8xi8, strided<[8, 1], offset: ?>> to memref<?x8xi8, strided<[8, 1], offset: ?>>
  return
}

// -----

// Rows of a view of an aligned global at a whole number of words, through
// subviews whose offsets move by whole rows: every row starts on a word,
// which the vector accesses say (LLVM cannot always see it through a
// tile's index arithmetic).
memref.global "private" @arena : memref<64xi8> = dense<0> {alignment = 16 : i64}
// CHECK-LABEL: func.func @aligned_rows
// WORDS-LABEL: func.func @aligned_rows
// CHECK: vector.load %{{.*}} {alignment = 4 : i64} : memref<1x2x8xi8, strided<[?, 8, 1], offset: ?>>, vector<4xi8>
// CHECK: vector.store %{{.*}} {alignment = 4 : i64} : memref<1x2x8xi8, strided<[?, 8, 1]>>, vector<4xi8>
// A byte shift of 2: no alignment claimed for the reads.
// CHECK: vector.load %{{.*}} : memref<1x2x8xi8, strided<[?, 8, 1]>>, vector<4xi8>
// CHECK: vector.store %{{.*}} {alignment = 4 : i64}
func.func @aligned_rows(%n: index, %r: index) {
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %0 = memref.get_global @arena : memref<64xi8>
  %v = memref.view %0[%c8][%n] : memref<64xi8> to memref<1x?x8xi8>
  %a = memref.subview %v[0, %r, 0] [1, 2, 8] [1, 1, 1] : memref<1x?x8xi8> to memref<1x2x8xi8, strided<[?, 8, 1], offset: ?>>
  %b = memref.subview %v[0, 0, 0] [1, 2, 8] [1, 1, 1] : memref<1x?x8xi8> to memref<1x2x8xi8, strided<[?, 8, 1]>>
  memref.copy %a, %b : memref<1x2x8xi8, strided<[?, 8, 1], offset: ?>> to memref<1x2x8xi8, strided<[?, 8, 1]>>
  %w = memref.view %0[%c2][%n] : memref<64xi8> to memref<1x?x8xi8>
  %c = memref.subview %w[0, 0, 0] [1, 2, 8] [1, 1, 1] : memref<1x?x8xi8> to memref<1x2x8xi8, strided<[?, 8, 1]>>
  memref.copy %c, %b : memref<1x2x8xi8, strided<[?, 8, 1]>> to memref<1x2x8xi8, strided<[?, 8, 1]>>
  return
}
