// RUN: ft-opt %s --split-input-file --ft-fuse-layer-elementwise | FileCheck %s

// A layer's requantization followed by a flatten keeps its NHWC shape: the
// reshapes of its result do not fold into it (upstream's pass would make it
// rank 6).
// CHECK-LABEL: func.func @flatten_stays_after_layer
// CHECK: %[[LAYER:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x6x5x4xi8>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[LAYER]] {{\[}}[0], [1, 2, 3]] : tensor<1x6x5x4xi8> into tensor<1x120xi8>
// CHECK: tensor.expand_shape %[[FLAT]]
#nhwc = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @flatten_stays_after_layer(%acc: tensor<1x6x5x4xi32>) -> tensor<1x1x1x120xi8> {
  %empty = tensor.empty() : tensor<1x6x5x4xi8>
  %layer = linalg.generic {indexing_maps = [#nhwc, #nhwc], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x6x5x4xi32>) outs(%empty : tensor<1x6x5x4xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x6x5x4xi8>
  %flat = tensor.collapse_shape %layer [[0], [1, 2, 3]] : tensor<1x6x5x4xi8> into tensor<1x120xi8>
  %fc_input = tensor.expand_shape %flat [[0, 1, 2], [3]] output_shape [1, 1, 1, 120] : tensor<1x120xi8> into tensor<1x1x1x120xi8>
  return %fc_input : tensor<1x1x1x120xi8>
}

// -----

// A reshape does fold into the op that consumes it: the requantization of a
// depthwise convolution's NHWCM accumulator becomes NHWCM (rows and columns
// keep their axes), and the collapse moves after it.
// CHECK-LABEL: func.func @collapse_folds_into_consumer
// CHECK: %[[REQUANT:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x6x5x4x2xi32>) outs(%{{.*}} : tensor<1x6x5x4x2xi8>)
// CHECK: tensor.collapse_shape %[[REQUANT]] {{\[}}[0], [1], [2], [3, 4]] : tensor<1x6x5x4x2xi8> into tensor<1x6x5x8xi8>
#nhwc = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @collapse_folds_into_consumer(%acc: tensor<1x6x5x4x2xi32>) -> tensor<1x6x5x8xi8> {
  %nhwc = tensor.collapse_shape %acc [[0], [1], [2], [3, 4]] : tensor<1x6x5x4x2xi32> into tensor<1x6x5x8xi32>
  %empty = tensor.empty() : tensor<1x6x5x8xi8>
  %layer = linalg.generic {indexing_maps = [#nhwc, #nhwc], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%nhwc : tensor<1x6x5x8xi32>) outs(%empty : tensor<1x6x5x8xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x6x5x8xi8>
  return %layer : tensor<1x6x5x8xi8>
}

// -----

// A gather (an elementwise generic that extracts from a table) fuses into
// the mean's linalg.reduce, generalized for it: the gathered tensor never
// exists.
// CHECK-LABEL: func.func @gather_into_reduce
// CHECK-NOT: linalg.reduce
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.*}} : tensor<1x8xi32>) outs(%{{.*}} : tensor<1x4xf32>)
// CHECK: tensor.extract
// CHECK: arith.addf
// CHECK: return %[[SUM]]
#ids = affine_map<(d0, d1, d2) -> (d0, d1)>
#rows = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @gather_into_reduce(%ids: tensor<1x8xi32>, %table: tensor<20x4xf32>) -> tensor<1x4xf32> {
  %empty = tensor.empty() : tensor<1x8x4xf32>
  %gathered = linalg.generic {indexing_maps = [#ids, #rows], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ids : tensor<1x8xi32>) outs(%empty : tensor<1x8x4xf32>) {
  ^bb0(%id: i32, %out: f32):
    %row = arith.index_cast %id : i32 to index
    %col = linalg.index 2 : index
    %v = tensor.extract %table[%row, %col] : tensor<20x4xf32>
    linalg.yield %v : f32
  } -> tensor<1x8x4xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<1x4xf32>
  %filled = linalg.fill ins(%zero : f32) outs(%init : tensor<1x4xf32>) -> tensor<1x4xf32>
  %sum = linalg.reduce ins(%gathered : tensor<1x8x4xf32>) outs(%filled : tensor<1x4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %sum : tensor<1x4xf32>
}

// -----

// A producer with two users is not fused: it would be computed twice.
// CHECK-LABEL: func.func @shared_producer_stays
// CHECK: %[[SHARED:.*]] = linalg.generic
// CHECK: arith.muli
// CHECK: linalg.generic {{.*}} ins(%[[SHARED]] : tensor<8xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[SHARED]] : tensor<8xi32>)
#id = affine_map<(d0) -> (d0)>
func.func @shared_producer_stays(%x: tensor<8xi32>, %x0: i32) -> (tensor<8xi32>, tensor<8xi32>) {
  %e = tensor.empty() : tensor<8xi32>
  %shared = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xi32>) outs(%e : tensor<8xi32>) {
  ^bb0(%in: i32, %out: i32):
    %d = arith.muli %in, %in : i32
    linalg.yield %d : i32
  } -> tensor<8xi32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%shared : tensor<8xi32>) outs(%e : tensor<8xi32>) {
  ^bb0(%in: i32, %out: i32):
    %d = arith.addi %in, %in : i32
    linalg.yield %d : i32
  } -> tensor<8xi32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%shared : tensor<8xi32>) outs(%e : tensor<8xi32>) {
  ^bb0(%in: i32, %out: i32):
    %d = arith.subi %in, %x0 : i32
    linalg.yield %d : i32
  } -> tensor<8xi32>
  return %a, %b : tensor<8xi32>, tensor<8xi32>
}
