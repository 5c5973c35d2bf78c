// RUN: ft-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries" --verify-diagnostics | FileCheck %s

// One-shot bufferization turns a tile block into one scf.for over its
// tiles that carries the output buffer: each tile writes its rows in place
// (a subview of the carried buffer), and the buffers of a tile are
// allocated inside the loop, one per tile, which the arena planner gives
// one slot reused by every tile.
// CHECK-LABEL: func.func @ffmt
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<1x10x8x4xi8>
// CHECK: %[[R:.*]] = scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%[[CARRIED:.*]] = %[[OUT]]) -> (memref<1x10x8x4xi8>) {
// CHECK: memref.alloc(%{{.*}}) {{.*}} : memref<1x?x8x4xi8>
// CHECK: %[[ROWS:.*]] = memref.subview %[[CARRIED]][0, %{{.*}}, 0, 0] [1, %{{.*}}, 8, 4]
// CHECK: memref.copy %{{.*}}, %[[ROWS]]
// CHECK: scf.yield %[[CARRIED]] : memref<1x10x8x4xi8>
// CHECK-NOT: ft.tile_block
// CHECK: return %[[R]]
func.func @ffmt(%in: tensor<1x10x8x4xi8>) -> tensor<1x10x8x4xi8> {
  %init = tensor.empty() : tensor<1x10x8x4xi8>
  %r = ft.tile_block ffmt axis 1 [0, 4) [4, 7) [7, 10) (%off, %size)
      iter_args(%out = %init) : tensor<1x10x8x4xi8> {
    %tile = tensor.extract_slice %in[0, %off, 0, 0] [1, %size, 8, 4] [1, 1, 1, 1]
        : tensor<1x10x8x4xi8> to tensor<1x?x8x4xi8>
    %e = tensor.empty(%size) : tensor<1x?x8x4xi8>
    %neg = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%tile : tensor<1x?x8x4xi8>) outs(%e : tensor<1x?x8x4xi8>) {
    ^bb0(%x: i8, %o: i8):
      %z = arith.constant 0 : i8
      %n = arith.subi %z, %x : i8
      linalg.yield %n : i8
    } -> tensor<1x?x8x4xi8>
    %next = tensor.insert_slice %neg into %out[0, %off, 0, 0] [1, %size, 8, 4] [1, 1, 1, 1]
        : tensor<1x?x8x4xi8> into tensor<1x10x8x4xi8>
    ft.yield %next : tensor<1x10x8x4xi8>
  }
  return %r : tensor<1x10x8x4xi8>
}

// -----

// FDT: every tile adds into the one accumulator buffer.
// CHECK-LABEL: func.func @fdt
// CHECK: %[[ACC:.*]] = memref.alloc() {{.*}} : memref<4xi32>
// CHECK: scf.for {{.*}} iter_args(%[[CARRIED:.*]] = %[[ACC]]) -> (memref<4xi32>) {
// CHECK: ft.partial_sum %{{.*}} into %[[CARRIED]] : memref<4xi32>
// CHECK: scf.yield %[[CARRIED]]
func.func @fdt(%p: tensor<4xi32>) -> tensor<4xi32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4xi32>
  %zero = linalg.fill ins(%c0 : i32) outs(%e : tensor<4xi32>) -> tensor<4xi32>
  %acc = ft.tile_block fdt axis 0 [0, 2) [2, 4) (%off, %size) iter_args(%a = %zero) : tensor<4xi32> {
    %s = ft.partial_sum %p into %a : tensor<4xi32>
    ft.yield %s : tensor<4xi32>
  }
  return %acc : tensor<4xi32>
}

// -----

// A body that yields a fresh tensor instead of updating its iter_args would
// need a new buffer per tile: refused.
func.func @not_in_place(%x: tensor<4xi32>) -> tensor<4xi32> {
  %e = tensor.empty() : tensor<4xi32>
  %acc = ft.tile_block fdt axis 0 [0, 2) [2, 4) (%off, %size) iter_args(%a = %e) : tensor<4xi32> {
    %c = tensor.empty() : tensor<4xi32>
    %f = linalg.copy ins(%x : tensor<4xi32>) outs(%c : tensor<4xi32>) -> tensor<4xi32>
    // expected-error @+1 {{yielded value #0 does not bufferize to the buffer carried across tiles; a tile block must update its iter_args in place}}
    ft.yield %f : tensor<4xi32>
  }
  return %acc : tensor<4xi32>
}
