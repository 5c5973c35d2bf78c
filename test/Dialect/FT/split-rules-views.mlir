// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-test-split-rules{axis=1 lo=1 hi=4}))' -verify-diagnostics

// Pads, crops, reshapes and concatenations move rows without computing:
// their rules shift or scale the range (no row is read again). A pad's
// rows before its source are padding (the estimate clamps the range into
// the source).
func.func @pad(%x: tensor<1x4x4x2xi8>) -> tensor<1x7x4x2xi8> {
  %z = arith.constant 0 : i8
  // expected-remark @below {{rows [1, 4) of axis 1 read: operand 0 rows [-1, 2); row 1 reads again: 0; moves its source's rows}}
  %p = tensor.pad %x low[0, 2, 0, 0] high[0, 1, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : i8
  } : tensor<1x4x4x2xi8> to tensor<1x7x4x2xi8>
  return %p : tensor<1x7x4x2xi8>
}

// -----

// A pad whose low padding is a value: no static rule.
func.func @dynamic_pad(%x: tensor<1x4x4x2xi8>, %low: index) -> tensor<1x7x4x2xi8> {
  %z = arith.constant 0 : i8
  // expected-remark @below {{rows [1, 4) of axis 1 read: cannot split}}
  %p = tensor.pad %x low[0, %low, 0, 0] high[0, 1, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : i8
  } : tensor<1x4x4x2xi8> to tensor<1x7x4x2xi8>
  return %p : tensor<1x7x4x2xi8>
}

// -----

// A crop from row 3: the source's rows shifted by 3.
func.func @crop(%x: tensor<1x9x4x2xi8>) -> tensor<1x5x4x2xi8> {
  // expected-remark @below {{rows [1, 4) of axis 1 read: operand 0 rows [4, 7); row 1 reads again: 0; moves its source's rows}}
  %s = tensor.extract_slice %x[0, 3, 0, 0] [1, 5, 4, 2] [1, 1, 1, 1] : tensor<1x9x4x2xi8> to tensor<1x5x4x2xi8>
  return %s : tensor<1x5x4x2xi8>
}

// -----

// Every other row: rows of the result are not a range of the source's.
func.func @strided_crop(%x: tensor<1x9x4x2xi8>) -> tensor<1x5x4x2xi8> {
  // expected-remark @below {{rows [1, 4) of axis 1 read: cannot split}}
  %s = tensor.extract_slice %x[0, 0, 0, 0] [1, 5, 4, 2] [1, 2, 1, 1] : tensor<1x9x4x2xi8> to tensor<1x5x4x2xi8>
  return %s : tensor<1x5x4x2xi8>
}

// -----

// Channels merged with columns keep the rows; a flatten's row r of 8
// elements is part of the source's row r / 8 (rows 1 .. 3 of 32 are in
// row 0 of 4); the flatten undone scales them back (rows 1 .. 3 of 4 are
// elements 8 .. 31).
func.func @reshapes(%x: tensor<1x4x4x2xi8>, %flat: tensor<1x32xi8>) -> (tensor<1x4x8xi8>, tensor<1x32xi8>, tensor<1x4x8xi8>) {
  // expected-remark @below {{rows [1, 4) of axis 1 read: operand 0 rows [1, 4); row 1 reads again: 0; moves its source's rows}}
  %c = tensor.collapse_shape %x [[0], [1], [2, 3]] : tensor<1x4x4x2xi8> into tensor<1x4x8xi8>
  // expected-remark @below {{rows [1, 4) of axis 1 read: operand 0 rows [0, 1); row 1 reads again: 0; moves its source's rows}}
  %f = tensor.collapse_shape %x [[0], [1, 2, 3]] : tensor<1x4x4x2xi8> into tensor<1x32xi8>
  // expected-remark @below {{rows [1, 4) of axis 1 read: operand 0 rows [8, 32); row 1 reads again: 0; moves its source's rows}}
  %e = tensor.expand_shape %flat [[0], [1, 2]] output_shape [1, 4, 8] : tensor<1x32xi8> into tensor<1x4x8xi8>
  return %c, %f, %e : tensor<1x4x8xi8>, tensor<1x32xi8>, tensor<1x4x8xi8>
}

// -----

// A reshape that moves the rows to another axis: no rule.
func.func @moved_rows(%x: tensor<2x4x4x2xi8>) -> tensor<8x4x2xi8> {
  // expected-remark @below {{rows [1, 4) of axis 1 read: cannot split}}
  %c = tensor.collapse_shape %x [[0, 1], [2], [3]] : tensor<2x4x4x2xi8> into tensor<8x4x2xi8>
  return %c : tensor<8x4x2xi8>
}

// -----

// A concatenation of channels: both parts give the rows; along the rows
// themselves it cannot be split.
func.func @concat(%a: tensor<1x4x4x2xi8>, %b: tensor<1x4x4x4xi8>, %r: tensor<1x2x4x4xi8>, %d: tensor<1x6x4x4xi8>) -> (tensor<1x4x4x4xi8>, tensor<1x6x4x4xi8>) {
  // expected-remark @below {{rows [1, 4) of axis 1 read: operand 0 rows [1, 4), operand 1 rows [1, 4); row 1 reads again: 0 0}}
  %c = tensor.insert_slice %a into %b[0, 0, 0, 2] [1, 4, 4, 2] [1, 1, 1, 1] : tensor<1x4x4x2xi8> into tensor<1x4x4x4xi8>
  // expected-remark @below {{rows [1, 4) of axis 1 read: cannot split}}
  %rows = tensor.insert_slice %r into %d[0, 4, 0, 0] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x2x4x4xi8> into tensor<1x6x4x4xi8>
  return %c, %rows : tensor<1x4x4x4xi8>, tensor<1x6x4x4xi8>
}
