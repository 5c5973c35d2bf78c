// An unknown pipeline option is reported, not ignored.
// RUN: not ft-opt %s --pass-pipeline='builtin.module(ft-lower-to-llvm{no-such-option=1})' 2>&1 | FileCheck %s
// CHECK: no-such-option
func.func @f() {
  return
}
