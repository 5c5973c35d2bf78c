#!/usr/bin/env bash
# Every .tflite file of a folder through the importer alone, two at a time;
# one line per file: NAME: imported | refused (exit 1, one error line) |
# SANITIZER (a sanitizer report) | BROKEN exit N, K error lines.
#   import-all.sh MODELS_DIR WORK
set -uo pipefail
dir=$1 work=$2
mkdir -p "$work"
ls "$dir"/*.tflite | xargs -P 2 -I {} sh -c '
  name=$(basename {} .tflite); log='"$work"'/$name.log
  timeout 300 ft-translate --import-tflite {} -o /dev/null > $log 2>&1
  status=$?; errors=$(grep -c "error:" $log)
  if grep -q -e "runtime error" -e "Sanitizer" $log; then echo "$name: SANITIZER"
  elif [ $status -eq 0 ] && [ $errors -eq 0 ]; then echo "$name: imported"
  elif [ $status -eq 1 ] && [ $errors -eq 1 ]; then echo "$name: refused"
  else echo "$name: BROKEN exit $status, $errors error lines"; fi'
