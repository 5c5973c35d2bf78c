#!/usr/bin/env bash
# Stands in for ft-run in test/Models/tiling-all-paths-refusals.test: with
# --tile-path it refuses as ft-run does (exit 1, an "error:" line) but
# follows the diagnostic with a long output; without, it runs the real
# ft-run ($REAL_FT_RUN).
for arg in "$@"; do
  if [[ "$arg" == --tile-path=* ]]; then
    echo "model.mlir:1:1: error: refused"
    # Long enough that a reader which stops at the first match leaves the
    # writer with most of it unwritten.
    for i in $(seq 1 20000); do
      echo "note: line $i of a long explanation that follows the diagnostic"
    done
    exit 1
  fi
done
exec "$REAL_FT_RUN" "$@"
