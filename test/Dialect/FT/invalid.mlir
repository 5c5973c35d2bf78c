// RUN: ft-opt %s --split-input-file --verify-diagnostics

func.func @unknown_method(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{expected tiling method 'ffmt' or 'fdt', got 'rows'}}
  %r = ft.tile_block rows axis 0 [0, 4) [4, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @gap(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{tile 1 of axis 0 begins at 5 but must begin at 4: tiles must cover the axis from 0 without gap or overlap}}
  %r = ft.tile_block ffmt axis 0 [0, 4) [5, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @overlap(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{tile 1 of axis 0 begins at 3 but must begin at 4}}
  %r = ft.tile_block ffmt axis 0 [0, 4) [3, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @not_from_zero(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{tile 0 of axis 0 begins at 1 but must begin at 0}}
  %r = ft.tile_block ffmt axis 0 [1, 4) [4, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @backwards_tile(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{tile 1 of axis 0 ends before it begins: [4, 3)}}
  %r = ft.tile_block ffmt axis 0 [0, 4) [4, 3) [3, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @all_tiles_empty(%init: tensor<0xi8>) -> tensor<0xi8> {
  // expected-error @+1 {{every tile of axis 0 is empty}}
  %r = ft.tile_block ffmt axis 0 [0, 0) [0, 0) (%o, %s) iter_args(%a = %init) : tensor<0xi8> {
    ft.yield %a : tensor<0xi8>
  }
  return %r : tensor<0xi8>
}

// -----

func.func @tile_index_of_unsplit_axis(%init: tensor<8x8xi8>) -> tensor<8x8xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 4) [4, 8) (%o, %s) iter_args(%a = %init) : tensor<8x8xi8> {
    // expected-error @+1 {{'ft.tile_index' op axis 1 is not split by the enclosing tile block}}
    %t = ft.tile_index 1
    ft.yield %a : tensor<8x8xi8>
  }
  return %r : tensor<8x8xi8>
}

// -----

func.func @tile_index_not_first(%init: tensor<8xi8>) -> tensor<8xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 4) [4, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    %c = arith.constant 0 : index
    // expected-error @+1 {{'ft.tile_index' op must be at the start of the tile block's body, before every other op}}
    %t = ft.tile_index 0
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @tile_index_twice(%init: tensor<8xi8>) -> tensor<8xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 4) [4, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    %t = ft.tile_index 0
    // expected-error @+1 {{'ft.tile_index' op repeats the tile index of axis 0}}
    %u = ft.tile_index 0
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @tile_index_outside(%i: index) -> index {
  // expected-error @+1 {{'ft.tile_index' op expects parent op 'ft.tile_block'}}
  %t = ft.tile_index 0
  return %t : index
}

// -----

func.func @short_of_extent(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{ffmt tiles of axis 0 end at 6 but result #0 has extent 8: the output tiles must cover it exactly once}}
  %r = ft.tile_block ffmt axis 0 [0, 3) [3, 6) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @axis_out_of_range(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{split axis 1 is out of range for result #0 of rank 1}}
  %r = ft.tile_block ffmt axis 1 [0, 4) [4, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @axis_twice(%init: tensor<8x8xi8>) -> tensor<8x8xi8> {
  // expected-error @+1 {{splits axis 0 twice}}
  %r = ft.tile_block ffmt axis 0 [0, 8), axis 0 [0, 8) (%o, %s, %o2, %s2) iter_args(%a = %init) : tensor<8x8xi8> {
    ft.yield %a : tensor<8x8xi8>
  }
  return %r : tensor<8x8xi8>
}

// -----

func.func @fdt_two_axes(%init: tensor<8x8xi32>) -> tensor<8x8xi32> {
  // expected-error @+1 {{fdt splits exactly one (channel) axis, got 2}}
  %r = ft.tile_block fdt axis 0 [0, 8), axis 1 [0, 8) (%o, %s, %o2, %s2) iter_args(%a = %init) : tensor<8x8xi32> {
    ft.yield %a : tensor<8x8xi32>
  }
  return %r : tensor<8x8xi32>
}

// -----

func.func @missing_tile_arguments(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{body must take 2 tile offsets and sizes and 1 iter_args, got 2 arguments}}
  %r = ft.tile_block ffmt axis 0 [0, 4) [4, 8) (%o) iter_args(%a = %init) : tensor<8xi8> {
    ft.yield %a : tensor<8xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @yield_type(%init: tensor<8xi8>, %other: tensor<4xi8>) -> tensor<8xi8> {
  %r = ft.tile_block ffmt axis 0 [0, 4) [4, 8) (%o, %s) iter_args(%a = %init) : tensor<8xi8> {
    // expected-error @+1 {{yields 1 values whose types must equal the tile block's result types}}
    ft.yield %other : tensor<4xi8>
  }
  return %r : tensor<8xi8>
}

// -----

func.func @partial_sum_i8(%p: tensor<4xi8>, %acc: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{accumulates in i32 (int8/uint8 layers) or f32 (float layers), not 'i8'}}
  %r = ft.partial_sum %p into %acc : tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

func.func @merge_argument_type(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{body arguments must have the accumulators' types}}
  %r = ft.merge %acc : tensor<4xi32> -> tensor<4xi8> {
  ^bb0(%sum: tensor<4xf32>):
    %t = arith.fptosi %sum : tensor<4xf32> to tensor<4xi8>
    ft.yield %t : tensor<4xi8>
  }
  return %r : tensor<4xi8>
}

// -----

func.func @yield_outside(%v: i32) {
  // expected-error @+1 {{expects parent op to be one of 'ft.tile_block, ft.merge'}}
  ft.yield %v : i32
}

// -----

func.func @too_many_caches(%init: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error@+1 {{'ft.tile_block' op has 2 line buffers but 1 iter_args}}
  %r = "ft.tile_block"(%init) <{method = #ft<method ffmt>, num_caches = 2 : i64, axes = array<i64: 0>, ranges = [array<i64: 0, 4, 4, 8>]}> ({
  ^bb0(%o: index, %s: index, %a: tensor<8xi8>):
    ft.yield %a : tensor<8xi8>
  }) : (tensor<8xi8>) -> tensor<8xi8>
  return %r : tensor<8xi8>
}

// -----

func.func @gather_axis_out_of_range(%x: tensor<1x3x4xi8>) -> tensor<1x3x4xi8> {
  // expected-error @+1 {{axis 3 is not a dimension of the input}}
  %r = ft.axis_gather %x axis 3 indices [0, 1, 2] : tensor<1x3x4xi8> -> tensor<1x3x4xi8>
  return %r : tensor<1x3x4xi8>
}

// -----

func.func @gather_other_dimension(%x: tensor<1x3x4xi8>) -> tensor<1x3x5xi8> {
  // expected-error @+1 {{dimension 2 differs between input and result (only axis 1 is resampled)}}
  %r = ft.axis_gather %x axis 1 indices [0, 1, 2] : tensor<1x3x4xi8> -> tensor<1x3x5xi8>
  return %r : tensor<1x3x5xi8>
}

// -----

func.func @gather_count(%x: tensor<1x3x4xi8>) -> tensor<1x4x4xi8> {
  // expected-error @+1 {{result has 4 rows along axis 1 but there are 3 indices}}
  %r = ft.axis_gather %x axis 1 indices [0, 1, 2] : tensor<1x3x4xi8> -> tensor<1x4x4xi8>
  return %r : tensor<1x4x4xi8>
}

// -----

func.func @gather_beyond(%x: tensor<1x3x4xi8>) -> tensor<1x2x4xi8> {
  // expected-error @+1 {{index 1 is 3, beyond the input's 3 rows along axis 1}}
  %r = ft.axis_gather %x axis 1 indices [2, 3] : tensor<1x3x4xi8> -> tensor<1x2x4xi8>
  return %r : tensor<1x2x4xi8>
}

// -----

func.func @gather_negative(%x: tensor<1x3x4xi8>) -> tensor<1x2x4xi8> {
  // expected-error @+1 {{index 0 is -1: indices must be non-negative and fit in 32 bits}}
  %r = ft.axis_gather %x axis 1 indices [-1, 0] : tensor<1x3x4xi8> -> tensor<1x2x4xi8>
  return %r : tensor<1x2x4xi8>
}

// -----

func.func @gather_empty(%x: tensor<1x3x4xi8>) -> tensor<1x0x4xi8> {
  // expected-error @+1 {{needs at least one index}}
  %r = ft.axis_gather %x axis 1 indices [] : tensor<1x3x4xi8> -> tensor<1x0x4xi8>
  return %r : tensor<1x0x4xi8>
}

// -----

func.func @gather_element_type(%x: tensor<1x3x4xi8>) -> tensor<1x2x4xi32> {
  // expected-error @+1 {{result must have the input's rank and element type}}
  %r = ft.axis_gather %x axis 1 indices [0, 1] : tensor<1x3x4xi8> -> tensor<1x2x4xi32>
  return %r : tensor<1x2x4xi32>
}
