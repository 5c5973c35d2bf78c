// RUN: ft-opt %s -allow-unregistered-dialect --ft-plan-arena | FileCheck %s
// RUN: ft-opt %s -allow-unregistered-dialect --ft-plan-arena='arena-argument=true io-in-arena=false alignment=64' | FileCheck %s --check-prefix=ARG

// Inputs (from step 0 to their last use) and outputs (marked
// bufferize.result, from their first write to the end) live in the arena.
// Here the input dies before the output is written: both take offset 0, and
// the intermediate %t the other slot. The entry point loses its arguments;
// accessors return their addresses.
// CHECK: memref.global "private" @model_arena : memref<32xi8>
// CHECK-LABEL: func.func @model_input_0() -> index
// CHECK-SAME: ft.arena_offset = 0 : i64
// CHECK-SAME: ft.name = "image"
// CHECK: %[[A:.*]] = memref.get_global @model_arena
// CHECK: %[[V:.*]] = memref.view %[[A]]
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[V]]
// CHECK: return %[[P]] : index
// CHECK-LABEL: func.func @model_output_0() -> index
// CHECK-SAME: ft.arena_offset = 0 : i64
// CHECK-LABEL: func.func @model()
// CHECK-SAME: ft.arena_load = 32 : i64, ft.arena_method = "{{.*}}", ft.arena_size = 32 : i64
func.func @model(%in: memref<16xi8> {ft.name = "image"},
                 %out: memref<4xi8> {bufferize.result}) {
  %t = memref.alloc() : memref<16xi8>
  "test.op"(%in, %t) : (memref<16xi8>, memref<16xi8>) -> ()
  "test.op"(%t, %out) : (memref<16xi8>, memref<4xi8>) -> ()
  return
}

// The caller's arena: a trailing argument; arguments stay arguments.
// ARG-NOT: memref.global
// ARG: func.func @model(%{{.*}}: memref<16xi8> {ft.name = "image"}, %{{.*}}: memref<4xi8> {bufferize.result}, %[[ARENA:.*]]: memref<64xi8> {ft.arena})
// ARG: memref.view %[[ARENA]]
