// RUN: ft-opt %s -allow-unregistered-dialect --split-input-file --ft-plan-arena --verify-diagnostics
// RUN: not ft-opt %s -allow-unregistered-dialect --split-input-file --ft-plan-arena=alignment=0 2>&1 | FileCheck %s --check-prefix=ALIGN
// ALIGN: error: ft-plan-arena: alignment must be positive

func.func @dynamic(%n: index) {
  // expected-error @+1 {{ft-plan-arena: no static upper bound for dimension 0 of 'memref<?xi8>'}}
  %a = memref.alloc(%n) : memref<?xi8>
  "test.op"(%a) : (memref<?xi8>) -> ()
  return
}

// -----

// expected-error @+1 {{ft-plan-arena: the function body must be one block (structured control flow)}}
func.func @unstructured(%c: i1) {
  cf.cond_br %c, ^a, ^b
^a:
  return
^b:
  return
}
