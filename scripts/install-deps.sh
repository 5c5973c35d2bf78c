#!/usr/bin/env bash
# Installs everything FusedTiling needs from Debian's packages (Debian 12).
# Idempotent: does nothing when every package is already installed.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  clang-22 lld-22 libclang-rt-22-dev
  libflatbuffers-dev flatbuffers-compiler
  libgtest-dev
  qemu-user qemu-system-misc qemu-system-arm
  librsvg2-bin
)

missing=()
for p in "${PACKAGES[@]}"; do
  # Not `| grep -q`: under pipefail, grep quitting early can fail the pipe.
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == *"install ok installed"* ]] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
