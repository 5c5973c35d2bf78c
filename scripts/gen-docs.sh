#!/usr/bin/env bash
# Regenerates docs/generated/ from the TableGen sources (ODS dialect and pass
# descriptions). A test checks that the committed copies are current.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh mlir-doc >/dev/null
BUILD_DIR=${FT_BUILD_DIR:-build}
cp "$BUILD_DIR/docs/Dialects/FTDialect.md" docs/generated/FTDialect.md
cp "$BUILD_DIR/docs/FTConversionPasses.md" docs/generated/FTConversionPasses.md
cp "$BUILD_DIR/docs/FTTransformsPasses.md" docs/generated/FTTransformsPasses.md
cp "$BUILD_DIR/docs/FTDialectPasses.md" docs/generated/FTDialectPasses.md
cp "$BUILD_DIR/docs/FTPlanningPasses.md" docs/generated/FTPlanningPasses.md
cp "$BUILD_DIR/docs/FTTilingPasses.md" docs/generated/FTTilingPasses.md
cp "$BUILD_DIR/docs/Interfaces/FTSplitRulesInterface.md" docs/generated/FTSplitRulesInterface.md
cp "$BUILD_DIR/docs/FTTransformOps.md" docs/generated/FTTransformOps.md
