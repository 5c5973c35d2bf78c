// RUN: ft-opt %s --ft-approximate-math --split-input-file | FileCheck %s

// Transcendental functions become polynomials: no call to libm remains.
// CHECK-LABEL: func @exp
// CHECK-NOT: math.exp
// CHECK: arith.mulf
func.func @exp(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}

// -----

// fma becomes a multiply and an add: the same rounding on every target,
// and no fmaf where there is no FMA instruction.
// CHECK-LABEL: func @fma
// CHECK-NOT: math.fma
// CHECK: %[[P:.*]] = arith.mulf %arg0, %arg1
// CHECK: arith.addf %[[P]], %arg2
func.func @fma(%a: f32, %b: f32, %c: f32) -> f32 {
  %0 = math.fma %a, %b, %c : f32
  return %0 : f32
}

// -----

// maximumf (NaN-propagating) as compares and selects, not fmaximumf.
// CHECK-LABEL: func @maximum
// CHECK-NOT: arith.maximumf
// CHECK: arith.cmpf ugt, %arg0, %arg1
// CHECK: arith.cmpf uno, %arg1, %arg1
func.func @maximum(%a: f32, %b: f32) -> f32 {
  %0 = arith.maximumf %a, %b : f32
  return %0 : f32
}

// -----

// floor through an i32 below 2^23, one step down when truncation went up,
// the sign copied back; the value itself from 2^23 on (and inf, NaN).
// CHECK-LABEL: func @floor
// CHECK-NOT: math.floor
// CHECK-DAG: %[[BIG:.*]] = arith.constant 0x4B000000 : f32
// CHECK-DAG: %[[MINUS1:.*]] = arith.constant -1.000000e+00 : f32
// CHECK: %[[I:.*]] = arith.fptosi %arg0 : f32 to i32
// CHECK: %[[T:.*]] = arith.sitofp %[[I]] : i32 to f32
// CHECK: %[[UP:.*]] = arith.cmpf ogt, %[[T]], %arg0
// CHECK: %[[S:.*]] = arith.addf %[[T]], %[[MINUS1]]
// CHECK: %[[R:.*]] = arith.select %[[UP]], %[[S]], %[[T]]
// CHECK: %[[SIGNED:.*]] = math.copysign %[[R]], %arg0
// CHECK: %[[ABS:.*]] = math.absf %arg0
// CHECK: %[[SMALL:.*]] = arith.cmpf olt, %[[ABS]], %[[BIG]]
// CHECK: arith.select %[[SMALL]], %[[SIGNED]], %arg0
func.func @floor(%x: f32) -> f32 {
  %0 = math.floor %x : f32
  return %0 : f32
}

// -----

// CHECK-LABEL: func @ceil
// CHECK-NOT: math.ceil
// CHECK-DAG: arith.constant dense<1.000000e+00> : vector<4xf32>
// CHECK: arith.cmpf olt
func.func @ceil(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = math.ceil %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// roundeven: |x| + 2^23 - 2^23 rounds ties to even; the sign copied back.
// CHECK-LABEL: func @roundeven
// CHECK-NOT: math.roundeven
// CHECK: %[[BIG:.*]] = arith.constant 0x4B000000 : f32
// CHECK: %[[ABS:.*]] = math.absf %arg0
// CHECK: %[[UP:.*]] = arith.addf %[[ABS]], %[[BIG]]
// CHECK: %[[R:.*]] = arith.subf %[[UP]], %[[BIG]]
// CHECK: %[[SMALL:.*]] = arith.cmpf olt, %[[ABS]], %[[BIG]]
// CHECK: %[[SIGNED:.*]] = math.copysign %[[R]], %arg0
// CHECK: arith.select %[[SMALL]], %[[SIGNED]], %arg0
func.func @roundeven(%x: f32) -> f32 {
  %0 = math.roundeven %x : f32
  return %0 : f32
}

// -----

// f64 is left alone (the models compute in f32).
// CHECK-LABEL: func @floor_f64
// CHECK: math.floor
func.func @floor_f64(%x: f64) -> f64 {
  %0 = math.floor %x : f64
  return %0 : f64
}
