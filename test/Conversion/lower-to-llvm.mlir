// RUN: ft-opt %s --ft-lower-to-llvm | FileCheck %s
// RUN: ft-opt %s --ft-lower-to-llvm | ft-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// The entry point takes bare pointers, inputs then outputs, and returns
// nothing; a quantized convolution with padding needs no runtime helper.
// CHECK-LABEL: llvm.func @main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: memrefCopy
// CHECK: llvm.return
// CHECK-NOT: memrefCopy
// LLVMIR: define void @main(ptr %0, ptr %1)
// LLVMIR-NOT: call {{.*}}@memrefCopy
func.func @main(%arg0: tensor<1x4x4x2xi8>) -> tensor<1x4x4x3xi8> {
  %w = "tosa.const"() {values = dense<3> : tensor<3x3x3x2xi8>} : () -> tensor<3x3x3x2xi8>
  %b = "tosa.const"() {values = dense<[1, 2, 3]> : tensor<3xi32>} : () -> tensor<3xi32>
  %izp = "tosa.const"() {values = dense<5> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %c = tosa.conv2d %arg0, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
  %m = "tosa.const"() {values = dense<[1073741824, 1500000000, 2000000000]> : tensor<3xi32>} : () -> tensor<3xi32>
  %s = "tosa.const"() {values = dense<[38, 39, 40]> : tensor<3xi8>} : () -> tensor<3xi8>
  %z32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %c, %m, %s, %z32, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x4x4x3xi32>, tensor<3xi32>, tensor<3xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x3xi8>
  return %r : tensor<1x4x4x3xi8>
}
