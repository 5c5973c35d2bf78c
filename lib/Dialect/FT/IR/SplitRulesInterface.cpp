//===- SplitRulesInterface.cpp - How a tiling split passes an op ----------===//

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.cpp.inc"
