//===- ConvertControlFlow.cpp - IF and WHILE -----------------------------===//
//
// TFLite's control flow calls other subgraphs: IF one of two branches on a
// bool, WHILE a condition and a body on its loop variables. They become
// tosa.cond_if and tosa.while_loop with each subgraph imported into a
// region (GraphImporter::importSubgraph); tosa-to-scf makes them scf.if and
// scf.while.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;

namespace {

/// A one-element bool (bytes) as the rank-0 i1 that TOSA's control flow
/// takes.
Value scalarCondition(Converter &c, Value bytes) {
  Value flag = c.toBool(bytes);
  return c.g.reshape(c.loc, flag, {});
}

/// A block of `region` whose arguments have the types of `values`.
Block *entryBlock(Converter &c, Region &region, ValueRange values) {
  Block *block = &region.emplaceBlock();
  for (Value v : values)
    block->addArgument(v.getType(), c.loc);
  return block;
}

/// The values of operands [first, end).
FailureOr<SmallVector<Value>> operandValues(Converter &c, unsigned first) {
  SmallVector<Value> values;
  for (unsigned i = first; i < c.op.inputs.size(); ++i) {
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    values.push_back(*v);
  }
  return values;
}

/// The results a subgraph gave must have the operator's output types.
LogicalResult checkResults(Converter &c, int subgraph, ValueRange results,
                           TypeRange expected) {
  if (results.size() != expected.size())
    return c.error() << "subgraph " << subgraph << " has " << results.size()
                     << " outputs, the operator " << expected.size();
  for (auto [i, pair] : llvm::enumerate(llvm::zip(results, expected)))
    if (std::get<0>(pair).getType() != std::get<1>(pair))
      return c.error() << "subgraph " << subgraph << ": output " << i << " is "
                       << std::get<0>(pair).getType() << ", the operator's "
                       << std::get<1>(pair);
  return success();
}

LogicalResult convertIf(Converter &c) {
  auto *opts = c.options<tflite::IfOptions>();
  if (!opts || !c.op.hasInput(0))
    return c.error() << "IF needs its options and a condition";
  if (c.in(0).numElements() != 1 || c.in(0).type != tflite::TensorType_BOOL)
    return c.error(c.in(0).index) << "IF's condition must be one bool";
  FailureOr<Value> cond = c.value(0);
  FailureOr<SmallVector<Value>> inputs = operandValues(c, 1);
  if (failed(cond) || failed(inputs))
    return failure();
  SmallVector<Type> resultTypes;
  for (unsigned i = 0; i < c.op.outputs.size(); ++i)
    resultTypes.push_back(c.outType(i));
  auto ifOp = tosa::IfOp::create(c.b, c.loc, resultTypes,
                                 scalarCondition(c, *cond), *inputs);
  for (auto [region, subgraph] :
       {std::pair<Region *, int>{&ifOp.getThenGraph(),
                                 opts->then_subgraph_index()},
        {&ifOp.getElseGraph(), opts->else_subgraph_index()}}) {
    Block *block = entryBlock(c, *region, *inputs);
    FailureOr<SmallVector<Value>> results = c.g.importSubgraph(subgraph, block);
    if (failed(results) ||
        failed(checkResults(c, subgraph, *results, resultTypes)))
      return failure();
    OpBuilder end = OpBuilder::atBlockEnd(block);
    tosa::YieldOp::create(end, c.loc, *results);
  }
  for (unsigned i = 0; i < resultTypes.size(); ++i)
    c.set(ifOp.getResult(i), i);
  return success();
}

LogicalResult convertWhile(Converter &c) {
  auto *opts = c.options<tflite::WhileOptions>();
  if (!opts)
    return c.error() << "WHILE needs its options";
  FailureOr<SmallVector<Value>> inputs = operandValues(c, 0);
  if (failed(inputs))
    return failure();
  SmallVector<Type> types;
  for (Value v : *inputs)
    types.push_back(v.getType());
  if (c.op.outputs.size() != types.size())
    return c.error() << "WHILE has " << c.op.outputs.size() << " outputs for "
                     << types.size() << " loop variables";
  for (unsigned i = 0; i < types.size(); ++i)
    if (c.outType(i) != types[i])
      return c.error(c.out(i).index)
             << "WHILE's outputs have its loop variables' types";
  auto whileOp = tosa::WhileOp::create(c.b, c.loc, types, *inputs);
  // The condition: one bool.
  const int condIndex = opts->cond_subgraph_index();
  Block *condBlock = entryBlock(c, whileOp.getCondGraph(), *inputs);
  FailureOr<SmallVector<Value>> cond = c.g.importSubgraph(condIndex, condBlock);
  if (failed(cond))
    return failure();
  if (cond->size() != 1 ||
      cast<RankedTensorType>(cond->front().getType()).getNumElements() != 1)
    return c.error() << "subgraph " << condIndex
                     << " (WHILE's condition) must give one bool";
  {
    OpBuilder::InsertionGuard guard(c.b);
    c.b.setInsertionPointToEnd(condBlock);
    tosa::YieldOp::create(c.b, c.loc, scalarCondition(c, cond->front()));
  }
  // The body: the next loop variables, written over the current ones
  // (one-shot bufferization needs each equivalent to its block argument).
  const int bodyIndex = opts->body_subgraph_index();
  Block *bodyBlock = entryBlock(c, whileOp.getBodyGraph(), *inputs);
  FailureOr<SmallVector<Value>> next = c.g.importSubgraph(bodyIndex, bodyBlock);
  if (failed(next) || failed(checkResults(c, bodyIndex, *next, types)))
    return failure();
  {
    OpBuilder::InsertionGuard guard(c.b);
    c.b.setInsertionPointToEnd(bodyBlock);
    SmallVector<Value> inPlace;
    for (auto [value, arg] : llvm::zip(*next, bodyBlock->getArguments()))
      inPlace.push_back(bufferization::MaterializeInDestinationOp::create(
                            c.b, c.loc, value.getType(), value, arg)
                            .getResult());
    tosa::YieldOp::create(c.b, c.loc, inPlace);
  }
  for (unsigned i = 0; i < types.size(); ++i)
    c.set(whileOp.getResult(i), i);
  return success();
}

} // namespace

void ft::tflite_import::registerControlFlowConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_IF, convertIf);
  table.add(tflite::BuiltinOperator_WHILE, convertWhile);
}
