// RUN: ft-opt %s --pass-pipeline='builtin.module(func.func(ft-vectorize-reductions{lanes=0}))' --verify-diagnostics

// A chunk needs at least one lane: refused at the function, nothing built.
// expected-error @+1 {{ft-vectorize-reductions: lanes=0 is not a positive number of int8 lanes per vscale}}
func.func @no_lanes() {
  return
}
