// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-block-output-channels))' | FileCheck %s
// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-block-output-channels{channels=2}))' | FileCheck %s --check-prefix=TWO

// A 1x1 convolution as ft-scalar-accumulation and fusion leave it: per
// output element, a loop over 8 input channels, then a bias. Blocked by 4
// output channels: 4 strided slices of the output, the bias read per
// channel (maps 4 d3 + k), one loop carrying 4 accumulators, the input
// element extracted per copy with the same indices (CSE shares it).
// CHECK-LABEL: func.func @pointwise
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<1x2x2x8xi32>
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[OUT]][0, 0, 0, 0] [1, 2, 2, 2] [1, 1, 1, 4]
// CHECK: %[[S3:.*]] = tensor.extract_slice %[[OUT]][0, 0, 0, 3] [1, 2, 2, 2] [1, 1, 1, 4]
// CHECK: %[[R:.*]]:4 = linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}, #{{.*}}, #[[ID:.*]], #[[ID]], #[[ID]], #[[ID]]]
// CHECK-SAME: outs(%[[S0]], %{{.*}}, %{{.*}}, %[[S3]] :
// CHECK: linalg.index 3
// CHECK: scf.for {{.*}} iter_args(%[[A0:.*]] = %{{.*}}, %[[A1:.*]] = %{{.*}}, %[[A2:.*]] = %{{.*}}, %[[A3:.*]] = %{{.*}}) -> (i32, i32, i32, i32)
// CHECK-COUNT-4: arith.muli
// CHECK: scf.yield
// CHECK: linalg.yield
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[R]]#0 into %[[OUT]][0, 0, 0, 0] [1, 2, 2, 2] [1, 1, 1, 4]
// CHECK: tensor.insert_slice %[[R]]#3 into %{{.*}}[0, 0, 0, 3] [1, 2, 2, 2] [1, 1, 1, 4]
// TWO-LABEL: func.func @pointwise
// TWO: linalg.generic
// TWO: scf.for {{.*}} -> (i32, i32)
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @pointwise(%x: tensor<1x2x2x8xi8>, %w: tensor<8x8xi8>, %b: tensor<8xi32>) -> tensor<1x2x2x8xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %e = tensor.empty() : tensor<1x2x2x8xi32>
  %r = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<8xi32>) outs(%e : tensor<1x2x2x8xi32>) {
  ^bb0(%bias: i32, %out: i32):
    %h = linalg.index 1 : index
    %wi = linalg.index 2 : index
    %co = linalg.index 3 : index
    %sum = scf.for %ci = %c0 to %c8 step %c1 iter_args(%acc = %bias) -> (i32) {
      %xv = tensor.extract %x[%c0, %h, %wi, %ci] : tensor<1x2x2x8xi8>
      %wv = tensor.extract %w[%co, %ci] : tensor<8x8xi8>
      %xe = arith.extsi %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %p = arith.muli %xe, %we : i32
      %s = arith.addi %acc, %p : i32
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  } -> tensor<1x2x2x8xi32>
  return %r : tensor<1x2x2x8xi32>
}

// -----

// Left alone: no reduction loop in the payload (plain elementwise), and an
// output whose channels no factor divides.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: tensor.extract_slice
// CHECK-COUNT-2: linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @left_alone(%x: tensor<2x3xi32>) -> (tensor<2x3xi32>, tensor<2x3xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %e = tensor.empty() : tensor<2x3xi32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xi32>) outs(%e : tensor<2x3xi32>) {
  ^bb0(%in: i32, %out: i32):
    %d = arith.addi %in, %in : i32
    linalg.yield %d : i32
  } -> tensor<2x3xi32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xi32>) outs(%e : tensor<2x3xi32>) {
  ^bb0(%in: i32, %out: i32):
    %s = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %in) -> (i32) {
      %t = arith.addi %acc, %in : i32
      scf.yield %t : i32
    }
    linalg.yield %s : i32
  } -> tensor<2x3xi32>
  return %a, %b : tensor<2x3xi32>, tensor<2x3xi32>
}

// -----

// A padded window read through clamps and a select whose check is the
// same for the whole innermost loop: LLVM unswitches that loop on it,
// which it does not once the copies are jammed. Left alone.
// CHECK-LABEL: func.func @clamped_window
// CHECK-NOT: tensor.extract_slice
// CHECK: linalg.generic
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @clamped_window(%x: tensor<6x8xi8>, %w: tensor<4x8xi8>) -> tensor<4x4xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c8 = arith.constant 8 : index
  %pad = arith.constant 0 : i8
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x4xi32>
  %r = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<4x4xi32>) {
  ^bb0(%out: i32):
    %row = linalg.index 0 : index
    %co = linalg.index 1 : index
    %sum = scf.for %ci = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> (i32) {
      %in = arith.cmpi slt, %row, %c5 : index
      %clamped = arith.minsi %row, %c5 : index
      %xv = tensor.extract %x[%clamped, %ci] : tensor<6x8xi8>
      %v = arith.select %in, %xv, %pad : i8
      %wv = tensor.extract %w[%co, %ci] : tensor<4x8xi8>
      %xe = arith.extsi %v : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %p = arith.muli %xe, %we : i32
      %s = arith.addi %acc, %p : i32
      scf.yield %s : i32
    }
    linalg.yield %sum : i32
  } -> tensor<4x4xi32>
  return %r : tensor<4x4xi32>
}
