//===- FTOps.cpp - FusedTiling operations ---------------------------------===//

#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace ft;

#include "FusedTiling/Dialect/FT/IR/FTEnums.cpp.inc"

//===----------------------------------------------------------------------===//
// TileBlockOp
//===----------------------------------------------------------------------===//

void TileBlockOp::build(OpBuilder &builder, OperationState &state,
                        TilingMethod method, bool accumulate,
                        ArrayRef<int64_t> axes,
                        ArrayRef<SmallVector<int64_t>> tileRanges,
                        ValueRange inits) {
  state.addAttribute(getMethodAttrName(state.name),
                     TilingMethodAttr::get(builder.getContext(), method));
  if (accumulate)
    state.addAttribute(getAccumulateAttrName(state.name),
                       builder.getUnitAttr());
  state.addAttribute(getAxesAttrName(state.name),
                     builder.getDenseI64ArrayAttr(axes));
  SmallVector<Attribute> ranges;
  for (const SmallVector<int64_t> &axisRanges : tileRanges)
    ranges.push_back(builder.getDenseI64ArrayAttr(axisRanges));
  state.addAttribute(getRangesAttrName(state.name),
                     builder.getArrayAttr(ranges));
  state.addOperands(inits);
  state.addTypes(inits.getTypes());
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (size_t i = 0; i < 2 * axes.size(); ++i)
    block->addArgument(builder.getIndexType(), state.location);
  for (Value init : inits)
    block->addArgument(init.getType(), init.getLoc());
}

int64_t TileBlockOp::getNumTiles() {
  int64_t tiles = 1;
  for (unsigned a = 0; a < getAxes().size(); ++a)
    tiles *= getNumTilesOnAxis(a);
  return tiles;
}

int64_t TileBlockOp::getTileStride(unsigned a) {
  int64_t stride = 1;
  for (unsigned b = a + 1; b < getAxes().size(); ++b)
    stride *= getNumTilesOnAxis(b);
  return stride;
}

/// The ft.tile_index ops a tile block's body starts with: all of them
/// (TileIndexOp's verifier), found without a walk.
static SmallVector<TileIndexOp> leadingTileIndices(Block &body) {
  SmallVector<TileIndexOp> indices;
  for (Operation &op : body) {
    auto index = dyn_cast<TileIndexOp>(op);
    if (!index)
      break;
    indices.push_back(index);
  }
  return indices;
}

void TileBlockOp::bindTile(int64_t tile,
                           llvm::DenseMap<Value, int64_t> &values) {
  for (unsigned a = 0; a < getAxes().size(); ++a) {
    auto [begin, end] = getRangeOfTile(a, tile);
    values[getTileOffset(a)] = begin;
    values[getTileSize(a)] = end - begin;
  }
  for (TileIndexOp index : leadingTileIndices(getBodyBlock()))
    values[index] = getIndexOnAxis(index.getAxisPosition(), tile);
}

Value TileBlockOp::getOrCreateTileIndex(OpBuilder &builder, unsigned a) {
  Block &body = getBodyBlock();
  for (TileIndexOp index : leadingTileIndices(body))
    if (static_cast<int64_t>(index.getAxis()) == getAxes()[a])
      return index;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(&body);
  return TileIndexOp::create(builder, getLoc(), builder.getIndexType(),
                             builder.getI64IntegerAttr(getAxes()[a]));
}

void TileBlockOp::replaceTileIndices(RewriterBase &rewriter,
                                     ValueRange indices) {
  // (Bufferization may have put ops before them: every op of the body.)
  for (Operation &op : llvm::make_early_inc_range(getBodyBlock()))
    if (auto index = dyn_cast<TileIndexOp>(op))
      rewriter.replaceOp(index, indices[index.getAxisPosition()]);
}

std::pair<int64_t, int64_t> TileBlockOp::getTileRange(unsigned a, int64_t t) {
  ArrayRef<int64_t> flat = cast<DenseI64ArrayAttr>(getRanges()[a]).asArrayRef();
  return {flat[2 * t], flat[2 * t + 1]};
}

// Custom form:
//   ft.tile_block <method> [accumulate] axis A [b, e) [b, e) ..., axis B ...
//       (%offset, %size, ...) [iter_args(%arg = %init, ...) : types]
//       [attributes {...}] { body }
ParseResult TileBlockOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &builder = parser.getBuilder();
  StringRef methodName;
  SMLoc methodLoc = parser.getCurrentLocation();
  if (parser.parseKeyword(&methodName))
    return failure();
  std::optional<TilingMethod> method = symbolizeTilingMethod(methodName);
  if (!method)
    return parser.emitError(methodLoc, "expected tiling method 'ffmt' or "
                                       "'fdt', got '")
           << methodName << "'";
  result.addAttribute(getMethodAttrName(result.name),
                      TilingMethodAttr::get(builder.getContext(), *method));
  if (succeeded(parser.parseOptionalKeyword("accumulate")))
    result.addAttribute(getAccumulateAttrName(result.name),
                        builder.getUnitAttr());

  SmallVector<int64_t> axes;
  SmallVector<Attribute> ranges;
  do {
    int64_t axis;
    if (parser.parseKeyword("axis") || parser.parseInteger(axis))
      return failure();
    axes.push_back(axis);
    SmallVector<int64_t> flat;
    if (parser.parseLSquare())
      return failure();
    do {
      int64_t begin, end;
      if (parser.parseInteger(begin) || parser.parseComma() ||
          parser.parseInteger(end) || parser.parseRParen())
        return failure();
      flat.append({begin, end});
    } while (succeeded(parser.parseOptionalLSquare()));
    ranges.push_back(builder.getDenseI64ArrayAttr(flat));
  } while (succeeded(parser.parseOptionalComma()));
  result.addAttribute(getAxesAttrName(result.name),
                      builder.getDenseI64ArrayAttr(axes));
  result.addAttribute(getRangesAttrName(result.name),
                      builder.getArrayAttr(ranges));

  SmallVector<OpAsmParser::Argument> blockArgs;
  if (parser.parseArgumentList(blockArgs, OpAsmParser::Delimiter::Paren))
    return failure();
  for (OpAsmParser::Argument &arg : blockArgs)
    arg.type = builder.getIndexType();

  SmallVector<OpAsmParser::Argument> iterArgs;
  SmallVector<OpAsmParser::UnresolvedOperand> inits;
  SmallVector<Type> types;
  const bool hasIterArgs = succeeded(parser.parseOptionalKeyword("iter_args"));
  if (hasIterArgs && parser.parseAssignmentList(iterArgs, inits))
    return failure();
  // Line buffers: iter_args after the outputs.
  if (succeeded(parser.parseOptionalKeyword("caches"))) {
    const size_t numOutputs = inits.size();
    if (parser.parseAssignmentList(iterArgs, inits))
      return failure();
    result.addAttribute(getNumCachesAttrName(result.name),
                        builder.getI64IntegerAttr(inits.size() - numOutputs));
  }
  if (!inits.empty()) {
    if (parser.parseColonTypeList(types))
      return failure();
    if (types.size() != inits.size())
      return parser.emitError(parser.getCurrentLocation(), "expected ")
             << inits.size() << " iter_args types, got " << types.size();
    for (auto [arg, type] : llvm::zip(iterArgs, types))
      arg.type = type;
    if (parser.resolveOperands(inits, types, parser.getCurrentLocation(),
                               result.operands))
      return failure();
  }
  result.addTypes(types);
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  blockArgs.append(iterArgs);
  return parser.parseRegion(*result.addRegion(), blockArgs);
}

void TileBlockOp::print(OpAsmPrinter &p) {
  p << ' ' << stringifyTilingMethod(getMethod()) << ' ';
  if (getAccumulate())
    p << "accumulate ";
  for (unsigned a = 0; a < getAxes().size(); ++a) {
    if (a)
      p << ", ";
    p << "axis " << getAxes()[a];
    ArrayRef<int64_t> flat =
        cast<DenseI64ArrayAttr>(getRanges()[a]).asArrayRef();
    for (size_t i = 0; i + 1 < flat.size(); i += 2)
      p << " [" << flat[i] << ", " << flat[i + 1] << ")";
  }
  Block &block = getBodyBlock();
  const size_t numTileArgs = 2 * getAxes().size();
  p << " (";
  llvm::interleaveComma(block.getArguments().take_front(numTileArgs), p,
                        [&](BlockArgument arg) { p.printOperand(arg); });
  p << ")";
  auto printAssignments = [&](unsigned begin, unsigned end) {
    llvm::interleaveComma(llvm::seq(begin, end), p, [&](unsigned i) {
      p.printOperand(getRegionIterArgs()[i]);
      p << " = ";
      p.printOperand(getInits()[i]);
    });
  };
  const unsigned numOutputs = getNumOutputs();
  if (numOutputs > 0) {
    p << " iter_args(";
    printAssignments(0, numOutputs);
    p << ")";
  }
  if (getNumCaches() > 0) {
    p << " caches(";
    printAssignments(numOutputs, getInits().size());
    p << ")";
  }
  if (!getInits().empty()) {
    p << " : ";
    llvm::interleaveComma(getInits().getTypes(), p);
  }
  p.printOptionalAttrDictWithKeyword(
      (*this)->getAttrs(),
      {getMethodAttrName(), getAccumulateAttrName(), getAxesAttrName(),
       getRangesAttrName(), getNumCachesAttrName()});
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/true);
}

void TileBlockOp::getAsmBlockArgumentNames(Region &region,
                                           OpAsmSetValueNameFn setNameFn) {
  for (auto [a, axis] : llvm::enumerate(getAxes())) {
    setNameFn(getTileOffset(a), "offset" + std::to_string(axis));
    setNameFn(getTileSize(a), "size" + std::to_string(axis));
  }
  for (auto [i, arg] : llvm::enumerate(getRegionIterArgs()))
    setNameFn(arg, i < getNumOutputs() ? "carried" : "cache");
}

LogicalResult TileBlockOp::verify() {
  ArrayRef<int64_t> axes = getAxes();
  if (axes.empty())
    return emitOpError("splits no axis; expected at least one");
  if (getRanges().size() != axes.size())
    return emitOpError("has ")
           << getRanges().size() << " lists of tile ranges for " << axes.size()
           << " split axes; expected one list per axis";
  const auto numCaches = static_cast<int64_t>(getNumCaches());
  if (numCaches < 0 || numCaches > static_cast<int64_t>(getInits().size()))
    return emitOpError("has ") << getNumCaches() << " line buffers but "
                               << getInits().size() << " iter_args";
  if (getMethod() == TilingMethod::FDT && axes.size() != 1)
    return emitOpError("fdt splits exactly one (channel) axis, got ")
           << axes.size();
  llvm::SmallSet<int64_t, 4> seen;
  for (unsigned a = 0; a < axes.size(); ++a) {
    const int64_t axis = axes[a];
    if (axis < 0)
      return emitOpError("split axis ") << axis << " is negative";
    if (!seen.insert(axis).second)
      return emitOpError("splits axis ") << axis << " twice";
    ArrayRef<int64_t> flat =
        cast<DenseI64ArrayAttr>(getRanges()[a]).asArrayRef();
    if (flat.empty() || flat.size() % 2 != 0)
      return emitOpError("tile ranges of axis ")
             << axis << " must be [begin, end) pairs, at least one";
    int64_t expectedBegin = 0;
    for (size_t t = 0; t < flat.size() / 2; ++t) {
      const int64_t begin = flat[2 * t], end = flat[2 * t + 1];
      if (begin != expectedBegin)
        return emitOpError("tile ")
               << t << " of axis " << axis << " begins at " << begin
               << " but must begin at " << expectedBegin
               << ": tiles must cover the axis from 0 without gap or overlap";
      if (end < begin)
        return emitOpError("tile ")
               << t << " of axis " << axis << " ends before it begins: ["
               << begin << ", " << end << ")";
      expectedBegin = end;
    }
    if (expectedBegin == 0)
      return emitOpError("every tile of axis ") << axis << " is empty";
    if (getMethod() != TilingMethod::FFMT)
      continue;
    // Output tiles cover every result exactly once, unless every tile adds
    // to the results (a global pooling over the split axis).
    if (getAccumulate())
      continue;
    for (auto [i, type] : llvm::enumerate(
             TypeRange(getResultTypes()).take_front(getNumOutputs()))) {
      auto shaped = cast<RankedTensorType>(type);
      if (axis >= shaped.getRank())
        return emitOpError("split axis ")
               << axis << " is out of range for result #" << i << " of rank "
               << shaped.getRank();
      if (!shaped.isDynamicDim(axis) &&
          shaped.getDimSize(axis) != expectedBegin)
        return emitOpError("ffmt tiles of axis ")
               << axis << " end at " << expectedBegin << " but result #" << i
               << " has extent " << shaped.getDimSize(axis)
               << ": the output tiles must cover it exactly once";
    }
  }
  if (getInits().getTypes() != getResultTypes())
    return emitOpError("result types must equal the iter_args types");
  return success();
}

LogicalResult TileBlockOp::verifyRegions() {
  Block &block = getBodyBlock();
  const size_t numTileArgs = 2 * getAxes().size();
  if (block.getNumArguments() != numTileArgs + getInits().size())
    return emitOpError("body must take ")
           << numTileArgs << " tile offsets and sizes and " << getInits().size()
           << " iter_args, got " << block.getNumArguments() << " arguments";
  for (BlockArgument arg : block.getArguments().take_front(numTileArgs))
    if (!arg.getType().isIndex())
      return emitOpError("tile offsets and sizes must be of type index");
  for (auto [arg, init] : llvm::zip(getRegionIterArgs(), getInits()))
    if (arg.getType() != init.getType())
      return emitOpError("iter_args argument type ")
             << arg.getType() << " differs from its init " << init.getType();
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield)
    return emitOpError("body must end with ft.yield");
  if (yield.getValues().getTypes() != getResultTypes())
    return yield.emitOpError("yields ")
           << yield.getValues().size()
           << " values whose types must equal the tile block's result types";
  return success();
}

//===----------------------------------------------------------------------===//
// TileIndexOp
//===----------------------------------------------------------------------===//

unsigned TileIndexOp::getAxisPosition() {
  auto block = cast<TileBlockOp>((*this)->getParentOp());
  return llvm::find(block.getAxes(), static_cast<int64_t>(getAxis())) -
         block.getAxes().begin();
}

LogicalResult TileIndexOp::verify() {
  auto block = cast<TileBlockOp>((*this)->getParentOp());
  if (!llvm::is_contained(block.getAxes(), static_cast<int64_t>(getAxis())))
    return emitOpError("axis ")
           << getAxis() << " is not split by the enclosing tile block";
  for (Operation *prev = (*this)->getPrevNode(); prev;
       prev = prev->getPrevNode()) {
    auto index = dyn_cast<TileIndexOp>(prev);
    if (!index)
      return emitOpError("must be at the start of the tile block's body, "
                         "before every other op");
    if (index.getAxis() == getAxis())
      return emitOpError("repeats the tile index of axis ") << getAxis();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// PartialSumOp
//===----------------------------------------------------------------------===//

void PartialSumOp::build(OpBuilder &builder, OperationState &state,
                         Value partial, Value accumulator) {
  state.addOperands({partial, accumulator});
  if (isa<RankedTensorType>(accumulator.getType()))
    state.addTypes(accumulator.getType());
}

// Custom form: ft.partial_sum %partial into %acc attr-dict : type
ParseResult PartialSumOp::parse(OpAsmParser &parser, OperationState &result) {
  OpAsmParser::UnresolvedOperand partial, accumulator;
  Type type;
  if (parser.parseOperand(partial) || parser.parseKeyword("into") ||
      parser.parseOperand(accumulator) ||
      parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColonType(type) ||
      parser.resolveOperands({partial, accumulator}, {type, type},
                             parser.getCurrentLocation(), result.operands))
    return failure();
  if (isa<RankedTensorType>(type))
    result.addTypes(type);
  return success();
}

void PartialSumOp::print(OpAsmPrinter &p) {
  p << ' ' << getPartial() << " into " << getAccumulator();
  p.printOptionalAttrDict((*this)->getAttrs());
  p << " : " << getAccumulator().getType();
}

LogicalResult PartialSumOp::verify() {
  auto type = cast<ShapedType>(getAccumulator().getType());
  Type element = type.getElementType();
  if (!element.isSignlessInteger(32) && !element.isF32())
    return emitOpError("accumulates in i32 (int8/uint8 layers) or f32 (float "
                       "layers), not ")
           << element;
  if (!isa<RankedTensorType, MemRefType>(type))
    return emitOpError("operates on ranked tensors or memrefs");
  return success();
}

void PartialSumOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (!hasPureBufferSemantics())
    return;
  effects.emplace_back(MemoryEffects::Read::get(), &getPartialMutable(),
                       SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Read::get(), &getAccumulatorMutable(),
                       SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Write::get(), &getAccumulatorMutable(),
                       SideEffects::DefaultResource::get());
}

//===----------------------------------------------------------------------===//
// MergeOp
//===----------------------------------------------------------------------===//

void MergeOp::getAsmBlockArgumentNames(Region &region,
                                       OpAsmSetValueNameFn setNameFn) {
  for (BlockArgument arg : region.getArguments())
    setNameFn(arg, "sum");
}

LogicalResult MergeOp::verifyRegions() {
  Block &block = getBody().front();
  if (block.getArgumentTypes() != getAccumulators().getTypes())
    return emitOpError("body arguments must have the accumulators' types");
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield)
    return emitOpError("body must end with ft.yield");
  if (yield.getValues().getTypes() != getResultTypes())
    return yield.emitOpError("yields values whose types must equal the "
                             "merge's result types");
  return success();
}

#define GET_OP_CLASSES
#include "FusedTiling/Dialect/FT/IR/FTOps.cpp.inc"
