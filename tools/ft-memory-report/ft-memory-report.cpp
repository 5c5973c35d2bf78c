//===- ft-memory-report.cpp - Show an arena plan as a table and an SVG ----===//
//
//   ft-memory-report plan.json [--svg=plan.svg]
//
// Reads the JSON that ft-plan-arena writes (memory-report=...), prints every
// buffer with its TFLite name, offset, size and lifetime (like TFLM's
// PrintMemoryPlan) and the live bytes per step, and draws the plan: x is the
// schedule step, y the arena offset, one rectangle per buffer, the peak step
// marked.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <string>
#include <vector>

namespace cl = llvm::cl;

static cl::OptionCategory category("ft-memory-report options");
static cl::opt<std::string>
    functionName("function",
                 cl::desc("With several functions in the report: the one to "
                          "draw (default: the first)"),
                 cl::cat(category));
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<plan.json>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> svgFile("svg", cl::desc("Write an SVG picture"),
                                    cl::cat(category));

namespace {
struct Buffer {
  std::string name, kind;
  int64_t bytes = 0, offset = 0, first = 0, last = 0;
};

std::string escapeXml(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

void writeSvg(llvm::raw_ostream &os, const std::vector<Buffer> &buffers,
              int64_t arena, int64_t steps, int64_t peakStep) {
  const double width = 900, height = 480, left = 70, bottom = 40, top = 30;
  const double plotW = width - left - 20, plotH = height - top - bottom;
  const double stepW = plotW / std::max<int64_t>(steps, 1);
  const double scaleY = plotH / std::max<int64_t>(arena, 1);
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
     << "\" height=\"" << height << "\" font-family=\"sans-serif\" "
     << "font-size=\"11\">\n";
  os << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  os << "<text x=\"" << left << "\" y=\"18\">arena " << arena
     << " bytes; peak at step " << peakStep << "</text>\n";
  for (auto [i, b] : llvm::enumerate(buffers)) {
    const double x = left + b.first * stepW;
    const double w = std::max(1.0, (b.last - b.first + 1) * stepW);
    const double y = top + plotH - (b.offset + b.bytes) * scaleY;
    const double h = std::max(1.0, b.bytes * scaleY);
    const unsigned hue = (i * 47) % 360;
    os << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << w
       << "\" height=\"" << h << "\" fill=\"hsl(" << hue
       << ",60%,70%)\" stroke=\"black\" stroke-width=\"0.5\"><title>"
       << escapeXml(b.name) << ": " << b.bytes << " bytes at " << b.offset
       << ", steps " << b.first << "-" << b.last << "</title></rect>\n";
  }
  const double peakX = left + (peakStep + 0.5) * stepW;
  os << "<line x1=\"" << peakX << "\" y1=\"" << top << "\" x2=\"" << peakX
     << "\" y2=\"" << top + plotH
     << "\" stroke=\"red\" stroke-dasharray=\"4 3\"/>\n";
  os << "<text x=\"" << peakX + 3 << "\" y=\"" << top + 12
     << "\" fill=\"red\">peak</text>\n";
  // Axes: steps along x, offsets along y.
  os << "<line x1=\"" << left << "\" y1=\"" << top + plotH << "\" x2=\""
     << left + plotW << "\" y2=\"" << top + plotH
     << "\" stroke=\"black\"/>\n<line x1=\"" << left << "\" y1=\"" << top
     << "\" x2=\"" << left << "\" y2=\"" << top + plotH
     << "\" stroke=\"black\"/>\n";
  os << "<text x=\"" << left + plotW / 2 << "\" y=\"" << height - 8
     << "\" text-anchor=\"middle\">schedule step (0-" << steps - 1
     << ")</text>\n";
  os << "<text x=\"12\" y=\"" << top + plotH / 2
     << "\" transform=\"rotate(-90 12 " << top + plotH / 2
     << ")\" text-anchor=\"middle\">arena offset (bytes)</text>\n";
  for (int tick = 0; tick <= 4; ++tick) {
    const int64_t value = arena * tick / 4;
    const double y = top + plotH - value * scaleY;
    os << "<text x=\"" << left - 4 << "\" y=\"" << y + 4
       << "\" text-anchor=\"end\">" << value << "</text>\n";
  }
  os << "</svg>\n";
}
} // namespace

namespace {
/// What the table and the picture show of one function's plan.
struct Summary {
  std::vector<Buffer> buffers;
  int64_t arena = 0, load = 0, steps = 0, peakStep = 0;
};

Summary summarize(const llvm::json::Object &plan) {
  Summary summary;
  for (const llvm::json::Value &v : *plan.getArray("buffers")) {
    const llvm::json::Object *o = v.getAsObject();
    if (!o)
      continue;
    Buffer b;
    b.name = o->getString("name").value_or("").str();
    b.kind = o->getString("kind").value_or("").str();
    b.bytes = o->getInteger("bytes").value_or(0);
    b.offset = o->getInteger("offset").value_or(0);
    b.first = o->getInteger("first_step").value_or(0);
    b.last = o->getInteger("last_step").value_or(0);
    summary.buffers.push_back(b);
  }
  summary.arena = plan.getInteger("arena_bytes").value_or(0);
  summary.load = plan.getInteger("load_bytes").value_or(0);
  summary.steps = plan.getInteger("steps").value_or(0);
  std::vector<int64_t> live;
  if (const llvm::json::Array *perStep = plan.getArray("live_bytes_per_step"))
    for (const llvm::json::Value &v : *perStep)
      live.push_back(v.getAsInteger().value_or(0));
  summary.peakStep =
      live.empty() ? 0
                   : std::max_element(live.begin(), live.end()) - live.begin();
  return summary;
}

void printPlan(const llvm::json::Object &plan) {
  Summary summary = summarize(plan);
  llvm::outs() << "arena " << summary.arena << " bytes, LOAD " << summary.load
               << " bytes";
  if (summary.load > 0)
    llvm::outs() << llvm::format(" (arena/LOAD %.3f)",
                                 static_cast<double>(summary.arena) /
                                     summary.load);
  llvm::outs() << ", plan " << plan.getString("method").value_or("?")
               << ", peak at step " << summary.peakStep << "\n\n";
  llvm::outs() << llvm::format("%8s %8s %11s  %-7s %s\n", "offset", "bytes",
                               "steps", "kind", "name");
  std::vector<Buffer> sorted = summary.buffers;
  llvm::stable_sort(sorted, [](const Buffer &a, const Buffer &b) {
    return a.offset != b.offset ? a.offset < b.offset : a.first < b.first;
  });
  for (const Buffer &b : sorted) {
    std::string range = std::to_string(b.first) + "-" + std::to_string(b.last);
    llvm::outs() << llvm::format("%8lld %8lld %11s  %-7s ",
                                 static_cast<long long>(b.offset),
                                 static_cast<long long>(b.bytes), range.c_str(),
                                 b.kind.c_str())
                 << b.name << "\n";
  }
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "ft-memory-report: show an ft-plan-arena plan "
                              "as a table and an SVG picture\n");
  auto buffer = llvm::MemoryBuffer::getFile(inputFile);
  if (!buffer) {
    llvm::errs() << "ft-memory-report: cannot read " << inputFile << "\n";
    return 1;
  }
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  // One function's plan, or (several functions) an array of them.
  std::vector<const llvm::json::Object *> plans;
  if (json) {
    if (const llvm::json::Array *array = json->getAsArray()) {
      for (const llvm::json::Value &v : *array)
        plans.push_back(v.getAsObject());
    } else {
      plans.push_back(json->getAsObject());
    }
  } else {
    llvm::consumeError(json.takeError());
  }
  if (plans.empty() || llvm::any_of(plans, [](const llvm::json::Object *o) {
        return !o || !o->getArray("buffers");
      })) {
    llvm::errs() << "ft-memory-report: " << inputFile
                 << " is not an ft-plan-arena report\n";
    return 1;
  }
  const llvm::json::Object *pictured = nullptr;
  for (const llvm::json::Object *plan : plans) {
    llvm::StringRef function = plan->getString("function").value_or("");
    if (plans.size() > 1)
      llvm::outs() << (plan == plans.front() ? "" : "\n") << "function "
                   << function << ": ";
    if (!pictured && (functionName.empty() || function == functionName))
      pictured = plan;
    printPlan(*plan);
  }
  if (!svgFile.empty()) {
    if (!pictured) {
      llvm::errs() << "ft-memory-report: no function '" << functionName
                   << "' in " << inputFile << "\n";
      return 1;
    }
    std::error_code ec;
    llvm::raw_fd_ostream os(svgFile, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      llvm::errs() << "ft-memory-report: cannot write " << svgFile << "\n";
      return 1;
    }
    Summary summary = summarize(*pictured);
    writeSvg(os, summary.buffers, summary.arena,
             std::max<int64_t>(summary.steps, 1), summary.peakStep);
  }
  return 0;
}
