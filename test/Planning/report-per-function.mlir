// With several functions the report holds one plan per function (an
// array), and ft-memory-report shows each; none overwrites another.
// RUN: ft-opt %s -allow-unregistered-dialect --ft-plan-arena='io-in-arena=false memory-report=%t.json' -o /dev/null
// RUN: FileCheck %s --check-prefix=JSON --input-file=%t.json
// RUN: ft-memory-report %t.json --function=second --svg=%t.svg | FileCheck %s
// RUN: FileCheck %s --check-prefix=SVG --input-file=%t.svg
// RUN: not ft-memory-report %t.json --function=third --svg=%t.svg 2>&1 | FileCheck %s --check-prefix=NOFUNC

// JSON: [
// JSON: "function": "first"
// JSON: "arena_bytes": 32
// JSON: "function": "second"
// JSON: "arena_bytes": 64
// CHECK: function first: arena 32 bytes
// CHECK: function second: arena 64 bytes
// SVG: <svg
// NOFUNC: ft-memory-report: no function 'third' in

func.func @first() {
  %a = memref.alloc() : memref<16xi8>
  %b = memref.alloc() : memref<16xi8>
  "test.op"(%a, %b) : (memref<16xi8>, memref<16xi8>) -> ()
  return
}
func.func @second() {
  %a = memref.alloc() : memref<64xi8>
  "test.op"(%a) : (memref<64xi8>) -> ()
  return
}
