//===- ConvertShapes.cpp - Shapes, reshapes, slices, pads, concatenation --===//
//
// Operators that move bytes without arithmetic, or only compute shapes:
// reshape, transpose, pad, concatenation, strided and plain slices, split,
// pack, unpack, reverse, and SHAPE, BROADCAST_ARGS, BROADCAST_TO, FILL,
// ZEROS_LIKE, EXPAND_DIMS (shapes folded into constants at import).
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

LogicalResult convertReshape(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (x.numElements() != y.numElements())
    return c.error(y.index) << "reshape from " << x.numElements() << " to "
                            << y.numElements() << " elements";
  if (x.type != y.type)
    return c.error(y.index) << "reshape changes the element type";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  c.set(c.g.reshape(c.loc, *input, y.shape));
  return success();
}

LogicalResult convertTranspose(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "permutation")))
    return failure();
  std::vector<int64_t> perm = c.g.intData(c.in(1));
  const int64_t rank = c.in(0).shape.size();
  if (static_cast<int64_t>(perm.size()) != rank)
    return c.error(c.in(1).index)
           << "permutation has " << perm.size() << " entries for rank " << rank;
  SmallVector<int32_t> perms;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank)
      return c.error(c.in(1).index)
             << "permutation entry " << p << " is out of range";
    perms.push_back(static_cast<int32_t>(p));
  }
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  c.set(tosa::TransposeOp::create(c.b, c.loc, c.outType(), *input, perms));
  return success();
}

LogicalResult convertPad(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "paddings")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized = c.sameElementType({x.index, y.index});
  if (failed(quantized))
    return failure();
  std::vector<int64_t> pads = c.g.intData(c.in(1));
  const size_t rank = x.shape.size();
  if (pads.size() != 2 * rank)
    return c.error(c.in(1).index)
           << "paddings must have shape [" << rank << ", 2]";
  for (size_t i = 0; i < rank; ++i)
    if (pads[2 * i] < 0 || pads[2 * i + 1] < 0 ||
        x.shape[i] + pads[2 * i] + pads[2 * i + 1] != y.shape[i])
      return c.error(y.index) << "paddings do not produce the declared shape";
  if (*quantized && (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint()))
    return c.error(y.index) << "quantized PAD needs equal input and output "
                               "quantization";
  const bool hasPadValue =
      c.op.code == tflite::BuiltinOperator_PADV2 && c.op.hasInput(2);
  if (hasPadValue && (failed(c.requireConstant(2, "pad value")) ||
                      c.in(2).type != x.type || c.in(2).numElements() != 1))
    return c.error(c.in(2).index)
           << "the pad value is one element of the input's type";
  Type elemType = c.outType().getElementType();
  Value padConst;
  if (x.isFloat()) {
    const float padValue = hasPadValue ? c.g.floatData(c.in(2)).front() : 0.0f;
    padConst = c.g.constant(c.loc, {1}, elemType, ArrayRef<float>{padValue});
  } else {
    // The zero point (0 unquantized), or PADV2's value as stored.
    int64_t padValue = *quantized ? y.zeroPoint() : 0;
    if (hasPadValue)
      padValue = x.type == tflite::TensorType_INT8 ||
                         x.type == tflite::TensorType_UINT8
                     ? c.g.int8Data(c.in(2)).front()
                     : c.g.intData(c.in(2)).front();
    auto padType = RankedTensorType::get({1}, elemType);
    padConst = tosa::ConstOp::create(
        c.b, c.loc, padType,
        DenseElementsAttr::get(padType, APInt(elemType.getIntOrFloatBitWidth(),
                                              static_cast<uint64_t>(padValue),
                                              /*isSigned=*/true)));
  }
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  ImplicitLocOpBuilder ib(c.loc, c.b);
  Value padding = tosa::getTosaConstShape(ib, pads);
  c.set(
      tosa::PadOp::create(c.b, c.loc, c.outType(), *input, padding, padConst));
  return success();
}

LogicalResult convertConcatenation(Converter &c) {
  auto *opts = c.options<tflite::ConcatenationOptions>();
  const TensorInfo &y = c.out();
  const int64_t rank = y.shape.size();
  int64_t axis = opts ? opts->axis() : 0;
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return c.error() << "axis " << (opts ? opts->axis() : 0)
                     << " is out of range for rank " << rank;
  SmallVector<int> indices(c.op.inputs.begin(), c.op.inputs.end());
  indices.push_back(y.index);
  FailureOr<bool> quantized = c.sameElementType(indices);
  if (failed(quantized))
    return failure();
  // int16 (16x8): TFLM copies the values, which needs one quantization.
  const bool is16 = y.isQuantized16();
  if (*quantized)
    for (unsigned i = 0; i < c.op.inputs.size(); ++i)
      if (c.in(i).isQuantized16() != is16 ||
          (is16 && (c.in(i).scale() != y.scale() ||
                    c.in(i).zeroPoint() != y.zeroPoint())))
        return c.error(c.in(i).index)
               << "int16 CONCATENATION needs every input quantized as the "
                  "output (TFLM copies the values)";
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < c.op.inputs.size(); ++i) {
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    const TensorInfo &x = c.in(i);
    Value input = *v;
    if (*quantized &&
        (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint())) {
      // TFLite's ConcatenationWithScaling requantizes in float, in the
      // tensor's own (signed or unsigned) domain: a table reproduces it.
      const bool isUnsigned = y.isUnsigned8();
      const float ratio = static_cast<float>(x.scale()) *
                          (1.0f / static_cast<float>(y.scale()));
      const int offset = isUnsigned ? 128 : 0;
      const float zpIn = static_cast<float>(x.zeroPoint() + offset);
      const int32_t zpOut = static_cast<int32_t>(y.zeroPoint() + offset);
      const float bias = -zpIn * ratio;
      input = c.g.table8(c.loc, input, [&](int8_t v8) {
        const float value = static_cast<float>(v8 + offset);
        const int64_t q = std::clamp<int64_t>(
            int64_t(tflm::saturatingRound(value * ratio + bias)) + zpOut,
            isUnsigned ? 0 : -128, isUnsigned ? 255 : 127);
        return static_cast<int8_t>(q - offset);
      });
    }
    inputs.push_back(input);
  }
  Value concat = tosa::ConcatOp::create(c.b, c.loc, c.outType(), inputs,
                                        c.b.getI32IntegerAttr(axis));
  tflite::ActivationFunctionType act =
      opts ? opts->fused_activation_function()
           : tflite::ActivationFunctionType_NONE;
  return setActivated(c, concat, act, *quantized);
}

/// One axis of a strided slice after TFLite's start/stop rules, in the
/// (possibly reversed) axis so that the step is positive.
struct SliceAxis {
  int64_t start = 0, count = 0, step = 1;
  bool reversed = false;
};

SliceAxis resolveSliceAxis(int64_t dim, int64_t begin, int64_t end,
                           int64_t stride, bool beginMasked, bool endMasked,
                           bool shrink, bool offset) {
  // TFLite's StartForAxis / StopForAxis.
  int64_t first = beginMasked ? (stride > 0 ? 0 : dim - 1)
                              : (begin < 0 ? begin + dim : begin);
  first = stride > 0 ? std::clamp<int64_t>(first, 0, dim)
                     : std::clamp<int64_t>(first, -1, dim - 1);
  int64_t stop;
  if (shrink)
    stop = first + (stride > 0 ? 1 : -1);
  else if (endMasked)
    stop = stride > 0 ? dim : -1;
  else if (offset)
    stop = first + end;
  else
    stop = end < 0 ? end + dim : end;
  stop = stride > 0 ? std::clamp<int64_t>(stop, 0, dim)
                    : std::clamp<int64_t>(stop, -1, dim - 1);
  SliceAxis axis;
  axis.step = std::abs(stride);
  axis.reversed = stride < 0;
  const int64_t span = stride > 0 ? stop - first : first - stop;
  axis.count = span > 0 ? (span + axis.step - 1) / axis.step : 0;
  axis.start = axis.reversed ? dim - 1 - first : first;
  return axis;
}

/// A small constant int32/int64 tensor without quantization: shape
/// arithmetic (what SHAPE produces), which the importer folds.
bool isShapeConstant(const TensorInfo &t) {
  constexpr int64_t kMaxFoldedElements = 64;
  return t.isConstant && t.scales.empty() &&
         (t.type == tflite::TensorType_INT32 ||
          t.type == tflite::TensorType_INT64) &&
         t.numElements() <= kMaxFoldedElements;
}

/// Row-major strides of a shape.
SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Calls `fn` with every index of `shape`, in row-major order.
void forEachIndex(ArrayRef<int64_t> shape,
                  llvm::function_ref<void(ArrayRef<int64_t>)> fn) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t n = 0; n < count; ++n) {
    fn(index);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

LogicalResult convertStridedSlice(Converter &c) {
  if (failed(c.requireInputs(4)))
    return failure();
  for (unsigned i = 1; i < 4; ++i)
    if (failed(c.requireConstant(i, "slice parameter")))
      return failure();
  auto *opts = c.options<tflite::StridedSliceOptions>();
  const TensorInfo &x = c.in(0);
  const int64_t rank = x.shape.size();
  std::vector<int64_t> begin = c.g.intData(c.in(1)), end = c.g.intData(c.in(2)),
                       strides = c.g.intData(c.in(3));
  if (static_cast<int64_t>(begin.size()) != rank ||
      end.size() != begin.size() || strides.size() != begin.size())
    return c.error() << "begin, end and strides must have " << rank
                     << " entries";
  if (opts && (opts->ellipsis_mask() || opts->new_axis_mask()))
    return c.error() << "ellipsis and new-axis masks are not supported";
  const int beginMask = opts ? opts->begin_mask() : 0;
  const int endMask = opts ? opts->end_mask() : 0;
  const int shrinkMask = opts ? opts->shrink_axis_mask() : 0;
  const bool offset = opts && opts->offset();
  SmallVector<SliceAxis> axes;
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (strides[d] == 0)
      return c.error(c.in(3).index) << "stride on axis " << d << " is zero";
    axes.push_back(resolveSliceAxis(x.shape[d], begin[d], end[d], strides[d],
                                    beginMask & (1 << d), endMask & (1 << d),
                                    shrinkMask & (1 << d), offset));
    count *= axes.back().count;
  }
  if (count != c.out().numElements())
    return c.error(c.out().index)
           << "slice has " << count << " elements, the output declares "
           << c.out().numElements();
  if (count == 0)
    return c.error(c.out().index) << "empty slices are not supported";
  if (isShapeConstant(x) && c.out().type == x.type) {
    // Shape arithmetic (a slice of SHAPE's result): folded.
    const std::vector<int64_t> data = c.g.intData(x);
    const SmallVector<int64_t> strides = rowMajorStrides(x.shape);
    SmallVector<int64_t> counts;
    for (const SliceAxis &a : axes)
      counts.push_back(a.count);
    std::vector<int64_t> folded;
    forEachIndex(counts, [&](ArrayRef<int64_t> index) {
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d) {
        const int64_t walked = axes[d].start + index[d] * axes[d].step;
        offset +=
            (axes[d].reversed ? x.shape[d] - 1 - walked : walked) * strides[d];
      }
      folded.push_back(data[offset]);
    });
    c.g.foldConstant(c.out().index, folded);
    return success();
  }
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Type elemType = c.outType().getElementType();
  ImplicitLocOpBuilder ib(c.loc, c.b);
  Value v = *input;
  // Negative strides walk a reversed axis forwards.
  for (int64_t d = 0; d < rank; ++d)
    if (axes[d].reversed)
      v = tosa::ReverseOp::create(c.b, c.loc, v.getType(), v,
                                  c.b.getI32IntegerAttr(d));
  // One slice covering every selected element.
  SmallVector<int64_t> start, size;
  for (const SliceAxis &a : axes) {
    start.push_back(a.start);
    size.push_back((a.count - 1) * a.step + 1);
  }
  v = c.g.slice(c.loc, v, start, size);
  // Each strided axis: pad to count * step, split into [count, step] and
  // keep column 0.
  for (int64_t d = 0; d < rank; ++d) {
    const SliceAxis &a = axes[d];
    if (a.step == 1 || a.count == 1)
      continue;
    SmallVector<int64_t> shape(cast<RankedTensorType>(v.getType()).getShape());
    const int64_t padded = a.count * a.step;
    if (padded != shape[d]) {
      SmallVector<int64_t> pads(2 * rank, 0);
      pads[2 * d + 1] = padded - shape[d];
      shape[d] = padded;
      Value padConst = c.g.zeroPoint(c.loc, elemType, 0);
      v = tosa::PadOp::create(c.b, c.loc,
                              RankedTensorType::get(shape, elemType), v,
                              tosa::getTosaConstShape(ib, pads), padConst);
    }
    SmallVector<int64_t> split(shape.begin(), shape.begin() + d);
    split.push_back(a.count);
    split.push_back(a.step);
    split.append(shape.begin() + d + 1, shape.end());
    v = c.g.reshape(c.loc, v, split);
    SmallVector<int64_t> zeros(split.size(), 0), kept(split);
    kept[d + 1] = 1;
    v = c.g.slice(c.loc, v, zeros, kept);
    shape[d] = a.count;
    v = c.g.reshape(c.loc, v, shape);
  }
  c.set(c.g.reshape(c.loc, v, c.out().shape));
  return success();
}

/// SPLIT (axis, data) and SPLIT_V (data, sizes, axis): consecutive slices
/// along the axis, each output's extent its declared shape's.
LogicalResult convertSplit(Converter &c, bool withSizes) {
  const unsigned dataIndex = withSizes ? 0 : 1, axisIndex = withSizes ? 2 : 0;
  if (failed(c.requireInputs(withSizes ? 3 : 2)))
    return failure();
  const TensorInfo &x = c.in(dataIndex);
  const int64_t rank = x.shape.size();
  FailureOr<int64_t> axis = constantAxis(c, axisIndex, rank);
  if (failed(axis))
    return failure();
  SmallVector<int> tensors = {x.index};
  for (int output : c.op.outputs)
    tensors.push_back(output);
  if (failed(c.sameElementType(tensors)))
    return failure();
  int64_t total = 0;
  for (unsigned k = 0; k < c.op.outputs.size(); ++k) {
    const TensorInfo &y = c.out(k);
    if (static_cast<int64_t>(y.shape.size()) != rank || y.type != x.type)
      return c.error(y.index) << "a split's outputs have the input's rank and "
                                 "element type";
    for (int64_t d = 0; d < rank; ++d)
      if (d != *axis && y.shape[d] != x.shape[d])
        return c.error(y.index) << "dimension " << d << " is " << y.shape[d]
                                << ", the input's is " << x.shape[d];
    total += y.shape[*axis];
  }
  if (total != x.shape[*axis])
    return c.error() << "the outputs take " << total << " of axis " << *axis
                     << "'s " << x.shape[*axis] << " elements";
  FailureOr<Value> input = c.value(dataIndex);
  if (failed(input))
    return failure();
  SmallVector<int64_t> start(rank, 0);
  for (unsigned k = 0; k < c.op.outputs.size(); ++k) {
    c.set(c.g.slice(c.loc, *input, start, c.out(k).shape), k);
    start[*axis] += c.out(k).shape[*axis];
  }
  return success();
}

/// PACK: the inputs stacked along a new axis.
LogicalResult convertPack(Converter &c) {
  auto *opts = c.options<tflite::PackOptions>();
  const TensorInfo &y = c.out();
  const int64_t rank = y.shape.size();
  FailureOr<int64_t> axis = resolveAxis(c, opts ? opts->axis() : 0, rank);
  if (failed(axis))
    return failure();
  SmallVector<int> tensors(c.op.inputs.begin(), c.op.inputs.end());
  tensors.push_back(y.index);
  if (failed(c.sameElementType(tensors)))
    return failure();
  if (y.shape[*axis] != static_cast<int64_t>(c.op.inputs.size()))
    return c.error(y.index)
           << "axis " << *axis << " has " << y.shape[*axis] << " elements for "
           << c.op.inputs.size() << " inputs";
  SmallVector<int64_t> stacked(y.shape.begin(), y.shape.end());
  stacked[*axis] = 1;
  if (llvm::all_of(
          c.op.inputs,
          [&](int i) { return i >= 0 && isShapeConstant(c.g.tensor(i)); }) &&
      y.numElements() ==
          static_cast<int64_t>(c.op.inputs.size()) * c.in(0).numElements()) {
    // Shape arithmetic (a shape assembled from SHAPE's pieces): folded.
    std::vector<std::vector<int64_t>> data;
    for (unsigned i = 0; i < c.op.inputs.size(); ++i)
      data.push_back(c.g.intData(c.in(i)));
    const SmallVector<int64_t> strides = rowMajorStrides(stacked);
    std::vector<int64_t> folded;
    forEachIndex(y.shape, [&](ArrayRef<int64_t> index) {
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d)
        if (d != *axis)
          offset += index[d] * strides[d];
      folded.push_back(data[index[*axis]][offset]);
    });
    c.g.foldConstant(y.index, folded);
    return success();
  }
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < c.op.inputs.size(); ++i) {
    const TensorInfo &x = c.in(i);
    SmallVector<int64_t> expected(stacked);
    expected.erase(expected.begin() + *axis);
    if (ArrayRef<int64_t>(x.shape) != ArrayRef<int64_t>(expected) ||
        x.type != y.type)
      return c.error(x.index) << "a packed input has the output's shape "
                                 "without the axis and its element type";
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    inputs.push_back(c.g.reshape(c.loc, *v, stacked));
  }
  c.set(tosa::ConcatOp::create(c.b, c.loc, c.outType(), inputs,
                               c.b.getI32IntegerAttr(*axis)));
  return success();
}

/// UNPACK: one output per element of the axis, the axis dropped.
LogicalResult convertUnpack(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  auto *opts = c.options<tflite::UnpackOptions>();
  const TensorInfo &x = c.in(0);
  const int64_t rank = x.shape.size();
  FailureOr<int64_t> axis = resolveAxis(c, opts ? opts->axis() : 0, rank);
  if (failed(axis))
    return failure();
  SmallVector<int> tensors = {x.index};
  for (int output : c.op.outputs)
    tensors.push_back(output);
  if (failed(c.sameElementType(tensors)))
    return failure();
  if (x.shape[*axis] != static_cast<int64_t>(c.op.outputs.size()))
    return c.error(x.index)
           << "axis " << *axis << " has " << x.shape[*axis] << " elements for "
           << c.op.outputs.size() << " outputs";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  SmallVector<int64_t> start(rank, 0), size(x.shape.begin(), x.shape.end());
  size[*axis] = 1;
  for (unsigned k = 0; k < c.op.outputs.size(); ++k) {
    const TensorInfo &y = c.out(k);
    if (y.numElements() * x.shape[*axis] != x.numElements() || y.type != x.type)
      return c.error(y.index) << "an unpacked output has the input's shape "
                                 "without the axis and its element type";
    start[*axis] = k;
    c.set(c.g.reshape(c.loc, c.g.slice(c.loc, *input, start, size), y.shape),
          k);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Shapes computed at import time, broadcasting, slices, reversal
//===----------------------------------------------------------------------===//

/// A shape operand (BROADCAST_TO's, FILL's, BROADCAST_ARGS'): constant in
/// the file or folded by the importer (SHAPE, BROADCAST_ARGS).
FailureOr<std::vector<int64_t>> constantShape(Converter &c, unsigned i) {
  const TensorInfo &t = c.in(i);
  if (!t.isConstant || (t.type != tflite::TensorType_INT32 &&
                        t.type != tflite::TensorType_INT64))
    return c.error(t.index) << "a shape operand must be a constant int32 or "
                               "int64 tensor (or one the importer folds, "
                               "such as SHAPE's)";
  return c.g.intData(t);
}

/// SHAPE: the input's static shape, folded into a constant.
LogicalResult convertShape(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if ((y.type != tflite::TensorType_INT32 &&
       y.type != tflite::TensorType_INT64) ||
      y.numElements() != static_cast<int64_t>(x.shape.size()))
    return c.error(y.index)
           << "SHAPE produces " << x.shape.size() << " int32 or int64 values";
  c.g.foldConstant(y.index, x.shape);
  return success();
}

/// BROADCAST_ARGS: the numpy broadcast of two constant shapes, folded.
LogicalResult convertBroadcastArgs(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  FailureOr<std::vector<int64_t>> a = constantShape(c, 0),
                                  b = constantShape(c, 1);
  if (failed(a) || failed(b))
    return failure();
  const size_t rank = std::max(a->size(), b->size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i + a->size() >= rank ? (*a)[i + a->size() - rank] : 1;
    const int64_t db = i + b->size() >= rank ? (*b)[i + b->size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      return c.error() << "shapes do not broadcast (" << da << " against " << db
                       << ")";
    out[i] = da == 1 ? db : da;
  }
  const TensorInfo &y = c.out();
  if (y.numElements() != static_cast<int64_t>(rank) ||
      (y.type != tflite::TensorType_INT32 &&
       y.type != tflite::TensorType_INT64))
    return c.error(y.index)
           << "BROADCAST_ARGS produces " << rank << " int32 or int64 values";
  c.g.foldConstant(y.index, out);
  return success();
}

/// BROADCAST_TO (input, constant shape) and FILL (constant shape, one
/// value): the value operand broadcast to the shape, which the output
/// declares; values copied, type kept.
LogicalResult convertBroadcastTo(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const bool isFill = c.op.code == tflite::BuiltinOperator_FILL;
  const unsigned valueIndex = isFill ? 1 : 0, shapeIndex = isFill ? 0 : 1;
  const TensorInfo &x = c.in(valueIndex), &y = c.out();
  FailureOr<std::vector<int64_t>> shape = constantShape(c, shapeIndex);
  if (failed(shape) || failed(c.sameElementType({x.index, y.index})))
    return failure();
  if (ArrayRef<int64_t>(*shape) != ArrayRef<int64_t>(y.shape))
    return c.error(y.index) << "the shape operand and the declared shape "
                               "differ";
  if (isFill && x.numElements() != 1)
    return c.error(x.index) << "FILL broadcasts one value";
  FailureOr<Value> input = c.value(valueIndex);
  if (failed(input))
    return failure();
  FailureOr<Value> r =
      broadcastTo(c, isFill ? c.g.reshape(c.loc, *input, {}) : *input, y.shape);
  if (failed(r))
    return failure();
  c.set(*r);
  return success();
}

/// ZEROS_LIKE: zeros of the input's shape and type (TFLM writes 0, not the
/// zero point).
LogicalResult convertZerosLike(Converter &c) {
  if (failed(c.requireInputs(1)) ||
      failed(c.sameElementType({c.in(0).index, c.out().index})))
    return failure();
  RankedTensorType type = c.outType();
  Type elemType = type.getElementType();
  Attribute zero = isa<FloatType>(elemType)
                       ? Attribute(c.b.getFloatAttr(elemType, 0.0))
                       : Attribute(c.b.getIntegerAttr(elemType, 0));
  if (c.in(0).isUnsigned8()) // 0 in the int8 domain of a uint8 tensor
    zero = c.b.getIntegerAttr(elemType, -128);
  c.set(tosa::ConstOp::create(c.b, c.loc, type,
                              DenseElementsAttr::get(type, zero)));
  return success();
}

/// EXPAND_DIMS (input, axis): a reshape to the declared shape, checked.
LogicalResult convertExpandDims(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<int64_t> axis = constantAxis(c, 1, x.shape.size() + 1);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(x.shape.begin(), x.shape.end());
  shape.insert(shape.begin() + *axis, 1);
  if (shape != ArrayRef<int64_t>(y.shape) || x.type != y.type)
    return c.error(y.index) << "EXPAND_DIMS inserts a dimension of 1 at axis "
                            << *axis << ", keeping the type";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  c.set(c.g.reshape(c.loc, *input, y.shape));
  return success();
}

/// SLICE (input, constant begin, constant size; a size of -1 takes the
/// rest of the axis).
LogicalResult convertSlice(Converter &c) {
  if (failed(c.requireInputs(3)) || failed(c.requireConstant(1, "begin")) ||
      failed(c.requireConstant(2, "size")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (failed(c.sameElementType({x.index, y.index})))
    return failure();
  std::vector<int64_t> begin = c.g.intData(c.in(1)),
                       size = c.g.intData(c.in(2));
  const size_t rank = x.shape.size();
  if (begin.size() != rank || size.size() != rank)
    return c.error() << "begin and size must have " << rank << " entries";
  for (size_t d = 0; d < rank; ++d) {
    if (size[d] == -1)
      size[d] = x.shape[d] - begin[d];
    if (begin[d] < 0 || size[d] < 0 || begin[d] + size[d] > x.shape[d])
      return c.error() << "slice [" << begin[d] << ", +" << size[d]
                       << ") leaves axis " << d << " of " << x.shape[d];
  }
  if (ArrayRef<int64_t>(size) != ArrayRef<int64_t>(y.shape))
    return c.error(y.index) << "the slice's size and the declared shape "
                               "differ";
  if (y.numElements() == 0)
    return c.error(y.index) << "empty slices are not supported";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  c.set(c.g.slice(c.loc, *input, begin, size));
  return success();
}

/// REVERSE_V2 (input, constant axes).
LogicalResult convertReverse(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "axes")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (failed(c.sameElementType({x.index, y.index})))
    return failure();
  if (x.shape != y.shape)
    return c.error(y.index) << "REVERSE_V2 keeps the shape";
  FailureOr<SmallVector<int64_t>> axes =
      resolveAxes(c, c.in(1), x.shape.size());
  if (failed(axes))
    return failure();
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Value v = *input;
  for (int64_t axis : *axes)
    v = tosa::ReverseOp::create(c.b, c.loc, v.getType(), v,
                                c.b.getI32IntegerAttr(axis));
  c.set(v);
  return success();
}

} // namespace

void ft::tflite_import::registerShapeConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_RESHAPE, convertReshape);
  table.add(tflite::BuiltinOperator_SQUEEZE, convertReshape);
  table.add(tflite::BuiltinOperator_TRANSPOSE, convertTranspose);
  table.add(tflite::BuiltinOperator_PAD, convertPad);
  table.add(tflite::BuiltinOperator_PADV2, convertPad);
  table.add(tflite::BuiltinOperator_CONCATENATION, convertConcatenation);
  table.add(tflite::BuiltinOperator_STRIDED_SLICE, convertStridedSlice);
  table.add(tflite::BuiltinOperator_SPLIT,
            [](Converter &c) { return convertSplit(c, /*withSizes=*/false); });
  table.add(tflite::BuiltinOperator_SPLIT_V,
            [](Converter &c) { return convertSplit(c, /*withSizes=*/true); });
  table.add(tflite::BuiltinOperator_PACK, convertPack);
  table.add(tflite::BuiltinOperator_UNPACK, convertUnpack);
  table.add(tflite::BuiltinOperator_SHAPE, convertShape);
  table.add(tflite::BuiltinOperator_BROADCAST_ARGS, convertBroadcastArgs);
  table.add(tflite::BuiltinOperator_BROADCAST_TO, convertBroadcastTo);
  table.add(tflite::BuiltinOperator_FILL, convertBroadcastTo);
  table.add(tflite::BuiltinOperator_ZEROS_LIKE, convertZerosLike);
  table.add(tflite::BuiltinOperator_EXPAND_DIMS, convertExpandDims);
  table.add(tflite::BuiltinOperator_SLICE, convertSlice);
  table.add(tflite::BuiltinOperator_REVERSE_V2, convertReverse);
}
