// FFMT over the two convolutions of two-convs.mlir, in 3 row tiles.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %convs = transform.structured.match ops{["linalg.conv_2d_nhwc_fhwc"]} in %root : (!transform.any_op) -> !transform.any_op
    %first, %last = transform.split_handle %convs : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %block = transform.ft.tile_path %first, %last {method = #ft<method ffmt>, axes = array<i64: 1>, tiles = array<i64: 3>} : (!transform.any_op, !transform.any_op) -> !transform.any_op
    transform.yield
  }
}
