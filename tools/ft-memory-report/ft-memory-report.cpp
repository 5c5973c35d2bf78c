//===- ft-memory-report.cpp - Show an arena plan as a table and an SVG ----===//
//
//   ft-memory-report plan.json [--svg=plan.svg]
//
// Reads the JSON that ft-plan-arena writes (memory-report=...), prints every
// buffer with its TFLite name, offset, size and lifetime (like TFLM's
// PrintMemoryPlan), the peak and its layer, the tile loops and the object's
// flash, RAM and stack (from ft-compile), and draws the plan: x the schedule
// step, y the arena offset, one named rectangle per buffer, a legend, the
// peak step and the tile loops marked.
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
#include <numeric>
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

/// A TFLite name as a label: the part before the first ';', its tail if
/// still long.
std::string shortName(llvm::StringRef name, size_t most = 40) {
  llvm::StringRef head = name.split(';').first;
  if (head.size() <= most)
    return head.str();
  return "..." + head.take_back(most - 3).str();
}

struct TileLoop {
  int64_t first = 0, last = 0, trips = 0;
  std::string firstLayer, lastLayer;
};

struct Summary;
void writeSvg(llvm::raw_ostream &os, const Summary &summary);
} // namespace

namespace {
/// What the table and the picture show of one function's plan.
struct Summary {
  std::vector<Buffer> buffers;
  std::vector<TileLoop> loops;
  std::vector<std::string> stepLayers;
  int64_t arena = 0, load = 0, steps = 0, peakStep = 0, peakBytes = 0;
  std::string peakLayer;
};

/// The picture: x is the schedule, compressed to the steps where a buffer
/// starts or ends (each such interval one column, so that long runs of
/// steps that allocate nothing take no room), y the arena offset; one
/// rectangle per buffer, named where it has room, a legend of the largest,
/// the peak marked with its layer, tile loops as brackets above.
void writeSvg(llvm::raw_ostream &os, const Summary &summary) {
  const std::vector<Buffer> &buffers = summary.buffers;
  const int64_t arena = std::max<int64_t>(summary.arena, 1);
  // Column boundaries: every buffer's first step and the step after its
  // last, the loops' too, and the ends.
  std::vector<int64_t> cuts = {0, std::max<int64_t>(summary.steps, 1)};
  for (const Buffer &b : buffers) {
    cuts.push_back(b.first);
    cuts.push_back(b.last + 1);
  }
  for (const TileLoop &loop : summary.loops) {
    cuts.push_back(loop.first);
    cuts.push_back(loop.last + 1);
  }
  cuts.push_back(summary.peakStep);
  cuts.push_back(summary.peakStep + 1);
  llvm::sort(cuts);
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const size_t columns = std::max<size_t>(cuts.size() - 1, 1);

  const double legendW = 300, left = 80, right = 20 + legendW;
  const double loopRows = summary.loops.empty() ? 0 : 22;
  const double top = 46 + loopRows, bottom = 52;
  const double width = 1200, height = 560 + loopRows;
  const double plotW = width - left - right, plotH = height - top - bottom;
  const double columnW = plotW / columns;
  const double scaleY = plotH / arena;
  // x of a step's left edge.
  auto xOf = [&](int64_t step) {
    size_t column =
        std::upper_bound(cuts.begin(), cuts.end(), step) - cuts.begin();
    column = column ? column - 1 : 0;
    return left + std::min(column, columns) * columnW;
  };
  auto colour = [](size_t i) {
    return "hsl(" + std::to_string((i * 47) % 360) + ",60%,72%)";
  };

  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
     << "\" height=\"" << height << "\" font-family=\"sans-serif\" "
     << "font-size=\"11\">\n";
  os << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  os << "<text x=\"" << left << "\" y=\"18\" font-size=\"14\">arena "
     << summary.arena << " bytes; peak " << summary.peakBytes
     << " bytes at step " << summary.peakStep;
  if (!summary.peakLayer.empty())
    os << " (" << escapeXml(shortName(summary.peakLayer, 60)) << ")";
  os << "</text>\n";
  os << "<defs><clipPath id=\"plot\"><rect x=\"" << left << "\" y=\"" << top
     << "\" width=\"" << plotW << "\" height=\"" << plotH
     << "\"/></clipPath></defs>\n";
  for (auto [i, b] : llvm::enumerate(buffers)) {
    const double x = xOf(b.first);
    const double w = std::max(1.0, xOf(b.last + 1) - x);
    const double y = top + plotH - (b.offset + b.bytes) * scaleY;
    const double h = std::max(1.0, b.bytes * scaleY);
    os << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << w
       << "\" height=\"" << h << "\" fill=\"" << colour(i)
       << "\" stroke=\"black\" stroke-width=\"0.5\"><title>"
       << escapeXml(b.name) << ": " << b.bytes << " bytes at " << b.offset
       << ", steps " << b.first << "-" << b.last << "</title></rect>\n";
    // The name inside, where it fits (about 6 px per character).
    const size_t fits = static_cast<size_t>((w - 6) / 6);
    if (h >= 13 && fits >= 8)
      os << "<text x=\"" << x + 3 << "\" y=\"" << y + std::min(h, 24.0) / 2 + 4
         << "\" clip-path=\"url(#plot)\">" << escapeXml(shortName(b.name, fits))
         << "</text>\n";
  }
  // The peak.
  const double peakX = (xOf(summary.peakStep) + xOf(summary.peakStep + 1)) / 2;
  os << "<line x1=\"" << peakX << "\" y1=\"" << top << "\" x2=\"" << peakX
     << "\" y2=\"" << top + plotH
     << "\" stroke=\"red\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n";
  os << "<text x=\"" << peakX + 3 << "\" y=\"" << top + plotH + 14
     << "\" fill=\"red\">peak</text>\n";
  // Tile loops: a bracket over their steps.
  for (const TileLoop &loop : summary.loops) {
    const double x1 = xOf(loop.first), x2 = xOf(loop.last + 1);
    const double y = top - 8;
    os << "<path d=\"M" << x1 << " " << y + 5 << " V" << y << " H" << x2 << " V"
       << y + 5 << "\" fill=\"none\" stroke=\"#444\"/>\n";
    os << "<text x=\"" << x1 + 2 << "\" y=\"" << y - 4 << "\">tile loop";
    if (loop.trips)
      os << " x" << loop.trips;
    os << ": " << escapeXml(shortName(loop.firstLayer, 30)) << " .. "
       << escapeXml(shortName(loop.lastLayer, 30)) << "</text>\n";
  }
  // Axes, ticks and their titles.
  os << "<line x1=\"" << left << "\" y1=\"" << top + plotH << "\" x2=\""
     << left + plotW << "\" y2=\"" << top + plotH
     << "\" stroke=\"black\"/>\n<line x1=\"" << left << "\" y1=\"" << top
     << "\" x2=\"" << left << "\" y2=\"" << top + plotH
     << "\" stroke=\"black\"/>\n";
  const size_t every = std::max<size_t>(1, columns / 12);
  for (size_t c = 0; c <= columns; c += every) {
    const double x = left + c * columnW;
    os << "<line x1=\"" << x << "\" y1=\"" << top + plotH << "\" x2=\"" << x
       << "\" y2=\"" << top + plotH + 4 << "\" stroke=\"black\"/>\n";
    os << "<text x=\"" << x << "\" y=\"" << top + plotH + 28
       << "\" text-anchor=\"middle\" fill=\"#444\">" << cuts[c] << "</text>\n";
  }
  os << "<text x=\"" << left + plotW / 2 << "\" y=\"" << height - 8
     << "\" text-anchor=\"middle\">schedule step (0-" << summary.steps - 1
     << "; one column per interval in which no buffer starts or ends)"
     << "</text>\n";
  os << "<text x=\"14\" y=\"" << top + plotH / 2
     << "\" transform=\"rotate(-90 14 " << top + plotH / 2
     << ")\" text-anchor=\"middle\">arena offset (bytes)</text>\n";
  for (int tick = 0; tick <= 4; ++tick) {
    const int64_t value = summary.arena * tick / 4;
    const double y = top + plotH - value * scaleY;
    os << "<line x1=\"" << left - 4 << "\" y1=\"" << y << "\" x2=\"" << left
       << "\" y2=\"" << y << "\" stroke=\"black\"/>\n";
    os << "<text x=\"" << left - 6 << "\" y=\"" << y + 4
       << "\" text-anchor=\"end\">" << value << "</text>\n";
  }
  // Legend: the largest buffers.
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::stable_sort(order, [&](size_t a, size_t b) {
    return buffers[a].bytes > buffers[b].bytes;
  });
  const double legendX = width - legendW + 10;
  os << "<text x=\"" << legendX << "\" y=\"" << top - 4
     << "\" font-weight=\"bold\">largest buffers (bytes)</text>\n";
  const size_t shown = std::min<size_t>(order.size(), (plotH - 10) / 18);
  for (size_t row = 0; row < shown; ++row) {
    const Buffer &b = buffers[order[row]];
    const double y = top + 6 + row * 18;
    os << "<rect x=\"" << legendX << "\" y=\"" << y << "\" width=\"12\" "
       << "height=\"12\" fill=\"" << colour(order[row])
       << "\" stroke=\"black\" stroke-width=\"0.5\"/>\n";
    os << "<text x=\"" << legendX + 18 << "\" y=\"" << y + 10 << "\">"
       << b.bytes << "  " << escapeXml(shortName(b.name, 36)) << "</text>\n";
  }
  if (shown < order.size())
    os << "<text x=\"" << legendX << "\" y=\"" << top + 6 + shown * 18 + 10
       << "\" fill=\"#444\">and " << order.size() - shown
       << " smaller</text>\n";
  os << "</svg>\n";
}
} // namespace

namespace {

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
  summary.peakBytes = live.empty() ? 0 : live[summary.peakStep];
  summary.peakLayer = plan.getString("peak_layer").value_or("").str();
  if (const llvm::json::Array *layers = plan.getArray("step_layers"))
    for (const llvm::json::Value &v : *layers)
      summary.stepLayers.push_back(v.getAsString().value_or("").str());
  if (const llvm::json::Array *loops = plan.getArray("tile_loops"))
    for (const llvm::json::Value &v : *loops)
      if (const llvm::json::Object *o = v.getAsObject()) {
        TileLoop loop;
        loop.first = o->getInteger("first_step").value_or(0);
        loop.last = o->getInteger("last_step").value_or(0);
        loop.trips = o->getInteger("trips").value_or(0);
        loop.firstLayer = o->getString("first_layer").value_or("").str();
        loop.lastLayer = o->getString("last_layer").value_or("").str();
        summary.loops.push_back(loop);
      }
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
               << ", peak " << summary.peakBytes << " bytes at step "
               << summary.peakStep;
  if (!summary.peakLayer.empty())
    llvm::outs() << " (layer " << summary.peakLayer << ")";
  llvm::outs() << "\n";
  if (const llvm::json::Object *object = plan.getObject("object")) {
    llvm::outs() << "object for " << object->getString("target").value_or("?")
                 << ": flash " << object->getInteger("flash_bytes").value_or(0)
                 << " bytes (.text "
                 << object->getInteger("text_bytes").value_or(0) << ", .rodata "
                 << object->getInteger("rodata_bytes").value_or(0)
                 << "), static RAM "
                 << object->getInteger("ram_bytes").value_or(0) << " bytes";
    if (std::optional<int64_t> stack = object->getInteger("stack_bytes"))
      llvm::outs() << ", stack " << *stack << " bytes";
    llvm::outs() << "\n";
  }
  for (const TileLoop &loop : summary.loops)
    llvm::outs() << "tile loop, steps " << loop.first << "-" << loop.last
                 << (loop.trips ? ", " + std::to_string(loop.trips) + " tiles"
                                : std::string())
                 << ": " << loop.firstLayer << " .. " << loop.lastLayer << "\n";
  llvm::outs() << "\n";
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
    summary.steps = std::max<int64_t>(summary.steps, 1);
    writeSvg(os, summary);
  }
  return 0;
}
