#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds, runs lit (which also
# runs the GoogleTest units) and a short fuzzing session of the importer,
# then the importer's tests and the zoo's import again under AddressSanitizer
# and UndefinedBehaviorSanitizer (scripts/test-sanitizers.sh, a second build
# in ./build-asan; FT_SKIP_SANITIZERS=1 leaves it out).
# Ends with the line "N passed, N failed, N skipped" over both.
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
sanitized=$(mktemp)
if [ "${FT_SKIP_SANITIZERS:-0}" != 1 ]; then
  bash scripts/test-sanitizers.sh 2>&1 | tee "$sanitized"
  [ "${PIPESTATUS[0]}" -eq 0 ] || lit_status=1
fi

# lit prints "  Passed: N" / "  Failed: N" (and other categories, the
# colons aligned with spaces when there are several: "  Passed     : N");
# fold them into one closing line.
# The last summary line of category $1 in file $2.
count_in() {
  awk -v k="$1" '{ line = $0; sub(/^ +/, "", line) }
    index(line, k) == 1 { rest = substr(line, length(k) + 1)
      if (rest ~ /^ *: *[0-9]+/) { sub(/^ *: */, "", rest); print rest + 0 } }' \
    "$2" | tail -n 1
}
# Category $1 summed over both runs.
count() {
  local a b
  a=$(count_in "$1" "$out")
  b=$(count_in "$1" "$sanitized")
  echo $(( ${a:-0} + ${b:-0} ))
}
passed=$(count Passed); failed=$(count Failed)
unexpected=$(count "Unexpectedly Passed"); unresolved=$(count Unresolved)
timed_out=$(count "Timed Out")
passed=${passed:-0}
failed=$(( ${failed:-0} + ${unresolved:-0} + ${timed_out:-0} ))
skipped=$(count Unsupported)
rm -f "$out" "$sanitized"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$lit_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
