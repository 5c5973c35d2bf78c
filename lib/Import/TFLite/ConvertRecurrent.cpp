//===- ConvertRecurrent.cpp - Recurrent and stateful operators -----------===//
//
// Recurrent and stateful operators keep state across invocations, which the
// importer does not model yet: each is refused by name.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;

static LogicalResult refuseStateful(Converter &c) {
  return c.error() << "operator " << builtinName(c.op.code)
                   << " is not supported: recurrent and stateful operators "
                      "are not (docs/Importer.md)";
}

void ft::tflite_import::registerRecurrentConverters(ConverterTable &table) {
  for (tflite::BuiltinOperator code :
       {tflite::BuiltinOperator_LSTM, tflite::BuiltinOperator_RNN,
        tflite::BuiltinOperator_SVDF,
        tflite::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_RNN,
        tflite::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM,
        tflite::BuiltinOperator_BIDIRECTIONAL_SEQUENCE_RNN,
        tflite::BuiltinOperator_BIDIRECTIONAL_SEQUENCE_LSTM})
    table.add(code, refuseStateful);
}
