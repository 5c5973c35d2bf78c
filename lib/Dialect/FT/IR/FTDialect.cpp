//===- FTDialect.cpp - FusedTiling dialect --------------------------------===//

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"

using namespace ft;

#include "FusedTiling/Dialect/FT/IR/FTDialect.cpp.inc"

void FTDialect::initialize() {}
