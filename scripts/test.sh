#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds, runs lit (which also
# runs the GoogleTest units) and a short fuzzing session of the importer.
# Ends with the line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
bash scripts/build.sh ft-opt ft-translate ft-run ft-compare ft-tflite-gen ft-compile ft-memory-report mlir-doc \
  FTUnitTests ft-import-fuzzer || exit 1

BUILD_DIR=${FT_BUILD_DIR:-build}
LIT=/usr/lib/llvm-22/bin/lit
out=$(mktemp)
"$LIT" -sv "$BUILD_DIR/test" "$@" 2>&1 | tee "$out"
lit_status=${PIPESTATUS[0]}

# lit prints "  Passed: N" / "  Failed: N" (and other categories, the
# colons aligned with spaces when there are several: "  Passed     : N");
# fold them into one closing line.
count() {
  awk -v k="$1" '{ line = $0; sub(/^ +/, "", line) }
    index(line, k) == 1 { rest = substr(line, length(k) + 1)
      if (rest ~ /^ *: *[0-9]+/) { sub(/^ *: */, "", rest); print rest + 0 } }' \
    "$out" | tail -n 1
}
passed=$(count Passed); failed=$(count Failed)
unexpected=$(count "Unexpectedly Passed"); unresolved=$(count Unresolved)
timed_out=$(count "Timed Out")
passed=${passed:-0}
failed=$(( ${failed:-0} + ${unresolved:-0} + ${timed_out:-0} ))
skipped=$(( $(count Unsupported | sed 's/^$/0/') + 0 ))
rm -f "$out"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$lit_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
