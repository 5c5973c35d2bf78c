// RUN: ft-opt %s --split-input-file --ft-lower-apply-scale="wide-multiply=true" | FileCheck %s
// RUN: ft-opt %s --split-input-file --ft-lower-apply-scale | FileCheck %s --check-prefix=SPLIT

// The requantization of an int8 pointwise convolution: its accumulator is
// bounded (2 channels of (x + 128) * w, bias up to 1000), the multipliers and
// shifts are per channel, both shifts above 31: the half form, the output
// zero point (-100) folded into the addends, the shifts' table replaced by
// tables of addends and right shifts, the left shift a constant. The clamp
// starts below the zero point: the sign term stays.

#in = affine_map<(n, c, f) -> (n, c)>
#w = affine_map<(n, c, f) -> (f, c)>
#out3 = affine_map<(n, c, f) -> (n, f)>
#id = affine_map<(n, f) -> (n, f)>
#ch = affine_map<(n, f) -> (f)>
// CHECK-LABEL: func.func @per_channel
// CHECK-DAG: %[[ADDENDS:.*]] = arith.constant dense<[-12736, -25472]> : tensor<2xi32>
// CHECK-DAG: %[[RIGHT:.*]] = arith.constant dense<[7, 8]> : tensor<2xi32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %[[ADDENDS]], %[[RIGHT]] : tensor<3x2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>)
// CHECK-NEXT: ^bb0(%[[V:.*]]: i32, %[[M:.*]]: i32, %[[D:.*]]: i32, %[[E:.*]]: i32, %{{.*}}: i8):
// CHECK-NEXT: %[[V2:.*]] = arith.shli %[[V]], %c1_i32
// CHECK-NEXT: %[[X:.*]] = arith.extsi %[[V2]] : i32 to i64
// CHECK-NEXT: %[[Y:.*]] = arith.extsi %[[M]] : i32 to i64
// CHECK-NEXT: %[[P:.*]] = arith.muli %[[X]], %[[Y]] : i64
// CHECK-NEXT: %[[R:.*]] = arith.addi %[[P]], %c2147483648_i64 : i64
// CHECK-NEXT: %[[H:.*]] = arith.shrsi %[[R]], %c32_i64 : i64
// CHECK-NEXT: %[[T:.*]] = arith.trunci %[[H]] : i64 to i32
// CHECK-NEXT: %[[A:.*]] = arith.addi %[[T]], %[[D]] : i32
// CHECK-NEXT: %[[S:.*]] = arith.shrsi %[[V]], %c31_i32 : i32
// CHECK-NEXT: %[[B:.*]] = arith.addi %[[A]], %[[S]] : i32
// CHECK-NEXT: %[[Q:.*]] = arith.shrsi %[[B]], %[[E]] : i32
// CHECK-NEXT: arith.maxsi %[[Q]], %c-128_i32
// Without wide-multiply, the truncating form (mulh alone): v << 2, the
// addends 2^(s-31) + 1 - 100 * 2^(s-30), the sign doubled, >> s - 30.
// SPLIT-LABEL: func.func @per_channel
// SPLIT-DAG: %[[ADDENDS:.*]] = arith.constant dense<[-25471, -50943]> : tensor<2xi32>
// SPLIT-DAG: %[[RIGHT:.*]] = arith.constant dense<[8, 9]> : tensor<2xi32>
// SPLIT: ins(%{{.*}}, %{{.*}}, %[[ADDENDS]], %[[RIGHT]] :
// SPLIT-NEXT: ^bb0(%[[V:.*]]: i32, %[[M:.*]]: i32, %[[D:.*]]: i32, %[[E:.*]]: i32, %{{.*}}: i8):
// SPLIT-NEXT: %[[V2:.*]] = arith.shli %[[V]], %c2_i32
// SPLIT-NEXT: %{{.*}}, %[[HIGH:.*]] = arith.mulsi_extended %[[V2]], %[[M]]
// SPLIT-NEXT: %[[A:.*]] = arith.addi %[[HIGH]], %[[D]]
// SPLIT-NEXT: %[[S:.*]] = arith.shrsi %[[V]], %c31_i32
// SPLIT-NEXT: %[[S2:.*]] = arith.shli %[[S]], %c1_i32
// SPLIT-NEXT: %[[B:.*]] = arith.addi %[[A]], %[[S2]]
// SPLIT-NEXT: arith.shrsi %[[B]], %[[E]]
// SPLIT-NOT: tosa.apply_scale
// SPLIT-NOT: arith.select
func.func @per_channel(%x: tensor<3x2xi8>) -> tensor<3x2xi8> {
  %w = arith.constant dense<[[127, -128], [5, 6]]> : tensor<2x2xi8>
  %bias = arith.constant dense<[1000, -1000]> : tensor<2xi32>
  %m = arith.constant dense<[1700162964, 1164376233]> : tensor<2xi32>
  %s = arith.constant dense<[38, 39]> : tensor<2xi8>
  %c-128 = arith.constant -128 : i32
  %c-100 = arith.constant -100 : i32
  %zp = arith.constant -128 : i32
  %c127 = arith.constant 127 : i32
  %e32 = tensor.empty() : tensor<3x2xi32>
  %init = linalg.generic {indexing_maps = [#ch, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<2xi32>) outs(%e32 : tensor<3x2xi32>) {
  ^bb0(%b: i32, %o: i32):
    linalg.yield %b : i32
  } -> tensor<3x2xi32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out3], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %w : tensor<3x2xi8>, tensor<2x2xi8>) outs(%init : tensor<3x2xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %a32 = arith.extsi %a : i8 to i32
    %az = arith.subi %a32, %zp : i32
    %b32 = arith.extsi %b : i8 to i32
    %p = arith.muli %az, %b32 : i32
    %sum = arith.addi %o, %p : i32
    linalg.yield %sum : i32
  } -> tensor<3x2xi32>
  %e8 = tensor.empty() : tensor<3x2xi8>
  %r = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %m, %s : tensor<3x2xi32>, tensor<2xi32>, tensor<2xi8>) outs(%e8 : tensor<3x2xi8>) {
  ^bb0(%v: i32, %mv: i32, %sv: i8, %o: i8):
    %0 = tosa.apply_scale %v, %mv, %sv {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    %1 = arith.addi %0, %c-100 : i32
    %2 = arith.maxsi %1, %c-128 : i32
    %3 = arith.minsi %2, %c127 : i32
    %4 = arith.trunci %3 : i32 to i8
    linalg.yield %4 : i8
  } -> tensor<3x2xi8>
  return %r : tensor<3x2xi8>
}

// -----

// The same with the clamp at the zero point (a fused ReLU): no sign term
// (a negative accumulator comes out at or below the zero point either way).

#in = affine_map<(n, c, f) -> (n, c)>
#w = affine_map<(n, c, f) -> (f, c)>
#out3 = affine_map<(n, c, f) -> (n, f)>
#id = affine_map<(n, f) -> (n, f)>
#ch = affine_map<(n, f) -> (f)>
// CHECK-LABEL: func.func @clamped_at_zero_point
// CHECK: %[[T:.*]] = arith.trunci %{{.*}} : i64 to i32
// CHECK-NEXT: %[[A:.*]] = arith.addi %[[T]], %{{.*}} : i32
// CHECK-NEXT: %[[Q:.*]] = arith.shrsi %[[A]], %{{.*}} : i32
// CHECK-NEXT: arith.maxsi %[[Q]], %c-128_i32
// SPLIT-LABEL: func.func @clamped_at_zero_point
// SPLIT: %{{.*}}, %[[HIGH:.*]] = arith.mulsi_extended
// SPLIT-NEXT: %[[A:.*]] = arith.addi %[[HIGH]], %{{.*}} : i32
// SPLIT-NEXT: %[[Q:.*]] = arith.shrsi %[[A]], %{{.*}} : i32
// SPLIT-NEXT: arith.maxsi %[[Q]], %c-128_i32
func.func @clamped_at_zero_point(%x: tensor<3x2xi8>) -> tensor<3x2xi8> {
  %w = arith.constant dense<[[127, -128], [5, 6]]> : tensor<2x2xi8>
  %bias = arith.constant dense<[1000, -1000]> : tensor<2xi32>
  %m = arith.constant dense<[1700162964, 1164376233]> : tensor<2xi32>
  %s = arith.constant dense<[38, 39]> : tensor<2xi8>
  %zp = arith.constant -128 : i32
  %c-128 = arith.constant -128 : i32
  %c127 = arith.constant 127 : i32
  %e32 = tensor.empty() : tensor<3x2xi32>
  %init = linalg.generic {indexing_maps = [#ch, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<2xi32>) outs(%e32 : tensor<3x2xi32>) {
  ^bb0(%b: i32, %o: i32):
    linalg.yield %b : i32
  } -> tensor<3x2xi32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out3], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %w : tensor<3x2xi8>, tensor<2x2xi8>) outs(%init : tensor<3x2xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %a32 = arith.extsi %a : i8 to i32
    %az = arith.subi %a32, %zp : i32
    %b32 = arith.extsi %b : i8 to i32
    %p = arith.muli %az, %b32 : i32
    %sum = arith.addi %o, %p : i32
    linalg.yield %sum : i32
  } -> tensor<3x2xi32>
  %e8 = tensor.empty() : tensor<3x2xi8>
  %r = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %m, %s : tensor<3x2xi32>, tensor<2xi32>, tensor<2xi8>) outs(%e8 : tensor<3x2xi8>) {
  ^bb0(%v: i32, %mv: i32, %sv: i8, %o: i8):
    %0 = tosa.apply_scale %v, %mv, %sv {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    %1 = arith.addi %0, %c-128 : i32
    %2 = arith.maxsi %1, %c-128 : i32
    %3 = arith.minsi %2, %c127 : i32
    %4 = arith.trunci %3 : i32 to i8
    linalg.yield %4 : i8
  } -> tensor<3x2xi8>
  return %r : tensor<3x2xi8>
}

// -----

// A multiplier above one (1234567891 * 2^-29): no sign term, so the truncating
// form with either multiply (Arm: SMMLA adds the constant): v << 4, the
// addend 1 + 5 * 2 (the zero point 5 folded), >> 1.

#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @left_shift
// CHECK-NOT: tosa.apply_scale
// CHECK: ^bb0(%[[V:.*]]: i8, %{{.*}}: i32):
// CHECK-NEXT: %[[W:.*]] = arith.extsi %[[V]] : i8 to i32
// CHECK-NEXT: %[[V2:.*]] = arith.shli %[[W]], %c4_i32
// CHECK-NEXT: %{{.*}}, %[[HIGH:.*]] = arith.mulsi_extended %[[V2]]
// CHECK-NEXT: %[[A:.*]] = arith.addi %[[HIGH]], %c11_i32
// CHECK-NEXT: %[[Q:.*]] = arith.shrsi %[[A]], %c1_i32
// CHECK-NEXT: linalg.yield %[[Q]]
// SPLIT-LABEL: func.func @left_shift
// SPLIT: %[[V2:.*]] = arith.shli %{{.*}}, %c4_i32
// SPLIT-NEXT: %{{.*}}, %[[HIGH:.*]] = arith.mulsi_extended %[[V2]]
// SPLIT-NEXT: %[[A:.*]] = arith.addi %[[HIGH]], %c11_i32
// SPLIT-NEXT: %[[Q:.*]] = arith.shrsi %[[A]], %c1_i32
// SPLIT-NEXT: linalg.yield %[[Q]]
func.func @left_shift(%x: tensor<8xi8>) -> tensor<8xi32> {
  %m = arith.constant 1234567891 : i32
  %s = arith.constant 29 : i8
  %zp = arith.constant 5 : i32
  %e = tensor.empty() : tensor<8xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<8xi8>) outs(%e : tensor<8xi32>) {
  ^bb0(%v: i8, %o: i32):
    %w = arith.extsi %v : i8 to i32
    %0 = tosa.apply_scale %w, %m, %s {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    %1 = arith.addi %0, %zp : i32
    linalg.yield %1 : i32
  } -> tensor<8xi32>
  return %r : tensor<8xi32>
}

// -----

// A constant that would overflow the addend (2 * 10^7 * 2^7 > 2^31) stays an
// add of its own.

#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @zero_point_too_large
// CHECK: %[[A:.*]] = arith.addi %{{.*}}, %c64_i32
// CHECK-NEXT: %[[S:.*]] = arith.shrsi
// CHECK-NEXT: %[[B:.*]] = arith.addi %[[A]], %[[S]]
// CHECK-NEXT: %[[Q:.*]] = arith.shrsi %[[B]], %c7_i32
// CHECK-NEXT: %[[Z:.*]] = arith.addi %[[Q]], %c20000000_i32
// CHECK-NEXT: linalg.yield %[[Z]]
func.func @zero_point_too_large(%x: tensor<8xi8>) -> tensor<8xi32> {
  %m = arith.constant 1073741824 : i32
  %s = arith.constant 38 : i8
  %zp = arith.constant 20000000 : i32
  %e = tensor.empty() : tensor<8xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<8xi8>) outs(%e : tensor<8xi32>) {
  ^bb0(%v: i8, %o: i32):
    %w = arith.extsi %v : i8 to i32
    %0 = tosa.apply_scale %w, %m, %s {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    %1 = arith.addi %0, %zp : i32
    linalg.yield %1 : i32
  } -> tensor<8xi32>
  return %r : tensor<8xi32>
}

// -----

// Upstream's lowering where the range is unknown (a function argument may
// hold any i32: doubling it could wrap), and for single rounding.

#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @unknown_range
// CHECK-NOT: tosa.apply_scale
// CHECK: arith.mulsi_extended %{{.*}}, %c1073741824_i32
// CHECK: arith.select
// CHECK: linalg.yield
// CHECK: %{{.*}}, %[[HIGH:.*]] = arith.mulsi_extended %{{.*}}, %c1073741824_i32
// CHECK-NEXT: arith.addi %[[HIGH]], %c32_i32
// CHECK-NOT: tosa.apply_scale
func.func @unknown_range(%x: tensor<8xi32>, %y: tensor<8xi8>) -> (tensor<8xi32>, tensor<8xi32>) {
  %m = arith.constant 1073741824 : i32
  %s = arith.constant 38 : i8
  %e = tensor.empty() : tensor<8xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<8xi32>) outs(%e : tensor<8xi32>) {
  ^bb0(%v: i32, %o: i32):
    %0 = tosa.apply_scale %v, %m, %s {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    linalg.yield %0 : i32
  } -> tensor<8xi32>
  %r2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%y : tensor<8xi8>) outs(%e : tensor<8xi32>) {
  ^bb0(%v: i8, %o: i32):
    %w = arith.extsi %v : i8 to i32
    %0 = tosa.apply_scale %w, %m, %s {rounding_mode = SINGLE_ROUND} : (i32, i32, i8) -> i32
    linalg.yield %0 : i32
  } -> tensor<8xi32>
  return %r, %r2 : tensor<8xi32>, tensor<8xi32>
}

// -----

// TFLite's ADD scales its inputs by 2^20 as apply_scale(v, 2^30, 10) with
// single rounding: 2^10 divides the multiplier, so a multiply, exact for
// any value. The next rescale then sees a bounded value ((x + 128) * 2^20)
// and takes a fast form; so does the sum's, through the high half of the
// second one's product (a later round of the pass).

#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @add_inputs
// CHECK-NOT: tosa.apply_scale
// CHECK: arith.muli %{{.*}}, %c1048576_i32 : i32
// CHECK: arith.shli
// CHECK-NOT: arith.select
// CHECK: return
// SPLIT-LABEL: func.func @add_inputs
// SPLIT: arith.muli %{{.*}}, %c1048576_i32 : i32
// SPLIT-NOT: arith.select
// SPLIT: return
func.func @add_inputs(%x: tensor<8xi8>) -> tensor<8xi8> {
  %m = arith.constant 1073741824 : i32
  %s = arith.constant 10 : i8
  %m2 = arith.constant 1623821475 : i32
  %s2 = arith.constant 33 : i8
  %m3 = arith.constant 1098017566 : i32
  %s3 = arith.constant 48 : i8
  %zp = arith.constant -128 : i32
  %c-128 = arith.constant -128 : i32
  %c127 = arith.constant 127 : i32
  %e = tensor.empty() : tensor<8xi32>
  %scaled = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<8xi8>) outs(%e : tensor<8xi32>) {
  ^bb0(%v: i8, %o: i32):
    %w = arith.extsi %v : i8 to i32
    %z = arith.subi %w, %zp : i32
    %0 = tosa.apply_scale %z, %m, %s {rounding_mode = SINGLE_ROUND} : (i32, i32, i8) -> i32
    linalg.yield %0 : i32
  } -> tensor<8xi32>
  %rescaled = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%scaled : tensor<8xi32>) outs(%e : tensor<8xi32>) {
  ^bb0(%v: i32, %o: i32):
    %0 = tosa.apply_scale %v, %m2, %s2 {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    linalg.yield %0 : i32
  } -> tensor<8xi32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%rescaled, %rescaled : tensor<8xi32>, tensor<8xi32>) outs(%e : tensor<8xi32>) {
  ^bb0(%a: i32, %b: i32, %o: i32):
    %0 = arith.addi %a, %b : i32
    linalg.yield %0 : i32
  } -> tensor<8xi32>
  %e8 = tensor.empty() : tensor<8xi8>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%sum : tensor<8xi32>) outs(%e8 : tensor<8xi8>) {
  ^bb0(%v: i32, %o: i8):
    %0 = tosa.apply_scale %v, %m3, %s3 {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    %1 = arith.addi %0, %zp : i32
    %2 = arith.maxsi %1, %c-128 : i32
    %3 = arith.minsi %2, %c127 : i32
    %4 = arith.trunci %3 : i32 to i8
    linalg.yield %4 : i8
  } -> tensor<8xi8>
  return %r : tensor<8xi8>
}
