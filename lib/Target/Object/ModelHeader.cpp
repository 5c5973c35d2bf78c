//===- ModelHeader.cpp - The C interface of a compiled model --------------===//

#include "FusedTiling/Target/Object/ModelHeader.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/DataExtractor.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cctype>

using namespace mlir;
using namespace ft;

std::vector<TensorDescription> ft::describeTensors(func::FuncOp func,
                                                   bool results) {
  std::vector<TensorDescription> out;
  TypeRange types = results ? func.getResultTypes() : func.getArgumentTypes();
  for (auto [i, type] : llvm::enumerate(types)) {
    auto shaped = dyn_cast<ShapedType>(type);
    TensorDescription t;
    auto attr = [&, index = i](StringRef name) -> Attribute {
      return results ? func.getResultAttr(index, name)
                     : func.getArgAttr(index, name);
    };
    if (auto name = dyn_cast_or_null<StringAttr>(attr("ft.name")))
      t.name = name.str();
    t.type = "tensor";
    if (auto tflType = dyn_cast_or_null<StringAttr>(attr("ft.type")))
      t.type = tflType.str();
    Type elem = shaped ? shaped.getElementType() : type;
    // TFLite's bool is a byte (0 or 1), uint32 is carried as its 32 bits.
    const bool isUnsigned = t.type == "uint8" || t.type == "bool" ||
                            t.type == "uint32" || elem.isUnsignedInteger();
    t.cType = elem.isF32()         ? "float"
              : elem.isF64()       ? "double"
              : elem.isInteger(1)  ? "uint8_t"
              : elem.isInteger(8)  ? (isUnsigned ? "uint8_t" : "int8_t")
              : elem.isInteger(16) ? (isUnsigned ? "uint16_t" : "int16_t")
              : elem.isInteger(32) ? (isUnsigned ? "uint32_t" : "int32_t")
              : elem.isInteger(64) ? (isUnsigned ? "uint64_t" : "int64_t")
                                   : "uint8_t";
    if (shaped && shaped.hasStaticShape()) {
      t.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
      const int64_t bits =
          elem.isIntOrFloat() ? elem.getIntOrFloatBitWidth() : 8;
      t.bytes = shaped.getNumElements() * ((bits + 7) / 8);
    }
    auto scales = dyn_cast_or_null<ArrayAttr>(attr("ft.scale"));
    auto zps = dyn_cast_or_null<ArrayAttr>(attr("ft.zero_point"));
    if (scales && zps && scales.size() == 1 && zps.size() == 1 &&
        isa<FloatAttr>(scales[0]) && isa<IntegerAttr>(zps[0])) {
      t.quantized = true;
      t.scale = cast<FloatAttr>(scales[0]).getValueAsDouble();
      t.zeroPoint = cast<IntegerAttr>(zps[0]).getInt();
    }
    out.push_back(t);
  }
  return out;
}

llvm::Expected<ObjectFigures> ft::measureObject(llvm::MemoryBufferRef buffer) {
  auto object = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!object)
    return object.takeError();
  auto *elf = dyn_cast<llvm::object::ELFObjectFileBase>(object->get());
  if (!elf)
    return llvm::createStringError("not an ELF object");
  ObjectFigures figures;
  for (llvm::object::ELFSectionRef section : elf->sections()) {
    llvm::Expected<StringRef> name = section.getName();
    if (!name)
      return name.takeError();
    if (*name == ".stack_sizes") {
      // Entries: a function's address (relocated), then its frame's size
      // as ULEB128.
      llvm::Expected<StringRef> contents = section.getContents();
      if (!contents)
        return contents.takeError();
      llvm::DataExtractor data(*contents, elf->isLittleEndian(),
                               elf->getBytesInAddress());
      llvm::DataExtractor::Cursor cursor(0);
      int64_t largest = 0;
      while (cursor && !data.eof(cursor)) {
        data.getAddress(cursor);
        largest = std::max<int64_t>(largest, data.getULEB128(cursor));
      }
      if (!cursor)
        return cursor.takeError();
      figures.stackBytes = largest;
      continue;
    }
    const uint64_t flags = section.getFlags();
    if (!(flags & llvm::ELF::SHF_ALLOC))
      continue;
    const auto size = static_cast<int64_t>(section.getSize());
    if (section.getType() == llvm::ELF::SHT_NOBITS)
      figures.bssBytes += size;
    else if (flags & llvm::ELF::SHF_WRITE)
      figures.dataBytes += size;
    else if (flags & llvm::ELF::SHF_EXECINSTR)
      figures.textBytes += size;
    else
      figures.rodataBytes += size;
  }
  llvm::StringSet<> seen;
  for (const llvm::object::SymbolRef &symbol : elf->symbols()) {
    llvm::Expected<uint32_t> flags = symbol.getFlags();
    if (!flags)
      return flags.takeError();
    if (!(*flags & llvm::object::SymbolRef::SF_Undefined))
      continue;
    llvm::Expected<StringRef> name = symbol.getName();
    if (!name)
      return name.takeError();
    if (!name->empty() && seen.insert(*name).second)
      figures.undefinedSymbols.push_back(name->str());
  }
  llvm::sort(figures.undefinedSymbols);
  return figures;
}

std::string ft::addObjectFiguresToReport(StringRef path, StringRef function,
                                         const ObjectFigures &figures,
                                         StringRef triple) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return "cannot read the memory report " + path.str();
  llvm::Expected<llvm::json::Value> report =
      llvm::json::parse((*buffer)->getBuffer());
  if (!report)
    return "the memory report " + path.str() +
           " is not JSON: " + llvm::toString(report.takeError());
  llvm::json::Object *plan = report->getAsObject();
  if (llvm::json::Array *plans = report->getAsArray())
    for (llvm::json::Value &candidate : *plans)
      if (llvm::json::Object *object = candidate.getAsObject())
        if (object->getString("function") == function)
          plan = object;
  if (!plan)
    return "no plan of '" + function.str() + "' in the memory report";
  llvm::json::Object object{
      {"target", triple},
      {"text_bytes", figures.textBytes},
      {"rodata_bytes", figures.rodataBytes},
      {"data_bytes", figures.dataBytes},
      {"bss_bytes", figures.bssBytes},
      {"flash_bytes",
       figures.textBytes + figures.rodataBytes + figures.dataBytes},
      {"ram_bytes", figures.dataBytes + figures.bssBytes}};
  if (figures.stackBytes)
    object["stack_bytes"] = *figures.stackBytes;
  std::string text;
  if (report->getAsObject()) {
    // One plan: the figures spliced in before its closing brace, so that
    // the planner's order of keys stays (llvm::json::Object sorts them).
    StringRef original = StringRef((*buffer)->getBuffer()).rtrim();
    std::string figuresText;
    llvm::raw_string_ostream figuresStream(figuresText);
    llvm::json::OStream figuresJson(figuresStream, /*IndentSize=*/1);
    figuresJson.value(llvm::json::Value(std::move(object)));
    // (Indented one level: it is inside the plan.)
    std::string indented;
    for (char c : figuresText)
      indented += c == '\n' ? std::string("\n ") : std::string(1, c);
    text = original.drop_back().rtrim().str() + ",\n \"object\": " + indented +
           "\n}\n";
  } else {
    (*plan)["object"] = std::move(object);
    llvm::raw_string_ostream textStream(text);
    llvm::json::OStream json(textStream, /*IndentSize=*/1);
    json.value(*report);
    textStream << "\n";
  }
  std::error_code error;
  llvm::raw_fd_ostream os(path, error);
  if (error)
    return "cannot write the memory report " + path.str() + ": " +
           error.message();
  os << text;
  return "";
}

FailureOr<ModelInterface>
ft::getModelInterface(ModuleOp lowered, StringRef entry,
                      std::vector<TensorDescription> inputs,
                      std::vector<TensorDescription> outputs) {
  auto func = lowered.lookupSymbol<LLVM::LLVMFuncOp>(entry);
  if (!func)
    return lowered.emitError() << "no lowered entry point '" << entry << "'";
  ModelInterface model;
  model.entry = entry.str();
  model.inputs = std::move(inputs);
  model.outputs = std::move(outputs);
  unsigned tensorArguments = 0;
  for (unsigned i : llvm::seq(func.getNumArguments())) {
    if (func.getArgAttr(i, "ft.arena"))
      model.arenaArgument = true;
    else
      ++tensorArguments;
  }
  model.ioInArena = tensorArguments == 0;
  const size_t tensors = model.inputs.size() + model.outputs.size();
  if (!model.ioInArena && tensorArguments != tensors)
    return func.emitError()
           << "the entry point takes " << tensorArguments
           << " tensor arguments for " << tensors << " inputs and outputs";
  if (model.ioInArena)
    for (auto [kind, count] :
         {std::pair<StringRef, size_t>{"_input_", model.inputs.size()},
          {"_output_", model.outputs.size()}})
      for (size_t k = 0; k < count; ++k)
        if (!lowered.lookupSymbol<LLVM::LLVMFuncOp>(
                (entry + kind + std::to_string(k)).str()))
          return func.emitError()
                 << "no accessor " << entry << kind << k
                 << " for an entry point without tensor arguments";
  if (auto size = func->getAttrOfType<IntegerAttr>("ft.arena_size"))
    model.arenaBytes = size.getInt();
  if (auto reset =
          lowered.lookupSymbol<LLVM::LLVMFuncOp>((entry + "_reset").str())) {
    model.hasReset = true;
    model.resetTakesArena = reset.getNumArguments() > 0;
    if (auto bytes = func->getAttrOfType<IntegerAttr>("ft.state_bytes"))
      model.stateBytes = bytes.getInt();
  }
  if (auto names = lowered->getAttrOfType<ArrayAttr>("ft.profile_layers"))
    for (Attribute name : names)
      if (auto text = dyn_cast<StringAttr>(name))
        model.profiledLayers.push_back(text.str());
  return model;
}

std::string ft::checkEntryName(StringRef name) {
  if (name.empty())
    return "the entry point's name is empty";
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') ||
      !llvm::all_of(name, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      }))
    return "'" + name.str() +
           "' is not a C identifier (letters, digits and _, not starting "
           "with a digit)";
  if (name == "main")
    return "'main' is the C program's own entry point";
  static const char *const keywords[] = {// C (through C23) and C++.
                                         "alignas",
                                         "alignof",
                                         "and",
                                         "and_eq",
                                         "asm",
                                         "auto",
                                         "bitand",
                                         "bitor",
                                         "bool",
                                         "break",
                                         "case",
                                         "catch",
                                         "char",
                                         "char8_t",
                                         "char16_t",
                                         "char32_t",
                                         "class",
                                         "co_await",
                                         "co_return",
                                         "co_yield",
                                         "compl",
                                         "concept",
                                         "const",
                                         "const_cast",
                                         "consteval",
                                         "constexpr",
                                         "constinit",
                                         "continue",
                                         "decltype",
                                         "default",
                                         "delete",
                                         "do",
                                         "double",
                                         "dynamic_cast",
                                         "else",
                                         "enum",
                                         "explicit",
                                         "export",
                                         "extern",
                                         "false",
                                         "float",
                                         "for",
                                         "friend",
                                         "goto",
                                         "if",
                                         "inline",
                                         "int",
                                         "long",
                                         "mutable",
                                         "namespace",
                                         "new",
                                         "noexcept",
                                         "not",
                                         "not_eq",
                                         "nullptr",
                                         "operator",
                                         "or",
                                         "or_eq",
                                         "private",
                                         "protected",
                                         "public",
                                         "register",
                                         "reinterpret_cast",
                                         "requires",
                                         "restrict",
                                         "return",
                                         "short",
                                         "signed",
                                         "sizeof",
                                         "static",
                                         "static_assert",
                                         "static_cast",
                                         "struct",
                                         "switch",
                                         "template",
                                         "this",
                                         "thread_local",
                                         "throw",
                                         "true",
                                         "try",
                                         "typedef",
                                         "typeid",
                                         "typename",
                                         "typeof",
                                         "typeof_unqual",
                                         "union",
                                         "unsigned",
                                         "using",
                                         "virtual",
                                         "void",
                                         "volatile",
                                         "wchar_t",
                                         "while",
                                         "xor",
                                         "xor_eq"};
  if (llvm::is_contained(keywords, name))
    return "'" + name.str() + "' is a C or C++ keyword";
  if (name.starts_with("__") ||
      (name.size() > 1 && name[0] == '_' &&
       std::isupper(static_cast<unsigned char>(name[1]))))
    return "'" + name.str() +
           "' is reserved to the C implementation (it starts with __ or _ "
           "and a capital)";
  return "";
}

/// `text` safe inside a C comment.
static std::string commentText(StringRef text) {
  std::string out = text.str();
  for (size_t at = out.find("*/"); at != std::string::npos;
       at = out.find("*/", at))
    out.replace(at, 2, "* /");
  return out;
}

/// A C comment of `paragraphs`, each wrapped at 78 columns.
static void emitComment(llvm::raw_ostream &os,
                        llvm::ArrayRef<std::string> paragraphs) {
  os << "/*";
  size_t column = 2;
  for (auto [i, paragraph] : llvm::enumerate(paragraphs)) {
    if (i) {
      os << "\n\n  ";
      column = 2;
    }
    SmallVector<StringRef> words;
    StringRef(paragraph).split(words, ' ', -1, /*KeepEmpty=*/false);
    for (StringRef word : words) {
      if (column + 1 + word.size() > 78 && column > 2) {
        os << "\n  ";
        column = 2;
      }
      os << ' ' << commentText(word);
      column += 1 + word.size();
    }
  }
  os << " */\n";
}

/// MODEL for model: the prefix of the header's macros.
static std::string macroName(StringRef name) {
  std::string macro;
  for (char c : name)
    macro.push_back(std::isalnum(static_cast<unsigned char>(c))
                        ? static_cast<char>(std::toupper(c))
                        : '_');
  return macro;
}

/// `text` as the body of a C string literal.
static std::string cString(StringRef text) {
  std::string out;
  llvm::raw_string_ostream os(out);
  for (char c : text) {
    if (c == '"' || c == '\\')
      os << '\\' << c;
    else if (std::isprint(static_cast<unsigned char>(c)))
      os << c;
    else
      os << llvm::format("\\%03o", static_cast<unsigned char>(c));
  }
  return out;
}

void ft::emitHeader(llvm::raw_ostream &os, const ModelInterface &model) {
  const std::string &entry = model.entry;
  const std::string prefix = macroName(entry);
  const std::string guard = prefix + "_FT_MODEL_H";
  const char *arenaParam = model.arenaArgument ? "uint8_t *arena" : "void";
  const char *arenaValue = model.arenaArgument ? "arena" : "";

  // The opening comment: what the object is for and how it is called.
  std::string opening = "Generated by ft-compile";
  if (!model.targetDescription.empty())
    opening += " for " + model.targetDescription;
  opening += ".";
  std::string convention =
      model.ioInArena
          ? "The inputs and outputs live in the arena: write each input at "
            "the address its accessor returns, call " +
                entry + "(), read the outputs the same way."
          : entry + "() takes every input and output by pointer (inputs "
                    "first, in order); they are not in the arena.";
  if (model.arenaArgument)
    convention += " The caller provides the arena (" + prefix +
                  "_ARENA_SIZE bytes, aligned to " + prefix +
                  "_ARENA_ALIGNMENT) as the last argument of the entry "
                  "point" +
                  (model.ioInArena ? " and of every accessor" : "") +
                  "; it must stay the same between writing the inputs and "
                  "reading the outputs.";
  else
    convention += " The arena is a static buffer of the object (.bss).";
  convention += " " + entry +
                "_run() calls the model the same way whatever the "
                "convention.";
  emitComment(os, {opening, convention});
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include <stdint.h>\n\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";

  os << "/* How the model is called (see above). */\n";
  os << "#define " << prefix << "_IO_IN_ARENA " << (model.ioInArena ? 1 : 0)
     << "\n";
  os << "#define " << prefix << "_ARENA_IN_CALLER "
     << (model.arenaArgument ? 1 : 0) << "\n\n";
  os << "/* Memory. The arena holds activations and scratch"
     << (model.ioInArena ? ", inputs and outputs" : "") << ". */\n";
  os << "#define " << prefix << "_ARENA_SIZE " << model.arenaBytes << "\n";
  os << "#define " << prefix << "_ARENA_ALIGNMENT " << model.arenaAlignment
     << "\n";
  if (const std::optional<ObjectFigures> &object = model.object) {
    if (object->stackBytes)
      os << "/* Stack: the largest frame of the object's functions (the "
            "entry point\n   calls none of the others); add what the "
            "functions below take. */\n#define "
         << prefix << "_STACK_BYTES " << *object->stackBytes << "\n";
    os << "/* Flash: code, constants (weights) and initialised data. */\n";
    os << "#define " << prefix << "_TEXT_BYTES " << object->textBytes << "\n";
    os << "#define " << prefix << "_RODATA_BYTES " << object->rodataBytes
       << "\n";
    os << "#define " << prefix << "_FLASH_BYTES "
       << object->textBytes + object->rodataBytes + object->dataBytes << "\n";
    os << "/* Static RAM of the object (.data and .bss"
       << (model.arenaArgument ? "; the caller's arena is not in it"
                               : ", the arena included")
       << "). */\n";
    os << "#define " << prefix << "_RAM_BYTES "
       << object->dataBytes + object->bssBytes << "\n";
    if (!object->undefinedSymbols.empty()) {
      os << "/* The object calls";
      for (auto [i, symbol] : llvm::enumerate(object->undefinedSymbols))
        os << (i ? ", " : " ") << commentText(symbol);
      os << (object->undefinedSymbols.size() == 1
                 ? ": a program without a "
                   "C library defines it. */\n"
                 : ": a program without a "
                   "C library defines them. */\n");
    }
  }
  if (model.hasReset) {
    os << "/* State (variable tensors such as an SVDF's or LSTM's memory): "
          "static\n   memory of the object, outside the arena, kept from one "
          "call to the\n   next. "
       << entry << "_reset() restores the initial state. */\n";
    os << "#define " << prefix << "_STATE_BYTES " << model.stateBytes << "\n";
    os << "void " << entry << "_reset("
       << (model.resetTakesArena ? "uint8_t *arena" : "void") << ");\n";
  }
  os << "\n#define " << prefix << "_NUM_INPUTS " << model.inputs.size() << "\n";
  os << "#define " << prefix << "_NUM_OUTPUTS " << model.outputs.size() << "\n";
  int64_t inputBytes = 0, outputBytes = 0;
  for (const TensorDescription &t : model.inputs)
    inputBytes += t.bytes;
  for (const TensorDescription &t : model.outputs)
    outputBytes += t.bytes;
  os << "#define " << prefix << "_INPUTS_BYTES " << inputBytes << "\n";
  os << "#define " << prefix << "_OUTPUTS_BYTES " << outputBytes << "\n\n";

  auto describe = [&](const TensorDescription &t, StringRef kind,
                      size_t index) {
    const std::string name =
        entry + "_" + kind.str() + "_" + std::to_string(index);
    const std::string macro =
        prefix + "_" + macroName(kind) + "_" + std::to_string(index);
    os << "/* " << kind << " " << index << ": '" << commentText(t.name) << "', "
       << t.type << " [";
    for (size_t d = 0; d < t.shape.size(); ++d)
      os << (d ? ", " : "") << t.shape[d];
    os << "]";
    if (t.quantized)
      os << ", scale " << llvm::format("%.9g", t.scale) << ", zero point "
         << t.zeroPoint;
    os << " */\n";
    os << "typedef " << t.cType << " " << name << "_t;\n";
    os << "#define " << macro << "_NAME \"" << cString(t.name) << "\"\n";
    os << "#define " << macro << "_BYTES " << t.bytes << "\n";
    os << "#define " << macro << "_RANK " << t.shape.size() << "\n";
    os << "#define " << macro << "_SHAPE {";
    for (size_t d = 0; d < t.shape.size(); ++d)
      os << (d ? ", " : "") << t.shape[d];
    os << "}\n";
    if (t.quantized) {
      os << "#define " << macro << "_SCALE " << llvm::format("%.9g", t.scale)
         << "f\n";
      os << "#define " << macro << "_ZERO_POINT (" << t.zeroPoint << ")\n";
    }
    if (model.ioInArena)
      os << "intptr_t " << name << "(" << arenaParam << "); /* address of the "
         << t.cType << " data in the arena */\n";
    os << "\n";
  };
  for (size_t i = 0; i < model.inputs.size(); ++i)
    describe(model.inputs[i], "input", i);
  for (size_t i = 0; i < model.outputs.size(); ++i)
    describe(model.outputs[i], "output", i);

  // The entry point.
  os << "void " << entry << "(";
  if (model.ioInArena) {
    os << arenaParam;
  } else {
    bool first = true;
    auto param = [&](StringRef kind, size_t k, bool isConst) {
      os << (first ? "" : ", ") << (isConst ? "const " : "") << entry << "_"
         << kind << "_" << k << "_t *" << kind << "_" << k;
      first = false;
    };
    for (size_t k = 0; k < model.inputs.size(); ++k)
      param("input", k, /*isConst=*/true);
    for (size_t k = 0; k < model.outputs.size(); ++k)
      param("output", k, /*isConst=*/false);
    if (model.arenaArgument)
      os << (first ? "" : ", ") << "uint8_t *arena";
    else if (first)
      os << "void";
  }
  os << ");\n\n";

  // Tables for generic drivers.
  auto bytesTable = [&](StringRef kind,
                        const std::vector<TensorDescription> &tensors) {
    os << "static const uint32_t " << entry << "_" << kind << "_bytes[] = {";
    for (size_t i = 0; i < tensors.size(); ++i)
      os << (i ? ", " : "") << tensors[i].bytes;
    if (tensors.empty())
      os << "0";
    os << "};\n";
  };
  bytesTable("input", model.inputs);
  bytesTable("output", model.outputs);
  if (model.ioInArena) {
    auto accessorTable = [&](StringRef kind, size_t count) {
      os << "static intptr_t (*const " << entry << "_" << kind << "s[])("
         << arenaParam << ") = {";
      for (size_t i = 0; i < count; ++i)
        os << (i ? ", " : "") << entry << "_" << kind << "_" << i;
      os << "};\n";
    };
    if (!model.inputs.empty())
      accessorTable("input", model.inputs.size());
    if (!model.outputs.empty())
      accessorTable("output", model.outputs.size());
  }

  // One way to call the model whatever the convention.
  os << "\n/* Runs the model: inputs[k] points to input k's bytes, outputs[k] "
        "to\n   room for output k's. arena: "
     << (model.arenaArgument
             ? "the arena (" + prefix + "_ARENA_SIZE bytes, aligned to " +
                   prefix + "_ARENA_ALIGNMENT)"
             : std::string("unused (the arena is static); pass 0"))
     << "."
     << (model.ioInArena ? "\n   The inputs are copied into the arena and "
                           "the outputs out of it."
                         : "")
     << " */\n";
  os << "static inline void " << entry
     << "_run(const void *const *inputs, void *const *outputs,\n"
     << "    uint8_t *arena) {\n";
  if (!model.arenaArgument)
    os << "  (void)arena;\n";
  if (model.inputs.empty())
    os << "  (void)inputs;\n";
  if (model.outputs.empty())
    os << "  (void)outputs;\n";
  if (model.ioInArena) {
    if (!model.inputs.empty())
      os << "  for (uint32_t k = 0; k < " << prefix << "_NUM_INPUTS; ++k) {\n"
         << "    uint8_t *to = (uint8_t *)" << entry << "_inputs[k]("
         << arenaValue << ");\n"
         << "    const uint8_t *from = (const uint8_t *)inputs[k];\n"
         << "    for (uint32_t b = 0; b < " << entry
         << "_input_bytes[k]; ++b)\n      to[b] = from[b];\n  }\n";
    os << "  " << entry << "(" << arenaValue << ");\n";
    if (!model.outputs.empty())
      os << "  for (uint32_t k = 0; k < " << prefix << "_NUM_OUTPUTS; ++k) {\n"
         << "    const uint8_t *from = (const uint8_t *)" << entry
         << "_outputs[k](" << arenaValue << ");\n"
         << "    uint8_t *to = (uint8_t *)outputs[k];\n"
         << "    for (uint32_t b = 0; b < " << entry
         << "_output_bytes[k]; ++b)\n      to[b] = from[b];\n  }\n";
  } else {
    os << "  " << entry << "(";
    bool first = true;
    for (size_t k = 0; k < model.inputs.size(); ++k, first = false)
      os << (first ? "" : ", ") << "(const " << entry << "_input_" << k
         << "_t *)inputs[" << k << "]";
    for (size_t k = 0; k < model.outputs.size(); ++k, first = false)
      os << (first ? "" : ", ") << "(" << entry << "_output_" << k
         << "_t *)outputs[" << k << "]";
    if (model.arenaArgument)
      os << (first ? "" : ", ") << "arena";
    os << ");\n";
  }
  os << "}\n\n";

  if (!model.profiledLayers.empty()) {
    os << "/* Per-layer profile (--profile-layers): the object calls these "
          "around\n   every layer's code, with the layer's slot below (-1: "
          "code of no layer,\n   such as a tile's window copies). Define "
          "them, e.g. reading a cycle or\n   instruction counter. */\n";
    os << "void ft_profile_begin(int32_t slot);\n";
    os << "void ft_profile_end(int32_t slot);\n";
    os << "#define " << prefix << "_NUM_PROFILED_LAYERS "
       << model.profiledLayers.size() << "\n";
    os << "static const char *const " << entry << "_profiled_layers[] = {\n";
    for (const std::string &name : model.profiledLayers)
      os << "    \"" << cString(name) << "\",\n";
    os << "};\n\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
}
