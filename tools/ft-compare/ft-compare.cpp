//===- ft-compare.cpp - Compare raw tensors with a reference --------------===//
//
//   ft-compare --type=int8 got.bin expected.bin
//   ft-compare --type=float32 --atol=1e-5 --rtol=1e-4 got.bin expected.bin
//   ft-compare --golden-tensors=golden/kws/tensors.1/tensors.json DIR
//
// The last form walks TFLM's per-tensor dump in execution order, compares
// every tensor that DIR holds (t<index>.bin, as ft-run --output-dir writes
// them) and names the first operator whose output differs. Integer tensors
// must match exactly; float tensors within atol * max(1, max|ref|) +
// rtol * |ref|.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace cl = llvm::cl;

static cl::OptionCategory category("ft-compare options");
static cl::list<std::string> positional(cl::Positional,
                                        cl::desc("<got> <expected> | <dir>"),
                                        cl::cat(category));
static cl::opt<std::string>
    typeName("type",
             cl::desc("int8, uint8, int16, int32, int64, bool, float32"),
             cl::init("int8"), cl::cat(category));
static cl::opt<double> absTol("atol", cl::desc("Absolute tolerance (float32)"),
                              cl::init(1e-5), cl::cat(category));
static cl::opt<double> relTol("rtol", cl::desc("Relative tolerance (float32)"),
                              cl::init(1e-4), cl::cat(category));
static cl::opt<std::string>
    goldenTensors("golden-tensors",
                  cl::desc("tensors.json of a TFLM per-tensor dump"),
                  cl::cat(category));

namespace {
struct Mismatch {
  size_t count = 0;
  size_t first = 0;
  double got = 0, expected = 0;
};

std::optional<std::vector<char>> readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer) {
    llvm::errs() << "ft-compare: cannot read " << path << ": "
                 << buffer.getError().message() << "\n";
    return std::nullopt;
  }
  return std::vector<char>((*buffer)->getBufferStart(),
                           (*buffer)->getBufferEnd());
}

template <typename T>
Mismatch compareAs(const std::vector<char> &got,
                   const std::vector<char> &expected, bool isFloat) {
  const size_t n = expected.size() / sizeof(T);
  std::vector<T> g(n), e(n);
  std::memcpy(g.data(), got.data(), n * sizeof(T));
  std::memcpy(e.data(), expected.data(), n * sizeof(T));
  double maxAbs = 1.0;
  for (T v : e)
    maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(v)));
  Mismatch m;
  for (size_t i = 0; i < n; ++i) {
    const double gv = static_cast<double>(g[i]);
    const double ev = static_cast<double>(e[i]);
    const bool ok =
        isFloat ? std::fabs(gv - ev) <= absTol * maxAbs + relTol * std::fabs(ev)
                : gv == ev;
    if (!ok && m.count++ == 0) {
      m.first = i;
      m.got = gv;
      m.expected = ev;
    }
  }
  return m;
}

/// Returns true when equal; prints what differs otherwise.
bool compare(const std::string &type, const std::vector<char> &got,
             const std::vector<char> &expected, llvm::StringRef what) {
  if (got.size() != expected.size()) {
    llvm::outs() << what << ": size " << got.size() << " bytes, expected "
                 << expected.size() << "\n";
    return false;
  }
  Mismatch m;
  if (type == "int8")
    m = compareAs<int8_t>(got, expected, false);
  else if (type == "uint8" || type == "bool")
    m = compareAs<uint8_t>(got, expected, false);
  else if (type == "int16")
    m = compareAs<int16_t>(got, expected, false);
  else if (type == "int32")
    m = compareAs<int32_t>(got, expected, false);
  else if (type == "int64")
    m = compareAs<int64_t>(got, expected, false);
  else if (type == "float32")
    m = compareAs<float>(got, expected, true);
  else {
    llvm::errs() << "ft-compare: unknown type '" << type << "'\n";
    return false;
  }
  if (m.count == 0)
    return true;
  llvm::outs() << what << ": " << m.count << " of " << expected.size()
               << " bytes' elements differ; first at " << m.first << ": got "
               << m.got << ", expected " << m.expected << "\n";
  return false;
}

int compareDump(const std::string &dir) {
  auto text = readFile(goldenTensors);
  if (!text)
    return 2;
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse(llvm::StringRef(text->data(), text->size()));
  if (!json) {
    llvm::errs() << "ft-compare: " << goldenTensors << ": "
                 << llvm::toString(json.takeError()) << "\n";
    return 2;
  }
  const llvm::json::Array *tensors =
      json->getAsObject() ? json->getAsObject()->getArray("tensors") : nullptr;
  if (!tensors) {
    llvm::errs() << "ft-compare: " << goldenTensors << " has no 'tensors'\n";
    return 2;
  }
  llvm::SmallString<256> goldenDir(goldenTensors);
  llvm::sys::path::remove_filename(goldenDir);
  unsigned compared = 0, differing = 0;
  for (const llvm::json::Value &entry : *tensors) {
    const llvm::json::Object *t = entry.getAsObject();
    if (!t)
      continue;
    auto index = t->getInteger("index");
    auto type = t->getString("type");
    auto fileName = t->getString("file");
    if (!index || !type || !fileName)
      continue;
    llvm::SmallString<256> ours(dir);
    llvm::sys::path::append(ours, "t" + std::to_string(*index) + ".bin");
    if (!llvm::sys::fs::exists(ours))
      continue; // not materialised by the compiled model
    llvm::SmallString<256> ref(goldenDir);
    llvm::sys::path::append(ref, *fileName);
    auto got = readFile(std::string(ours));
    auto expected = readFile(std::string(ref));
    if (!got || !expected)
      return 2;
    ++compared;
    std::string what = "tensor " + std::to_string(*index);
    if (const llvm::json::Object *producer = t->getObject("producer"))
      if (auto op = producer->getString("op"))
        what += " (output of op #" +
                std::to_string(producer->getInteger("op_index").value_or(-1)) +
                " " + op->str() + ")";
    if (!compare(type->str(), *got, *expected, what))
      ++differing;
  }
  llvm::outs() << compared << " tensors compared, " << differing << " differ\n";
  if (compared == 0) {
    llvm::outs() << "no tensor of the dump was found in " << dir << "\n";
    return 1;
  }
  return differing == 0 ? 0 : 1;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "ft-compare: compare raw tensor bytes with a reference (exact for "
      "integers, tolerance for float32). Exit code 0 = equal.\n");
  if (!goldenTensors.empty()) {
    if (positional.size() != 1) {
      llvm::errs() << "ft-compare: --golden-tensors takes one directory\n";
      return 2;
    }
    return compareDump(positional[0]);
  }
  if (positional.size() != 2) {
    llvm::errs() << "ft-compare: expected <got> <expected>\n";
    return 2;
  }
  auto got = readFile(positional[0]);
  auto expected = readFile(positional[1]);
  if (!got || !expected)
    return 2;
  return compare(typeName, *got, *expected, positional[0]) ? 0 : 1;
}
