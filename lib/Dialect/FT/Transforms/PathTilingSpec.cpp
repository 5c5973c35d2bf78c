//===- PathTilingSpec.cpp - Path tiling specs, read and written -----------===//
//
// The one place that spells a path tiling as text: ft-tile-path's options,
// the tools' --tile-path, the transform op's windows and ft-auto-tile's
// remarks (which replay as --tile-path) all go through these functions.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace ft;

std::optional<WindowMode> ft::parseWindowMode(StringRef text) {
  for (WindowMode mode :
       {WindowMode::Recompute, WindowMode::Share, WindowMode::Cache})
    if (stringifyWindowMode(mode) == text)
      return mode;
  return std::nullopt;
}

std::string ft::printPathTiling(const PathTiling &tiling) {
  auto list = [](ArrayRef<int64_t> values) {
    std::string out;
    for (auto [i, v] : llvm::enumerate(values))
      out += (i ? "," : "") + std::to_string(v);
    return out;
  };
  std::string text = tiling.method == TilingMethod::FFMT ? "ffmt" : "fdt";
  text += " first=" + tiling.first + " last=" + tiling.last;
  if (tiling.method == TilingMethod::FFMT)
    text += " axes=" + list(tiling.axes);
  text += " tiles=" + list(tiling.tiles);
  if (tiling.windows != WindowMode::Recompute)
    text += " windows=" + stringifyWindowMode(tiling.windows).str();
  if (tiling.prime > 0)
    text += " prime=" + std::to_string(tiling.prime);
  if (tiling.steps > 1)
    text += " steps=" + std::to_string(tiling.steps);
  return text;
}

bool ft::isSpecName(StringRef name) {
  return !name.empty() && !llvm::is_contained(name, ' ');
}

std::optional<PathTiling> ft::parsePathTiling(StringRef spec,
                                              std::string &error) {
  SmallVector<StringRef> words;
  spec.split(words, ' ', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  PathTiling tiling;
  if (words.empty() || (words.front() != "ffmt" && words.front() != "fdt")) {
    error = "a path tiling starts with its method, ffmt or fdt: '" +
            spec.str() + "'";
    return std::nullopt;
  }
  tiling.method =
      words.front() == "ffmt" ? TilingMethod::FFMT : TilingMethod::FDT;
  auto parseList = [&](StringRef value, SmallVectorImpl<int64_t> &out) {
    SmallVector<StringRef> items;
    value.split(items, ',');
    for (StringRef item : items) {
      int64_t number;
      if (item.getAsInteger(10, number))
        return false;
      out.push_back(number);
    }
    return true;
  };
  llvm::StringSet<> seen;
  for (StringRef word : llvm::drop_begin(words)) {
    auto [key, value] = word.split('=');
    if (!llvm::is_contained(
            {"first", "last", "axes", "tiles", "windows", "prime", "steps"},
            key)) {
      error = "unknown key '" + key.str() +
              "' in a path tiling; expected first=, last=, axes=, tiles=, "
              "windows=, prime= or steps=";
      return std::nullopt;
    }
    if (!seen.insert(key).second) {
      error = "'" + key.str() + "=' is given twice in a path tiling";
      return std::nullopt;
    }
    if (value.empty()) {
      error = "'" + key.str() + "=' needs a value in a path tiling";
      return std::nullopt;
    }
    if (key == "first") {
      tiling.first = value.str();
    } else if (key == "last") {
      tiling.last = value.str();
    } else if (key == "windows") {
      std::optional<WindowMode> mode = parseWindowMode(value);
      if (!mode) {
        error = "cannot read '" + word.str() +
                "' in a path tiling; expected windows=recompute, "
                "windows=share or windows=cache";
        return std::nullopt;
      }
      tiling.windows = *mode;
    } else if (key == "prime" || key == "steps") {
      const bool prime = key == "prime";
      int64_t &count = prime ? tiling.prime : tiling.steps;
      const int64_t least = prime ? 0 : 1;
      if (value.getAsInteger(10, count) || count < least) {
        error = "cannot read '" + word.str() +
                "' in a path tiling; expected a count of " +
                (prime ? "priming tiles" : "tiles per output tile") + ", " +
                std::to_string(least) + " or more";
        return std::nullopt;
      }
    } else if (!parseList(value, key == "axes" ? tiling.axes : tiling.tiles)) {
      error = "cannot read '" + word.str() +
              "' in a path tiling; expected integers separated by commas";
      return std::nullopt;
    }
  }
  if (tiling.first.empty() || tiling.last.empty() || tiling.tiles.empty()) {
    error =
        "a path tiling needs first=, last= and tiles=: '" + spec.str() + "'";
    return std::nullopt;
  }
  if (tiling.method == TilingMethod::FFMT && tiling.axes.empty())
    tiling.axes.push_back(1);
  return tiling;
}

LogicalResult ft::parsePathTilings(ArrayRef<std::string> specs,
                                   std::vector<PathTiling> &out,
                                   std::string &error) {
  for (const std::string &spec : specs) {
    std::optional<PathTiling> tiling = parsePathTiling(spec, error);
    if (!tiling)
      return failure();
    out.push_back(*tiling);
  }
  return success();
}

const char *const ft::kPathTilingHelp =
    "Tile a fused path before lowering (repeatable): \"ffmt|fdt first=NAME "
    "last=NAME [axes=1[,2]] tiles=N[,M] [windows=recompute|share|cache] "
    "[prime=P] [steps=K]\"; "
    "NAME is a layer (ft.layers: the TFLite tensor name, or its part before "
    "';'), #k (TFLite operator k) or @k (the k-th op computing from the "
    "function's arguments); windows=share computes a value read through "
    "several windows (a residual block's input) once per tile, "
    "windows=cache also keeps the rows the next tile reads again (no halo "
    "is recomputed), and prime=P (with windows=cache) adds P leading tiles "
    "in which the line buffers fill, each layer ahead of its readers by at "
    "most its own rows per tile, and steps=K splits each output tile into "
    "K, the first K-1 computing no output (each layer at its own rate); a "
    "path whose layers are inside an earlier path's tiles "
    "is tiled within each of them (ffmt, then fdt inside: FFMT -> FDT)";

llvm::StringRef ft::stringifyWindowMode(WindowMode mode) {
  switch (mode) {
  case WindowMode::Recompute:
    return "recompute";
  case WindowMode::Share:
    return "share";
  case WindowMode::Cache:
    return "cache";
  }
  llvm_unreachable("unknown window mode");
}
