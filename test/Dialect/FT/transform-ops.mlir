// The tiling as transform-dialect ops (transform.ft.tile_path,
// transform.ft.auto_tile), driven by -transform-interpreter: the same
// tile blocks as ft-tile-path, and the same bytes as the untiled IR.
// RUN: ft-opt %s --split-input-file --transform-interpreter --verify-diagnostics | FileCheck %s
// A script kept apart from the payload (a library), then the tiled IR run.
// RUN: ft-opt %S/Inputs/two-convs.mlir --transform-preload-library=transform-library-paths=%S/Inputs/tile-path-script.mlir --transform-interpreter -o %t.tiled.mlir
// RUN: FileCheck %s --check-prefix=LIBRARY < %t.tiled.mlir
// LIBRARY: ft.tile_block ffmt axis 1 [0, 3) [3, 6) [6, 8)
// RUN: ft-run %S/Inputs/two-convs.mlir --input-random --output %t.untiled.bin
// RUN: ft-run %t.tiled.mlir --input-random --output %t.tiled.bin
// RUN: cmp %t.untiled.bin %t.tiled.bin

// CHECK-LABEL: func.func @ffmt
// CHECK: ft.tile_block ffmt axis 1 [0, 3) [3, 6) [6, 8){{.*}}from_transform
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}} -> tensor<1x?x8x4xi32>
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}} -> tensor<1x?x8x3xi32>
module attributes {transform.with_named_sequence} {
func.func @ffmt(%in: tensor<1x8x8x2xi32>) -> tensor<1x8x8x3xi32> {
  %zero = arith.constant 0 : i32
  %w0 = arith.constant dense<[[[[1, -2], [3, 1], [0, 2]], [[2, 1], [-1, 1], [1, 1]], [[1, 0], [2, -3], [1, 2]]], [[[0, 1], [1, 1], [2, 0]], [[1, -1], [1, 2], [0, 1]], [[3, 1], [1, 0], [-2, 1]]], [[[1, 1], [0, 1], [1, -1]], [[2, 2], [1, 0], [0, 1]], [[1, 3], [-1, 1], [1, 1]]], [[[2, 0], [1, 1], [0, 1]], [[1, 1], [2, -1], [1, 0]], [[0, 1], [1, 1], [3, 2]]]]> : tensor<4x3x3x2xi32>
  %w1 = arith.constant dense<[[[[1, 2, -1, 0]]], [[[0, 1, 1, 2]]], [[[2, -1, 0, 1]]]]> : tensor<3x1x1x4xi32>
  %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : i32
  } : tensor<1x8x8x2xi32> to tensor<1x10x10x2xi32>
  %e0 = tensor.empty() : tensor<1x8x8x4xi32>
  %f0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %c0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w0 : tensor<1x10x10x2xi32>, tensor<4x3x3x2xi32>) outs(%f0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %e1 = tensor.empty() : tensor<1x8x8x4xi32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x8x8x4xi32>) outs(%e1 : tensor<1x8x8x4xi32>) {
  ^bb0(%x: i32, %o: i32):
    %m = arith.maxsi %x, %zero : i32
    linalg.yield %m : i32
  } -> tensor<1x8x8x4xi32>
  %e2 = tensor.empty() : tensor<1x8x8x3xi32>
  %f2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  %c1 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%relu, %w1 : tensor<1x8x8x4xi32>, tensor<3x1x1x4xi32>) outs(%f2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  return %c1 : tensor<1x8x8x3xi32>
}
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %convs = transform.structured.match ops{["linalg.conv_2d_nhwc_fhwc"]} in %root : (!transform.any_op) -> !transform.any_op
    %first, %last = transform.split_handle %convs : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %block = transform.ft.tile_path %first, %last {method = #ft<method ffmt>, axes = array<i64: 1>, tiles = array<i64: 3>} : (!transform.any_op, !transform.any_op) -> !transform.any_op
    // The result is a handle to the tile block.
    transform.annotate %block "from_transform" : !transform.any_op
    transform.yield
  }
}

// -----

// A priming tile before the first (prime): an empty range.
// CHECK-LABEL: func.func @ffmt_primed
// CHECK: ft.tile_block ffmt axis 1 [0, 0) [0, 3) [3, 6) [6, 8){{.*}}from_transform
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}} -> tensor<1x?x8x4xi32>
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}} -> tensor<1x?x8x3xi32>
module attributes {transform.with_named_sequence} {
func.func @ffmt_primed(%in: tensor<1x8x8x2xi32>) -> tensor<1x8x8x3xi32> {
  %zero = arith.constant 0 : i32
  %w0 = arith.constant dense<[[[[1, -2], [3, 1], [0, 2]], [[2, 1], [-1, 1], [1, 1]], [[1, 0], [2, -3], [1, 2]]], [[[0, 1], [1, 1], [2, 0]], [[1, -1], [1, 2], [0, 1]], [[3, 1], [1, 0], [-2, 1]]], [[[1, 1], [0, 1], [1, -1]], [[2, 2], [1, 0], [0, 1]], [[1, 3], [-1, 1], [1, 1]]], [[[2, 0], [1, 1], [0, 1]], [[1, 1], [2, -1], [1, 0]], [[0, 1], [1, 1], [3, 2]]]]> : tensor<4x3x3x2xi32>
  %w1 = arith.constant dense<[[[[1, 2, -1, 0]]], [[[0, 1, 1, 2]]], [[[2, -1, 0, 1]]]]> : tensor<3x1x1x4xi32>
  %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : i32
  } : tensor<1x8x8x2xi32> to tensor<1x10x10x2xi32>
  %e0 = tensor.empty() : tensor<1x8x8x4xi32>
  %f0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %c0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w0 : tensor<1x10x10x2xi32>, tensor<4x3x3x2xi32>) outs(%f0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %e1 = tensor.empty() : tensor<1x8x8x4xi32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x8x8x4xi32>) outs(%e1 : tensor<1x8x8x4xi32>) {
  ^bb0(%x: i32, %o: i32):
    %m = arith.maxsi %x, %zero : i32
    linalg.yield %m : i32
  } -> tensor<1x8x8x4xi32>
  %e2 = tensor.empty() : tensor<1x8x8x3xi32>
  %f2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  %c1 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%relu, %w1 : tensor<1x8x8x4xi32>, tensor<3x1x1x4xi32>) outs(%f2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  return %c1 : tensor<1x8x8x3xi32>
}
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %convs = transform.structured.match ops{["linalg.conv_2d_nhwc_fhwc"]} in %root : (!transform.any_op) -> !transform.any_op
    %first, %last = transform.split_handle %convs : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %block = transform.ft.tile_path %first, %last {method = #ft<method ffmt>, axes = array<i64: 1>, tiles = array<i64: 3>, windows = "cache", prime = 1} : (!transform.any_op, !transform.any_op) -> !transform.any_op
    // The result is a handle to the tile block.
    transform.annotate %block "from_transform" : !transform.any_op
    transform.yield
  }
}

// -----

// CHECK-LABEL: func.func @fdt
// CHECK: ft.tile_block fdt axis 3 [0, 2) [2, 4)
// CHECK: ft.partial_sum
// CHECK: ft.merge
module attributes {transform.with_named_sequence} {
func.func @fdt(%in: tensor<1x8x8x2xi32>) -> tensor<1x8x8x3xi32> {
  %zero = arith.constant 0 : i32
  %w0 = arith.constant dense<[[[[1, -2], [3, 1], [0, 2]], [[2, 1], [-1, 1], [1, 1]], [[1, 0], [2, -3], [1, 2]]], [[[0, 1], [1, 1], [2, 0]], [[1, -1], [1, 2], [0, 1]], [[3, 1], [1, 0], [-2, 1]]], [[[1, 1], [0, 1], [1, -1]], [[2, 2], [1, 0], [0, 1]], [[1, 3], [-1, 1], [1, 1]]], [[[2, 0], [1, 1], [0, 1]], [[1, 1], [2, -1], [1, 0]], [[0, 1], [1, 1], [3, 2]]]]> : tensor<4x3x3x2xi32>
  %w1 = arith.constant dense<[[[[1, 2, -1, 0]]], [[[0, 1, 1, 2]]], [[[2, -1, 0, 1]]]]> : tensor<3x1x1x4xi32>
  %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : i32
  } : tensor<1x8x8x2xi32> to tensor<1x10x10x2xi32>
  %e0 = tensor.empty() : tensor<1x8x8x4xi32>
  %f0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %c0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w0 : tensor<1x10x10x2xi32>, tensor<4x3x3x2xi32>) outs(%f0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %e1 = tensor.empty() : tensor<1x8x8x4xi32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x8x8x4xi32>) outs(%e1 : tensor<1x8x8x4xi32>) {
  ^bb0(%x: i32, %o: i32):
    %m = arith.maxsi %x, %zero : i32
    linalg.yield %m : i32
  } -> tensor<1x8x8x4xi32>
  %e2 = tensor.empty() : tensor<1x8x8x3xi32>
  %f2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  %c1 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%relu, %w1 : tensor<1x8x8x4xi32>, tensor<3x1x1x4xi32>) outs(%f2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  return %c1 : tensor<1x8x8x3xi32>
}
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %convs = transform.structured.match ops{["linalg.conv_2d_nhwc_fhwc"]} in %root : (!transform.any_op) -> !transform.any_op
    %first, %last = transform.split_handle %convs : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %block = transform.ft.tile_path %first, %last {method = #ft<method fdt>, tiles = array<i64: 2>} : (!transform.any_op, !transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

// The automatic choice on a module apart from the script: the function
// records it.
// CHECK-LABEL: func.func @auto
// CHECK-SAME: ft.auto_tiling = {arena = {{[0-9]+}} : i64
module attributes {transform.with_named_sequence} {
  module @payload attributes {transform.target_tag = "payload"} {
  func.func @auto(%in: tensor<1x8x8x2xi32>) -> tensor<1x8x8x3xi32> {
    %zero = arith.constant 0 : i32
    %w0 = arith.constant dense<[[[[1, -2], [3, 1], [0, 2]], [[2, 1], [-1, 1], [1, 1]], [[1, 0], [2, -3], [1, 2]]], [[[0, 1], [1, 1], [2, 0]], [[1, -1], [1, 2], [0, 1]], [[3, 1], [1, 0], [-2, 1]]], [[[1, 1], [0, 1], [1, -1]], [[2, 2], [1, 0], [0, 1]], [[1, 3], [-1, 1], [1, 1]]], [[[2, 0], [1, 1], [0, 1]], [[1, 1], [2, -1], [1, 0]], [[0, 1], [1, 1], [3, 2]]]]> : tensor<4x3x3x2xi32>
    %w1 = arith.constant dense<[[[[1, 2, -1, 0]]], [[[0, 1, 1, 2]]], [[[2, -1, 0, 1]]]]> : tensor<3x1x1x4xi32>
    %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
    ^bb0(%a: index, %b: index, %c: index, %d: index):
      tensor.yield %zero : i32
    } : tensor<1x8x8x2xi32> to tensor<1x10x10x2xi32>
    %e0 = tensor.empty() : tensor<1x8x8x4xi32>
    %f0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
    // expected-remark @below {{ft-auto-tile: tiled}}
    %c0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w0 : tensor<1x10x10x2xi32>, tensor<4x3x3x2xi32>) outs(%f0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
    %e1 = tensor.empty() : tensor<1x8x8x4xi32>
    %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x8x8x4xi32>) outs(%e1 : tensor<1x8x8x4xi32>) {
    ^bb0(%x: i32, %o: i32):
      %m = arith.maxsi %x, %zero : i32
      linalg.yield %m : i32
    } -> tensor<1x8x8x4xi32>
    %e2 = tensor.empty() : tensor<1x8x8x3xi32>
    %f2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
    %c1 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%relu, %w1 : tensor<1x8x8x4xi32>, tensor<3x1x1x4xi32>) outs(%f2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
    return %c1 : tensor<1x8x8x3xi32>
  }
  }
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %payload = transform.structured.match attributes{transform.target_tag = "payload"} in %root : (!transform.any_op) -> !transform.any_op
    %tiled = transform.ft.auto_tile %payload {mac_budget = 0.0 : f64} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

// Not the module that holds the script.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.consumed}) {
    // expected-error @below {{the module holds this transform script: auto-tile a module apart from it (a nested module, or the script preloaded as a library)}}
    %tiled = transform.ft.auto_tile %root : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

// A path the tiling refuses (last before first): the reason, at the op.
module attributes {transform.with_named_sequence} {
func.func @refused(%in: tensor<1x8x8x2xi32>) -> tensor<1x8x8x3xi32> {
  %zero = arith.constant 0 : i32
  %w0 = arith.constant dense<[[[[1, -2], [3, 1], [0, 2]], [[2, 1], [-1, 1], [1, 1]], [[1, 0], [2, -3], [1, 2]]], [[[0, 1], [1, 1], [2, 0]], [[1, -1], [1, 2], [0, 1]], [[3, 1], [1, 0], [-2, 1]]], [[[1, 1], [0, 1], [1, -1]], [[2, 2], [1, 0], [0, 1]], [[1, 3], [-1, 1], [1, 1]]], [[[2, 0], [1, 1], [0, 1]], [[1, 1], [2, -1], [1, 0]], [[0, 1], [1, 1], [3, 2]]]]> : tensor<4x3x3x2xi32>
  %w1 = arith.constant dense<[[[[1, 2, -1, 0]]], [[[0, 1, 1, 2]]], [[[2, -1, 0, 1]]]]> : tensor<3x1x1x4xi32>
  %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : i32
  } : tensor<1x8x8x2xi32> to tensor<1x10x10x2xi32>
  %e0 = tensor.empty() : tensor<1x8x8x4xi32>
  %f0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  // expected-note @below {{here}}
  %c0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w0 : tensor<1x10x10x2xi32>, tensor<4x3x3x2xi32>) outs(%f0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %e1 = tensor.empty() : tensor<1x8x8x4xi32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x8x8x4xi32>) outs(%e1 : tensor<1x8x8x4xi32>) {
  ^bb0(%x: i32, %o: i32):
    %m = arith.maxsi %x, %zero : i32
    linalg.yield %m : i32
  } -> tensor<1x8x8x4xi32>
  %e2 = tensor.empty() : tensor<1x8x8x3xi32>
  %f2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  %c1 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%relu, %w1 : tensor<1x8x8x4xi32>, tensor<3x1x1x4xi32>) outs(%f2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  return %c1 : tensor<1x8x8x3xi32>
}
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %convs = transform.structured.match ops{["linalg.conv_2d_nhwc_fhwc"]} in %root : (!transform.any_op) -> !transform.any_op
    %first, %last = transform.split_handle %convs : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    // expected-error @below {{cannot tile the path:}}
    %block = transform.ft.tile_path %last, %first {method = #ft<method ffmt>, axes = array<i64: 1>, tiles = array<i64: 2>} : (!transform.any_op, !transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %ops = transform.structured.match ops{["linalg.fill"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{windows must be recompute, share or cache, not 'sometimes'}}
    %block = transform.ft.tile_path %ops, %ops {method = #ft<method ffmt>, tiles = array<i64: 2>, windows = "sometimes"} : (!transform.any_op, !transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %ops = transform.structured.match ops{["linalg.fill"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{ffmt takes one tile count per axis: 1 axes, 2 tile counts}}
    %block = transform.ft.tile_path %ops, %ops {method = #ft<method ffmt>, tiles = array<i64: 2, 2>} : (!transform.any_op, !transform.any_op) -> !transform.any_op
    transform.yield
  }
}
