# -*- Python -*- lit configuration of the FusedTiling tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "FusedTiling"
# External shell: golden-model tests loop over seeds.
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ft_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.ft_tools_dir, append_path=True)
# Sanitized builds (FT_ENABLE_SANITIZERS): see CMakeLists.txt.
if getattr(config, "ft_sanitizers", False):
    config.environment["ASAN_OPTIONS"] = "allow_user_poisoning=0:detect_leaks=0:exitcode=99"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=99"
llvm_config.add_tool_substitutions(
    ["ft-opt", "ft-translate", "ft-run", "ft-compare", "ft-tflite-gen",
     "ft-import-fuzzer", "ft-compile", "ft-memory-report"],
    [config.ft_tools_dir])

# Real models and TFLM golden data live outside the checkout; tests that need
# them say "REQUIRES: shared-models" and are reported unsupported without.
shared = os.path.realpath(os.environ.get("FT_SHARED_DIR", config.ft_shared_dir))
config.substitutions.append(("%models", os.path.join(shared, "models")))
config.substitutions.append(("%golden", os.path.join(shared, "golden")))
config.substitutions.append(("%zoo", os.path.join(shared, "zoo")))
config.substitutions.append(("%ops", os.path.join(shared, "ops")))
config.substitutions.append(("%ft_src_root", config.ft_src_root))
config.substitutions.append(("%ft_obj_root", config.ft_obj_root))
config.substitutions.append(("%cxx_compiler", config.cxx_compiler))
config.substitutions.append(("%mlir_dir", config.mlir_dir))
config.substitutions.append(("%scripts", os.path.join(config.test_source_root, "Inputs")))
if os.path.isfile(os.path.join(shared, "golden", "golden.json")):
    config.available_features.add("shared-models")
if os.path.isfile(os.path.join(shared, "zoo", "golden", "golden.json")):
    config.available_features.add("shared-zoo")
if os.path.isfile(os.path.join(shared, "ops", "golden", "golden.json")):
    config.available_features.add("shared-ops")
import shutil
if shutil.which("qemu-riscv32") and os.path.isfile(
        os.path.join(config.llvm_tools_dir, "ld.lld")):
    config.available_features.add("qemu")
# Bare metal: qemu-system-riscv32 (Debian's qemu-system-misc) and ld.lld.
if shutil.which("qemu-system-riscv32") and os.path.isfile(
        os.path.join(config.llvm_tools_dir, "ld.lld")):
    config.available_features.add("qemu-system")
# Cortex-M boards: qemu-system-arm (Debian's qemu-system-arm).
if shutil.which("qemu-system-arm") and os.path.isfile(
        os.path.join(config.llvm_tools_dir, "ld.lld")):
    config.available_features.add("qemu-system-arm")
# Exhaustive runs (the zoo on the Cortex-M4, ...): opt-in, FT_LONG_TESTS=1,
# to keep scripts/test.sh within its time.
if os.environ.get("FT_LONG_TESTS") == "1":
    config.available_features.add("long")
import platform
if platform.machine() in ("x86_64", "AMD64"):
    config.available_features.add("x86_64")
if shutil.which("rsvg-convert"):
    config.available_features.add("rsvg")
if os.path.isfile(os.path.join(config.ft_tools_dir, "ft-import-fuzzer")):
    config.available_features.add("fuzzer")
