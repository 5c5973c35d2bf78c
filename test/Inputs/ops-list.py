# Prints one line per model of ../shared/ops that TFLM runs: its name and,
# per output, TYPE:BYTES (the arguments of ops-run.sh after the name).
import json
import sys

models = json.load(open(sys.argv[1]))["models"]
for name, m in sorted(models.items()):
    if m.get("runs_on_tflm"):
        print(name, " ".join("%s:%d" % (o["type"], o["bytes"]) for o in m["outputs"]))
