// floor, ceil and roundeven of every element (ft-approximate-math expands
// them), for approximate-math-values.test.
#id = affine_map<(d0) -> (d0)>
func.func @main(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) {
  %e = tensor.empty() : tensor<16xf32>
  %floor = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = math.floor %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %ceil = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = math.ceil %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %even = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = math.roundeven %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  return %floor, %ceil, %even : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
}
