//===- ConvertDataMovement.cpp - Gathers and rearrangements --------------===//
//
// Operators that move elements to computed places without arithmetic:
// GATHER, GATHER_ND, EMBEDDING_LOOKUP, DEPTH_TO_SPACE, SPACE_TO_DEPTH,
// SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, MIRROR_PAD, DYNAMIC_UPDATE_SLICE.
// Rearrangements are reshapes and transposes; gathers are tosa.gather with
// indices clamped into the table (TOSA leaves out-of-range indices
// undefined, TFLM reports an error), which keeps the code memory-safe.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;

namespace {

int64_t product(ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

/// An integer index value as i32 (int64 indices narrowed), clamped to
/// [0, bound).
Value indexValue(Converter &c, Value index, const TensorInfo &t,
                 int64_t bound) {
  auto type = cast<RankedTensorType>(index.getType());
  if (t.type == tflite::TensorType_INT64)
    index = tosa::CastOp::create(c.b, c.loc, type.clone(c.b.getI32Type()),
                                 c.g.clampInt(c.loc, index, 0, bound - 1));
  return c.g.clampInt(c.loc, index, 0, bound - 1);
}

/// GATHER (params, indices; axis, batch_dims): out = params[:axis] +
/// indices[batch_dims:] + params[axis + 1:]. One tosa.gather over
/// [batch * outer, K, inner] with the indices repeated for every outer row.
LogicalResult convertGather(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  auto *opts = c.options<tflite::GatherOptions>();
  const TensorInfo &params = c.in(0), &indices = c.in(1), &y = c.out();
  const int64_t rank = params.shape.size();
  FailureOr<int64_t> axis = resolveAxis(c, opts ? opts->axis() : 0, rank);
  if (failed(axis))
    return failure();
  int64_t batchDims = opts ? opts->batch_dims() : 0;
  const int64_t indexRank = indices.shape.size();
  if (batchDims < 0)
    batchDims += indexRank;
  if (batchDims < 0 || batchDims > *axis || batchDims > indexRank)
    return c.error() << "batch_dims " << (opts ? opts->batch_dims() : 0)
                     << " does not fit axis " << *axis << " and indices of "
                     << "rank " << indexRank;
  if (indices.type != tflite::TensorType_INT32 &&
      indices.type != tflite::TensorType_INT64)
    return c.error(indices.index) << "indices must be int32 or int64";
  for (int64_t d = 0; d < batchDims; ++d)
    if (indices.shape[d] != params.shape[d])
      return c.error(indices.index)
             << "the batch dimensions of params and indices differ";
  if (failed(c.sameElementType({params.index, y.index})))
    return failure();
  ArrayRef<int64_t> ps = params.shape;
  const int64_t batch = product(ps.take_front(batchDims));
  const int64_t outer = product(ps.slice(batchDims, *axis - batchDims));
  const int64_t k = ps[*axis];
  const int64_t inner = product(ps.drop_front(*axis + 1));
  const int64_t n =
      product(ArrayRef<int64_t>(indices.shape).drop_front(batchDims));
  if (y.numElements() != batch * outer * n * inner)
    return c.error(y.index) << "output does not match params and indices";
  if (k == 0 || y.numElements() == 0)
    return c.error(y.index) << "empty gathers are not supported";
  FailureOr<Value> table = c.value(0), idx = c.value(1);
  if (failed(table) || failed(idx))
    return failure();
  Value index = indexValue(c, *idx, indices, k);
  // [batch, n] indices, repeated over the outer rows: [batch * outer, n].
  if (outer > 1) {
    ImplicitLocOpBuilder ib(c.loc, c.b);
    index = tosa::TileOp::create(
        c.b, c.loc, RankedTensorType::get({batch, outer, n}, c.b.getI32Type()),
        c.g.reshape(c.loc, index, {batch, 1, n}),
        tosa::getTosaConstShape(ib, {1, outer, 1}));
  }
  index = c.g.reshape(c.loc, index, {batch * outer, n});
  Value values = c.g.reshape(c.loc, *table, {batch * outer, k, inner});
  Value gathered = tosa::GatherOp::create(
      c.b, c.loc,
      RankedTensorType::get({batch * outer, n, inner},
                            c.outType().getElementType()),
      values, index);
  c.set(c.g.reshape(c.loc, gathered, y.shape));
  return success();
}

/// GATHER_ND (params, indices [..., depth]): each index row picks
/// params[row] (a slice of the trailing dimensions), its row-major offset
/// computed in i32.
LogicalResult convertGatherNd(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &params = c.in(0), &indices = c.in(1), &y = c.out();
  if (indices.type != tflite::TensorType_INT32 &&
      indices.type != tflite::TensorType_INT64)
    return c.error(indices.index) << "indices must be int32 or int64";
  if (failed(c.sameElementType({params.index, y.index})))
    return failure();
  if (indices.shape.empty())
    return c.error(indices.index) << "indices need at least one dimension";
  const int64_t depth = indices.shape.back();
  const int64_t rank = params.shape.size();
  if (depth < 1 || depth > rank)
    return c.error(indices.index)
           << "index rows of " << depth << " entries do not fit params of rank "
           << rank;
  ArrayRef<int64_t> ps = params.shape;
  const int64_t k = product(ps.take_front(depth));
  const int64_t inner = product(ps.drop_front(depth));
  const int64_t n = indices.numElements() / depth;
  if (y.numElements() != n * inner || k == 0 || n == 0)
    return c.error(y.index) << "output does not match params and indices";
  FailureOr<Value> table = c.value(0), idx = c.value(1);
  if (failed(table) || failed(idx))
    return failure();
  // Each column clamped to its dimension, times its row-major stride.
  Value rows = c.g.reshape(c.loc, *idx, {n, depth});
  auto columnType = RankedTensorType::get({n, 1}, c.b.getI32Type());
  Value offset;
  int64_t stride = k;
  for (int64_t d = 0; d < depth; ++d) {
    stride /= ps[d];
    Value column = c.g.slice(c.loc, rows, {0, d}, {n, 1});
    column = indexValue(c, column, indices, ps[d]);
    Value scaled =
        c.g.mulShift(c.loc, column,
                     c.g.scalarI32(c.loc, static_cast<int32_t>(stride), 2), 0);
    offset =
        offset
            ? Value(tosa::AddOp::create(c.b, c.loc, columnType, offset, scaled))
            : scaled;
  }
  Value values = c.g.reshape(c.loc, *table, {1, k, inner});
  Value gathered = tosa::GatherOp::create(
      c.b, c.loc,
      RankedTensorType::get({1, n, inner}, c.outType().getElementType()),
      values, c.g.reshape(c.loc, offset, {1, n}));
  c.set(c.g.reshape(c.loc, gathered, y.shape));
  return success();
}

/// EMBEDDING_LOOKUP (ids, table): out[i] = table[ids[i]]; an int8 table
/// into a float32 output is dequantized by its scale (TFLM's hybrid path:
/// zero point 0).
LogicalResult convertEmbeddingLookup(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &ids = c.in(0), &table = c.in(1), &y = c.out();
  if (ids.type != tflite::TensorType_INT32)
    return c.error(ids.index) << "ids must be int32";
  const bool hybrid = table.type == tflite::TensorType_INT8 && y.isFloat();
  if (!hybrid && failed(c.sameElementType({table.index, y.index})))
    return failure();
  if (hybrid && (table.scales.size() != 1 || table.zeroPoint() != 0))
    return c.error(table.index) << "a hybrid lookup table has one scale and "
                                   "zero point 0 (as TFLM requires)";
  if (table.shape.empty() || table.shape[0] == 0)
    return c.error(table.index) << "the table needs rows";
  const int64_t k = table.shape[0];
  const int64_t inner = product(ArrayRef<int64_t>(table.shape).drop_front());
  const int64_t n = ids.numElements();
  if (y.numElements() != n * inner || n == 0)
    return c.error(y.index) << "output does not match ids and table";
  FailureOr<Value> rowsOf = c.value(1), idx = c.value(0);
  if (failed(rowsOf) || failed(idx))
    return failure();
  Type tableElem = cast<RankedTensorType>(rowsOf->getType()).getElementType();
  Value index = c.g.reshape(c.loc, indexValue(c, *idx, ids, k), {1, n});
  Value gathered = tosa::GatherOp::create(
      c.b, c.loc, RankedTensorType::get({1, n, inner}, tableElem),
      c.g.reshape(c.loc, *rowsOf, {1, k, inner}), index);
  Value v = c.g.reshape(c.loc, gathered, y.shape);
  if (hybrid) {
    v = tosa::CastOp::create(c.b, c.loc, c.outType(), v);
    v = c.g.mulShift(
        c.loc, v,
        c.g.scalarF32(c.loc, static_cast<float>(table.scale()), y.shape.size()),
        0);
  }
  c.set(v);
  return success();
}

/// DEPTH_TO_SPACE and SPACE_TO_DEPTH (block b, NHWC): a reshape to
/// [N, H, W, b, b, C] or [N, H, b, W, b, C], a transpose of the two
/// middle dimensions, a reshape back (TFLite's element order).
LogicalResult convertDepthSpace(Converter &c) {
  if (failed(c.requireInputs(1)) || failed(c.requireRank(0, 4)) ||
      failed(c.requireRank(0, 4, /*isOutput=*/true)))
    return failure();
  const bool toSpace = c.op.code == tflite::BuiltinOperator_DEPTH_TO_SPACE;
  int64_t block = 0;
  if (toSpace) {
    if (auto *o = c.options<tflite::DepthToSpaceOptions>())
      block = o->block_size();
  } else if (auto *o = c.options<tflite::SpaceToDepthOptions>()) {
    block = o->block_size();
  }
  const TensorInfo &x = c.in(0), &y = c.out();
  if (failed(c.sameElementType({x.index, y.index})))
    return failure();
  if (block < 1)
    return c.error() << "block size must be positive";
  const TensorInfo &deep = toSpace ? x : y, &wide = toSpace ? y : x;
  const int64_t n = deep.shape[0], h = deep.shape[1], w = deep.shape[2];
  const int64_t ch = wide.shape[3];
  if (wide.shape[0] != n || wide.shape[1] != h * block ||
      wide.shape[2] != w * block || deep.shape[3] != ch * block * block)
    return c.error(y.index) << "shapes do not match block size " << block;
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  SmallVector<int64_t> deepShape = {n, h, w, block, block, ch};
  SmallVector<int64_t> wideShape = {n, h, block, w, block, ch};
  Value v = c.g.reshape(c.loc, *input, toSpace ? deepShape : wideShape);
  Type elem = c.outType().getElementType();
  v = tosa::TransposeOp::create(
      c.b, c.loc, RankedTensorType::get(toSpace ? wideShape : deepShape, elem),
      v, ArrayRef<int32_t>{0, 1, 3, 2, 4, 5});
  c.set(c.g.reshape(c.loc, v, y.shape));
  return success();
}

/// SPACE_TO_BATCH_ND (input, block_shape, paddings) and BATCH_TO_SPACE_ND
/// (input, block_shape, crops) over M spatial dimensions: pad (with 0, as
/// TFLM's never-set pad offset), reshape to [N, s1/b1, b1, ...], move the
/// block dimensions in front of the batch, reshape; and the inverse, then
/// the crops as a slice.
LogicalResult convertSpaceBatch(Converter &c) {
  if (failed(c.requireInputs(3)) ||
      failed(c.requireConstant(1, "block shape")) ||
      failed(c.requireConstant(2, "paddings or crops")))
    return failure();
  const bool toBatch = c.op.code == tflite::BuiltinOperator_SPACE_TO_BATCH_ND;
  const TensorInfo &x = c.in(0), &y = c.out();
  if (failed(c.sameElementType({x.index, y.index})))
    return failure();
  std::vector<int64_t> blocks = c.g.intData(c.in(1)),
                       pads = c.g.intData(c.in(2));
  const int64_t m = blocks.size();
  const int64_t rank = x.shape.size();
  if (m < 1 || rank < m + 1 || static_cast<int64_t>(pads.size()) != 2 * m ||
      static_cast<int64_t>(y.shape.size()) != rank)
    return c.error() << "block shape, paddings and ranks do not fit";
  for (int64_t i = 0; i < m; ++i)
    if (blocks[i] < 1 || pads[2 * i] < 0 || pads[2 * i + 1] < 0)
      return c.error(c.in(1).index) << "blocks must be positive and "
                                       "paddings non-negative";
  const int64_t blockCount = product(blocks);
  ArrayRef<int64_t> rest =
      ArrayRef<int64_t>(x.shape).drop_front(1 + m); // trailing dimensions
  // The spatial extents on the "space" side (padded, before any crop).
  const TensorInfo &space = toBatch ? x : y;
  SmallVector<int64_t> spaceExtent;
  for (int64_t i = 0; i < m; ++i)
    spaceExtent.push_back(toBatch ? space.shape[1 + i] + pads[2 * i] +
                                        pads[2 * i + 1]
                                  : x.shape[1 + i] * blocks[i]);
  const int64_t batch = toBatch ? x.shape[0] : x.shape[0] / blockCount;
  for (int64_t i = 0; i < m; ++i)
    if (spaceExtent[i] % blocks[i] != 0 ||
        (!toBatch &&
         spaceExtent[i] - pads[2 * i] - pads[2 * i + 1] != y.shape[1 + i]) ||
        (toBatch && y.shape[1 + i] != spaceExtent[i] / blocks[i]))
      return c.error(y.index) << "spatial dimension " << i
                              << " does not match the blocks and paddings";
  if ((toBatch && y.shape[0] != batch * blockCount) ||
      (!toBatch && x.shape[0] % blockCount != 0) ||
      (!toBatch && y.shape[0] != batch))
    return c.error(y.index) << "the batch does not match the blocks";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Type elem = c.outType().getElementType();
  Value v = *input;
  // [N, s1/b1, b1, ..., sM/bM, bM, rest...] and [b1, ..., bM, N, s1/b1,
  // ..., sM/bM, rest...].
  SmallVector<int64_t> split = {batch}, blocked;
  for (int64_t i = 0; i < m; ++i) {
    split.push_back(spaceExtent[i] / blocks[i]);
    split.push_back(blocks[i]);
  }
  split.append(rest.begin(), rest.end());
  SmallVector<int32_t> toBatchPerm;
  for (int64_t i = 0; i < m; ++i)
    toBatchPerm.push_back(2 + 2 * i);
  toBatchPerm.push_back(0);
  for (int64_t i = 0; i < m; ++i)
    toBatchPerm.push_back(1 + 2 * i);
  for (size_t i = 0; i < rest.size(); ++i)
    toBatchPerm.push_back(1 + 2 * m + i);
  for (int32_t p : toBatchPerm)
    blocked.push_back(split[p]);
  ImplicitLocOpBuilder ib(c.loc, c.b);
  if (toBatch) {
    if (llvm::any_of(pads, [](int64_t p) { return p != 0; })) {
      SmallVector<int64_t> padding(2 * rank, 0),
          padded(x.shape.begin(), x.shape.end());
      for (int64_t i = 0; i < m; ++i) {
        padding[2 * (1 + i)] = pads[2 * i];
        padding[2 * (1 + i) + 1] = pads[2 * i + 1];
        padded[1 + i] = spaceExtent[i];
      }
      // Raw byte 0, which is -128 in the int8 domain of a uint8 tensor.
      Value padConst = c.g.zeroPoint(c.loc, elem, x.isUnsigned8() ? -128 : 0);
      v = tosa::PadOp::create(c.b, c.loc, RankedTensorType::get(padded, elem),
                              v, tosa::getTosaConstShape(ib, padding),
                              padConst);
    }
    v = c.g.reshape(c.loc, v, split);
    v = tosa::TransposeOp::create(
        c.b, c.loc, RankedTensorType::get(blocked, elem), v, toBatchPerm);
    c.set(c.g.reshape(c.loc, v, y.shape));
    return success();
  }
  SmallVector<int32_t> inverse(toBatchPerm.size());
  for (size_t i = 0; i < toBatchPerm.size(); ++i)
    inverse[toBatchPerm[i]] = static_cast<int32_t>(i);
  v = c.g.reshape(c.loc, v, blocked);
  v = tosa::TransposeOp::create(c.b, c.loc, RankedTensorType::get(split, elem),
                                v, inverse);
  SmallVector<int64_t> uncropped = {batch};
  uncropped.append(spaceExtent.begin(), spaceExtent.end());
  uncropped.append(rest.begin(), rest.end());
  v = c.g.reshape(c.loc, v, uncropped);
  SmallVector<int64_t> start(rank, 0);
  for (int64_t i = 0; i < m; ++i)
    start[1 + i] = pads[2 * i];
  if (ArrayRef<int64_t>(uncropped) != ArrayRef<int64_t>(y.shape))
    v = c.g.slice(c.loc, v, start, y.shape);
  c.set(v);
  return success();
}

/// MIRROR_PAD (input, paddings; REFLECT or SYMMETRIC): per padded axis, one
/// gather of the mirrored rows, the input's and the mirrored rows after
/// (ft.axis_gather, which fused tiling splits).
LogicalResult convertMirrorPad(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "paddings")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (failed(c.sameElementType({x.index, y.index})))
    return failure();
  auto *opts = c.options<tflite::MirrorPadOptions>();
  const bool symmetric =
      opts && opts->mode() == tflite::MirrorPadMode_SYMMETRIC;
  std::vector<int64_t> pads = c.g.intData(c.in(1));
  const int64_t rank = x.shape.size();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return c.error(c.in(1).index)
           << "paddings must have shape [" << rank << ", 2]";
  // REFLECT leaves out the border, so it mirrors at most extent - 1.
  const int64_t offset = symmetric ? 0 : 1;
  for (int64_t d = 0; d < rank; ++d)
    if (pads[2 * d] < 0 || pads[2 * d + 1] < 0 ||
        pads[2 * d] + offset > x.shape[d] ||
        pads[2 * d + 1] + offset > x.shape[d] ||
        x.shape[d] + pads[2 * d] + pads[2 * d + 1] != y.shape[d])
      return c.error(y.index) << "paddings of axis " << d
                              << " do not fit the input or the declared shape";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Value v = *input;
  for (int64_t d = 0; d < rank; ++d) {
    const int64_t before = pads[2 * d], after = pads[2 * d + 1];
    if (before == 0 && after == 0)
      continue;
    const int64_t extent = x.shape[d];
    // The rows mirrored before, the input's, the rows mirrored after.
    SmallVector<int64_t> rows;
    for (int64_t i = before; i > 0; --i)
      rows.push_back(i - 1 + offset);
    for (int64_t i = 0; i < extent; ++i)
      rows.push_back(i);
    for (int64_t i = 0; i < after; ++i)
      rows.push_back(extent - 1 - offset - i);
    v = c.g.gatherRows(c.loc, v, d, rows);
  }
  c.set(v);
  return success();
}

/// DYNAMIC_UPDATE_SLICE (operand, update, start indices): the update written
/// over the operand from the start, clamped into the operand as TFLM
/// clamps it. Constant starts only: the update is padded to the operand's
/// shape and selected by a constant mask.
LogicalResult convertDynamicUpdateSlice(Converter &c) {
  if (failed(c.requireInputs(3)))
    return failure();
  const TensorInfo &x = c.in(0), &update = c.in(1), &y = c.out();
  if (failed(c.sameElementType({x.index, update.index, y.index})))
    return failure();
  if (!c.in(2).isConstant)
    return c.error(c.in(2).index) << "start indices computed at run time are "
                                     "not supported yet";
  std::vector<int64_t> start = c.g.intData(c.in(2));
  const int64_t rank = x.shape.size();
  if (static_cast<int64_t>(start.size()) != rank ||
      static_cast<int64_t>(update.shape.size()) != rank || x.shape != y.shape)
    return c.error() << "operand, update and start indices must agree in rank";
  SmallVector<int64_t> padding;
  for (int64_t d = 0; d < rank; ++d) {
    if (update.shape[d] > x.shape[d])
      return c.error(update.index) << "the update is larger than the operand";
    start[d] = std::clamp<int64_t>(start[d], 0, x.shape[d] - update.shape[d]);
    padding.push_back(start[d]);
    padding.push_back(x.shape[d] - start[d] - update.shape[d]);
  }
  FailureOr<Value> operand = c.value(0), upd = c.value(1);
  if (failed(operand) || failed(upd))
    return failure();
  RankedTensorType type = c.outType();
  ImplicitLocOpBuilder ib(c.loc, c.b);
  Value padded = tosa::PadOp::create(
      c.b, c.loc, type, *upd, tosa::getTosaConstShape(ib, padding),
      c.g.zeroPoint(c.loc, type.getElementType(), 0));
  // The mask: true inside the updated box.
  std::vector<int8_t> mask(x.numElements(), 0);
  for (int64_t i = 0; i < x.numElements(); ++i) {
    int64_t rem = i;
    bool inside = true;
    for (int64_t d = rank - 1; d >= 0; --d) {
      const int64_t coord = rem % x.shape[d];
      rem /= x.shape[d];
      inside &= coord >= start[d] && coord < start[d] + update.shape[d];
    }
    mask[i] = inside;
  }
  auto maskType = type.clone(c.b.getI1Type());
  SmallVector<bool> bits(mask.begin(), mask.end());
  Value maskValue = tosa::ConstOp::create(
      c.b, c.loc, maskType, DenseElementsAttr::get(maskType, bits));
  c.set(tosa::SelectOp::create(c.b, c.loc, type, maskValue, padded, *operand));
  return success();
}

} // namespace

void ft::tflite_import::registerDataMovementConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_GATHER, convertGather);
  table.add(tflite::BuiltinOperator_GATHER_ND, convertGatherNd);
  table.add(tflite::BuiltinOperator_EMBEDDING_LOOKUP, convertEmbeddingLookup);
  table.add(tflite::BuiltinOperator_DEPTH_TO_SPACE, convertDepthSpace);
  table.add(tflite::BuiltinOperator_SPACE_TO_DEPTH, convertDepthSpace);
  table.add(tflite::BuiltinOperator_SPACE_TO_BATCH_ND, convertSpaceBatch);
  table.add(tflite::BuiltinOperator_BATCH_TO_SPACE_ND, convertSpaceBatch);
  table.add(tflite::BuiltinOperator_MIRROR_PAD, convertMirrorPad);
  table.add(tflite::BuiltinOperator_DYNAMIC_UPDATE_SLICE,
            convertDynamicUpdateSlice);
}
