// The liveness stage of ft-plan-arena alone: each buffer's name (the layer
// of its first writer, ft.layers; the argument's ft.name), bytes and steps,
// and in-place writes.
// RUN: ft-opt %s -allow-unregistered-dialect --split-input-file --ft-test-buffer-liveness --verify-diagnostics

// A chain: each buffer lives from its writer to its last reader (every op,
// allocations included, is a step).
// expected-remark @+2 {{input 'in': 4 bytes, steps 0-2}}
// expected-remark @+1 {{output 'out': 4 bytes, steps 5-6}}
func.func @chain(%in: memref<4xi8> {ft.name = "in"}, %out: memref<4xi8> {bufferize.result, ft.name = "out"}) {
  // expected-remark @+1 {{buffer 'a': 5 bytes, steps 2-3}}
  %a = memref.alloc() : memref<5xi8>
  // expected-remark @+1 {{buffer 'b': 3 bytes, steps 3-5}}
  %b = memref.alloc() : memref<3xi8>
  linalg.generic {indexing_maps = [affine_map<(d0) -> (0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%in : memref<4xi8>) outs(%a : memref<5xi8>) attrs = {ft.layers = [#ft.layer<"a", index = 0>]} {
  ^bb0(%x: i8, %y: i8):
    linalg.yield %x : i8
  }
  linalg.generic {indexing_maps = [affine_map<(d0) -> (0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : memref<5xi8>) outs(%b : memref<3xi8>) attrs = {ft.layers = [#ft.layer<"b", index = 1>]} {
  ^bb0(%x: i8, %y: i8):
    linalg.yield %x : i8
  }
  "test.op"(%b) : (memref<3xi8>) -> ()
  "test.op"(%b, %out) : (memref<3xi8>, memref<4xi8>) -> ()
  return
}

// -----

// An elementwise op writes over an input that dies there: one slot. A
// buffer whose writer has no layer is named by its source position.
// expected-remark @+2 {{input 'input 0': 16 bytes, steps 0-2}}
// expected-remark @+1 {{output 'output 1': 16 bytes, steps 4-5}}
func.func @in_place(%in: memref<16xi8>, %out: memref<16xi8> {bufferize.result}) {
  // expected-remark-re @+1 {{buffer '{{.*}}buffer-liveness.mlir:{{[0-9]+}}': 16 bytes, steps 2-3}}
  %x = memref.alloc() : memref<16xi8>
  // expected-remark-re @+1 {{buffer 'y': 16 bytes, steps 3-4, in place of '{{.*}}buffer-liveness.mlir:{{[0-9]+}}'}}
  %y = memref.alloc() : memref<16xi8>
  "test.op"(%in, %x) : (memref<16xi8>, memref<16xi8>) -> ()
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : memref<16xi8>) outs(%y : memref<16xi8>) attrs = {ft.layers = [#ft.layer<"y">]} {
  ^bb0(%a: i8, %b: i8):
    %n = arith.subi %b, %a : i8
    linalg.yield %n : i8
  }
  "test.op"(%y, %out) : (memref<16xi8>, memref<16xi8>) -> ()
  return
}
