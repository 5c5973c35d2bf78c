# How FusedTiling's libraries and tools are declared: the MLIR way
# (add_mlir_library), so that they link against libMLIR.so
# (FT_LINK_MLIR_DYLIB=ON, the default: fast links on two cores) or against
# MLIR's static component libraries (OFF, as IREE-like stacks build MLIR),
# and are installed and exported as FusedTiling::<name> for
# find_package(FusedTiling).

# add_ft_library(name sources...
#   [DEPENDS tablegen-targets...]     generated headers it includes
#   [LINK_LIBS FusedTiling-libs...]   the project's libraries it uses
#   [MLIR_LIBS MLIR-libs...])         MLIR component libraries it uses
function(add_ft_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS;MLIR_LIBS" ${ARGN})
  # DISABLE_INSTALL: add_mlir_library would install into MLIR's own export
  # set; ours follows. EXCLUDE_FROM_LIBMLIR: no object library for an
  # aggregate libMLIR.so, which an out-of-tree project does not build.
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    DISABLE_INSTALL EXCLUDE_FROM_LIBMLIR
    DEPENDS ${ARG_DEPENDS}
    LINK_LIBS PUBLIC ${ARG_LINK_LIBS})
  # libMLIR.so with FT_LINK_MLIR_DYLIB, else the components.
  mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  set_target_properties(${name} PROPERTIES FOLDER "FusedTiling/Libraries")
  install(TARGETS ${name} EXPORT FusedTilingTargets
    ARCHIVE DESTINATION lib${LLVM_LIBDIR_SUFFIX}
    LIBRARY DESTINATION lib${LLVM_LIBDIR_SUFFIX})
  set_property(GLOBAL APPEND PROPERTY FT_EXPORTED_LIBS ${name})
endfunction()

# What a tool that registers everything links besides FusedTiling's
# libraries: libMLIR.so and libLLVM.so, or every MLIR component library
# and every LLVM target.
if(FT_LINK_MLIR_DYLIB)
  set(FT_TOOL_LIBS MLIR LLVM)
else()
  get_property(ft_dialect_libs GLOBAL PROPERTY MLIR_DIALECT_LIBS)
  get_property(ft_conversion_libs GLOBAL PROPERTY MLIR_CONVERSION_LIBS)
  get_property(ft_extension_libs GLOBAL PROPERTY MLIR_EXTENSION_LIBS)
  get_property(ft_translation_libs GLOBAL PROPERTY MLIR_TRANSLATION_LIBS)
  # (Debian lists test libraries among them, and those link libMLIR.so.)
  foreach(list ft_dialect_libs ft_conversion_libs ft_extension_libs
          ft_translation_libs)
    list(FILTER ${list} EXCLUDE REGEX "Test")
  endforeach()
  llvm_map_components_to_libnames(ft_llvm_libs
    AllTargetsAsmParsers AllTargetsCodeGens AllTargetsDescs AllTargetsInfos
    Core MC Object Passes Support Target TargetParser)
  set(FT_TOOL_LIBS ${ft_dialect_libs} ${ft_conversion_libs}
    ${ft_extension_libs} ${ft_translation_libs}
    MLIRRegisterAllDialects MLIRRegisterAllExtensions MLIRRegisterAllPasses
    MLIROptLib MLIRTranslateLib MLIRTargetLLVMIRExport
    MLIRToLLVMIRTranslationRegistration ${ft_llvm_libs})
endif()
# ft-run's JIT. (Debian's static MLIRExecutionEngine itself links
# libMLIR.so: a static ft-run is not possible with that package.)
if(FT_LINK_MLIR_DYLIB)
  set(FT_JIT_LIBS)
else()
  set(FT_JIT_LIBS MLIRExecutionEngine)
endif()
