//===- TFLiteModelBuilder.h - Build TFLite files for tests ------*- C++ -*-===//
//
// The one way the project writes TFLite flatbuffers: ft-tflite-gen's
// generated models and the unit tests' single-operator models are built on
// it. It uses the flatbuffers object API of the importer's schema subset.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_TESTING_TFLITEMODELBUILDER_H
#define FUSEDTILING_TESTING_TFLITEMODELBUILDER_H

#include "tflite_subset_generated.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ft::testing {

class TFLiteModelBuilder {
public:
  explicit TFLiteModelBuilder(const std::string &description = "");

  /// Adds a tensor and returns its index. Non-empty `data` makes it a
  /// constant (a buffer of its own); empty `scales` leaves it unquantized;
  /// zero points default to 0.
  int tensor(const std::string &name, std::vector<int32_t> shape,
             tflite::TensorType type, std::vector<float> scales = {},
             std::vector<int64_t> zeroPoints = {},
             std::vector<uint8_t> data = {}, int quantizedDimension = 0);

  /// A constant int32 tensor.
  int int32Const(const std::string &name, std::vector<int32_t> shape,
                 const std::vector<int32_t> &values);

  /// The index of the operator code (added once per builtin/custom code).
  int opcode(tflite::BuiltinOperator code, const std::string &custom = "");

  /// Adds an operator; set its options on the result.
  tflite::OperatorT &op(tflite::BuiltinOperator code,
                        std::vector<int32_t> inputs,
                        std::vector<int32_t> outputs);

  /// The model's bytes, with the graph inputs and outputs set.
  std::vector<uint8_t> finish(std::vector<int32_t> graphInputs,
                              std::vector<int32_t> graphOutputs);
  /// The model's bytes as they stand.
  std::vector<uint8_t> finish();

  static std::vector<uint8_t> int32Bytes(const std::vector<int32_t> &values);

  tflite::ModelT model;
  tflite::SubGraphT *sg;
};

} // namespace ft::testing

#endif // FUSEDTILING_TESTING_TFLITEMODELBUILDER_H
