# -*- Python -*- GoogleTest unit tests, run through lit.

import os

import lit.formats

config.name = "FusedTiling-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.ft_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
