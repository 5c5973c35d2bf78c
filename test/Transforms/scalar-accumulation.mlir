// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-scalar-accumulation))' | FileCheck %s
// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-scalar-accumulation,linalg-fuse-elementwise-ops),canonicalize)' | FileCheck %s --check-prefix=FUSED

// A padded quantized convolution whose accumulator starts from a bias
// broadcast: one parallel generic over the output, the bias an elementwise
// input, the reduction (kh, kw, ci) a loop nest carrying an i32, the input
// read from the pad's source with clamped indices and the padding value
// (the input zero point) selected outside it.
// CHECK-LABEL: func.func @padded_conv
// CHECK-SAME: (%[[IN:.*]]: tensor<1x4x4x2xi8>
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.conv_2d
// CHECK: %[[BIAS:.*]] = linalg.generic
// CHECK: linalg.generic {indexing_maps = [#[[ID:.*]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[BIAS]] : tensor<1x4x4x3xi32>) outs(%{{.*}} : tensor<1x4x4x3xi32>)
// CHECK-NEXT: ^bb0(%[[START:.*]]: i32, %{{.*}}: i32):
// CHECK: scf.for %[[KH:.*]] = %{{.*}} to %c3 step %c1 iter_args(%{{.*}} = %[[START]]) -> (i32)
// CHECK: scf.for %[[KW:.*]] = %{{.*}} to %c3 step %c1 iter_args
// CHECK: scf.for %[[CI:.*]] = %{{.*}} to %c2 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (i32)
// CHECK: %[[ROW:.*]] = arith.minsi
// CHECK: %[[COL:.*]] = arith.minsi
// CHECK: %[[X:.*]] = tensor.extract %[[IN]][%{{.*}}, %[[ROW]], %[[COL]], %[[CI]]] : tensor<1x4x4x2xi8>
// CHECK: %[[PADDED:.*]] = arith.select %{{.*}}, %[[X]], %c5_i8 : i8
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[KH]], %[[KW]], %[[CI]]] : tensor<3x3x3x2xi8>
// CHECK: arith.extsi %[[PADDED]]
// CHECK: %[[SUM:.*]] = arith.addi %[[ACC]], %{{.*}} : i32
// CHECK: scf.yield %[[SUM]] : i32
// The requantization that follows becomes the same loop nest's epilogue:
// no i32 tensor remains.
// FUSED-LABEL: func.func @padded_conv
// FUSED-NOT: tensor<1x4x4x3xi32>
// FUSED: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x4x3xi8>)
// FUSED: scf.for
// FUSED: arith.trunci %{{.*}} : i32 to i8
// FUSED-NOT: tensor<1x4x4x3xi32>
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @padded_conv(%in: tensor<1x4x4x2xi8>, %w: tensor<3x3x3x2xi8>, %b: tensor<3xi32>) -> tensor<1x4x4x3xi8> {
  %pad_value = arith.constant 5 : i8
  %izp = arith.constant 5 : i32
  %wzp = arith.constant 0 : i32
  %padded = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %pad_value : i8
  } : tensor<1x4x4x2xi8> to tensor<1x6x6x2xi8>
  %empty = tensor.empty() : tensor<1x4x4x3xi32>
  %bias = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<3xi32>) outs(%empty : tensor<1x4x4x3xi32>) {
  ^bb0(%x: i32, %o: i32):
    linalg.yield %x : i32
  } -> tensor<1x4x4x3xi32>
  %acc = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %w, %izp, %wzp : tensor<1x6x6x2xi8>, tensor<3x3x3x2xi8>, i32, i32) outs(%bias : tensor<1x4x4x3xi32>) -> tensor<1x4x4x3xi32>
  %e8 = tensor.empty() : tensor<1x4x4x3xi8>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%acc : tensor<1x4x4x3xi32>) outs(%e8 : tensor<1x4x4x3xi8>) {
  ^bb0(%x: i32, %o: i8):
    %t = arith.trunci %x : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x4x4x3xi8>
  return %r : tensor<1x4x4x3xi8>
}

// -----

// A depthwise convolution with stride 2 whose accumulator starts from a
// fill: the fill's scalar starts the loop nest, no input carries it, and
// the input index is 2 * row + kh.
// CHECK-LABEL: func.func @strided_depthwise
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[ID:.*]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x2x2x4x1xi32>)
// CHECK: %[[ROW:.*]] = linalg.index 1 : index
// CHECK: scf.for %[[KH:.*]] = %{{.*}} to %c3 step %c1 iter_args(%{{.*}} = %c0_i32) -> (i32)
// CHECK: affine.apply #{{.*}}(%[[KH]])[%[[ROW]]]
func.func @strided_depthwise(%in: tensor<1x5x5x4xi8>, %w: tensor<3x3x4x1xi8>) -> tensor<1x2x2x4x1xi32> {
  %zero = arith.constant 0 : i32
  %empty = tensor.empty() : tensor<1x2x2x4x1xi32>
  %fill = linalg.fill ins(%zero : i32) outs(%empty : tensor<1x2x2x4x1xi32>) -> tensor<1x2x2x4x1xi32>
  %r = linalg.depthwise_conv_2d_nhwc_hwcm_q {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%in, %w, %zero, %zero : tensor<1x5x5x4xi8>, tensor<3x3x4x1xi8>, i32, i32) outs(%fill : tensor<1x2x2x4x1xi32>) -> tensor<1x2x2x4x1xi32>
  return %r : tensor<1x2x2x4x1xi32>
}

// -----

// Max pooling: the window operand only gives the loop ranges, its payload
// argument is unused, so it is never read (reading it would materialise it).
// CHECK-LABEL: func.func @max_pool
// CHECK-NOT: tensor<2x2xi8>
// CHECK: linalg.generic
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %c-128_i8) -> (i8)
// CHECK-NOT: tensor<2x2xi8>
// CHECK: tensor.extract %{{.*}} : tensor<1x4x4x3xi8>
// CHECK-NOT: tensor<2x2xi8>
// CHECK: arith.maxsi
// CHECK-NOT: tensor<2x2xi8>
// CHECK: return
func.func @max_pool(%in: tensor<1x4x4x3xi8>) -> tensor<1x2x2x3xi8> {
  %min = arith.constant -128 : i8
  %window = tensor.empty() : tensor<2x2xi8>
  %empty = tensor.empty() : tensor<1x2x2x3xi8>
  %fill = linalg.fill ins(%min : i8) outs(%empty : tensor<1x2x2x3xi8>) -> tensor<1x2x2x3xi8>
  %r = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%in, %window : tensor<1x4x4x3xi8>, tensor<2x2xi8>) outs(%fill : tensor<1x2x2x3xi8>) -> tensor<1x2x2x3xi8>
  return %r : tensor<1x2x2x3xi8>
}

// -----

// A float matmul (a fully connected layer) reduces over k, f32 accumulator.
// The k loop runs 16 times: unrolled by 4, the products still added in
// order (the same float result).
// CHECK-LABEL: func.func @matmul
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<1x8xf32>)
// CHECK: scf.for %{{.*}} = %{{.*}} to %c16 step %c4 iter_args(%[[ACC:.*]] = %cst) -> (f32)
// CHECK: %[[P0:.*]] = arith.mulf
// CHECK-NEXT: %[[S0:.*]] = arith.addf %[[ACC]], %[[P0]]
// CHECK: %[[P1:.*]] = arith.mulf
// CHECK-NEXT: %[[S1:.*]] = arith.addf %[[S0]], %[[P1]]
// CHECK: %[[P2:.*]] = arith.mulf
// CHECK-NEXT: %[[S2:.*]] = arith.addf %[[S1]], %[[P2]]
// CHECK: %[[P3:.*]] = arith.mulf
// CHECK-NEXT: %[[S3:.*]] = arith.addf %[[S2]], %[[P3]]
// CHECK-NEXT: scf.yield %[[S3]]
func.func @matmul(%a: tensor<1x16xf32>, %b: tensor<16x8xf32>) -> tensor<1x8xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x8xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x8xf32>) -> tensor<1x8xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1x16xf32>, tensor<16x8xf32>) outs(%fill : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %r : tensor<1x8xf32>
}

// -----

// Dynamic loop ranges (a tile): the reduction's bound comes from the
// operand's shape. The initial value is neither a fill nor computed
// elementwise (an accumulator carried across tiles): the generic reads and
// writes it in place, so it stays one buffer.
// CHECK-LABEL: func.func @dynamic_matmul
// CHECK-SAME: (%[[A:.*]]: tensor<?x16xf32>, %[[B:.*]]: tensor<16x8xf32>, %[[INIT:.*]]: tensor<?x8xf32>)
// CHECK: linalg.generic {{.*}} outs(%[[INIT]] : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[START:.*]]: f32):
// CHECK: scf.for %{{.*}} = %{{.*}} to %c16 step %c4 iter_args(%{{.*}} = %[[START]])
func.func @dynamic_matmul(%a: tensor<?x16xf32>, %b: tensor<16x8xf32>, %init: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x16xf32>, tensor<16x8xf32>) outs(%init : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// A tile's pad: dynamic padding of a source of dynamic size, which may be
// empty, so it is read behind an scf.if; except where the whole window is
// inside the source (checked once per output element), read unchecked.
// CHECK-LABEL: func.func @dynamic_pad
// CHECK: linalg.generic
// CHECK: %[[INSIDE:.*]] = arith.andi
// CHECK: scf.if %[[INSIDE]] -> (i32) {
// CHECK-NOT: scf.if
// CHECK: tensor.extract %{{.*}} : tensor<?x4xi8>
// CHECK: } else {
// CHECK: %[[IN:.*]] = arith.andi
// CHECK: scf.if %[[IN]] -> (i8) {
// CHECK: tensor.extract %{{.*}} : tensor<?x4xi8>
// CHECK: } else {
// CHECK: scf.yield %c7_i8 : i8
func.func @dynamic_pad(%in: tensor<?x4xi8>, %low: index, %high: index) -> tensor<4x4xi32> {
  %seven = arith.constant 7 : i8
  %zero = arith.constant 0 : i32
  %padded = tensor.pad %in low[%low, 0] high[%high, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %seven : i8
  } : tensor<?x4xi8> to tensor<6x4xi8>
  %window = tensor.empty() : tensor<3xi8>
  %empty = tensor.empty() : tensor<4x4xi32>
  %fill = linalg.fill ins(%zero : i32) outs(%empty : tensor<4x4xi32>) -> tensor<4x4xi32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 + d2, d1)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%padded, %window : tensor<6x4xi8>, tensor<3xi8>) outs(%fill : tensor<4x4xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %e = arith.extsi %x : i8 to i32
    %s = arith.addi %acc, %e : i32
    linalg.yield %s : i32
  } -> tensor<4x4xi32>
  return %r : tensor<4x4xi32>
}

// Left alone: ops without reduction loops.
// CHECK-LABEL: func.func @elementwise
// CHECK: linalg.add
// CHECK-NOT: scf.for
func.func @elementwise(%a: tensor<8xf32>, %b: tensor<8xf32>, %init: tensor<8xf32>) -> tensor<8xf32> {
  %r = linalg.add ins(%a, %b : tensor<8xf32>, tensor<8xf32>) outs(%init : tensor<8xf32>) -> tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

// An average pool's sum as a depthwise convolution with weights of ones,
// tiled: the weights are a slice of dynamic size of a splat constant, which
// no folder turns back into a constant. The reads become the splat's element
// (and the product by one folds away), so the constant is not stored in flash
// only to be read: kws's 8,000-byte table.
// CHECK-LABEL: func.func @sliced_splat_weights
// CHECK-NOT: dense<1>
// CHECK: scf.for
// CHECK: %[[X:.*]] = tensor.extract %{{.*}} : tensor<1x?x5x4xi8>
// CHECK-NEXT: %[[WIDE:.*]] = arith.extsi %[[X]] : i8 to i32
// CHECK-NEXT: arith.addi %{{.*}}, %[[WIDE]] : i32
// CHECK-NEXT: scf.yield
func.func @sliced_splat_weights(%in: tensor<1x?x5x4xi8>, %rows: index, %init: tensor<1x1x1x4x1xi32>) -> tensor<1x1x1x4x1xi32> {
  %ones = arith.constant dense<1> : tensor<25x5x4x1xi8>
  %w = tensor.extract_slice %ones[0, 0, 0, 0] [%rows, 5, 4, 1] [1, 1, 1, 1] : tensor<25x5x4x1xi8> to tensor<?x5x4x1xi8>
  %r = linalg.depthwise_conv_2d_nhwc_hwcm ins(%in, %w : tensor<1x?x5x4xi8>, tensor<?x5x4x1xi8>) outs(%init : tensor<1x1x1x4x1xi32>) -> tensor<1x1x1x4x1xi32>
  return %r : tensor<1x1x1x4x1xi32>
}
