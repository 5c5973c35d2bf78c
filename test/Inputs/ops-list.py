# Prints one line per model of ../shared/ops that TFLM runs, as
# zoo-run.sh and zoo-target.sh take them: its name, its outputs as
# TYPE:BYTES (comma-separated) and, with --arena, TFLM's arena_used_bytes.
import json
import sys

models = json.load(open(sys.argv[1]))["models"]
for name, m in sorted(models.items()):
    if m.get("runs_on_tflm"):
        line = [name, ",".join("%s:%d" % (o["type"], o["bytes"]) for o in m["outputs"])]
        if "--arena" in sys.argv[2:]:
            line.append(str(m.get("arena_used_bytes")))
        print(" ".join(line))
