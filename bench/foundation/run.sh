#!/usr/bin/env bash
# Foundation benchmark: trains the MNIST sample with its default block through `autotune train`
# and reports samples/s, wall time to 99.0 % test accuracy, peak memory (RSS of the tool and
# its children) and the tool's own overhead per trial. Usage: bash bench/foundation/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bash samples/mnist-cnn/fetch-mnist.sh >/dev/null
dotnet build tool/Autotune -c Release -v:q -nologo >/dev/null
trial=$(mktemp -d)/trial
rm -rf samples/mnist-cnn/.autotune/build   # cold: the build is part of the first trial's cost
/usr/bin/time -v -o "$trial.time" dotnet tool/Autotune/bin/Release/net10.0/autotune.dll \
  train samples/mnist-cnn --seed 42 --trial-dir "$trial" | tee "$trial.out"
# A second, warm run: the build is incremental, as in every trial after the first.
/usr/bin/time -v -o "$trial.time2" dotnet tool/Autotune/bin/Release/net10.0/autotune.dll \
  train samples/mnist-cnn --seed 42 --epochs 1 --trial-dir "$trial-warm" > "$trial.out2"
python3 - "$trial" <<'PY'
import json, re, sys
t = sys.argv[1]
lines = [json.loads(l) for l in open(t + "/metrics.jsonl")]
cum, reached = 0.0, None
for l in lines:
    cum += l["seconds"]
    if reached is None and l["metrics"]["accuracy"] >= 0.99: reached = (l["epoch"], cum)
sps = [l["metrics"]["samples_per_second"] for l in lines]
def wall(f):
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", open(f).read())
    h, mi, s = m.groups(); return (int(h or 0))*3600 + int(mi)*60 + float(s)
def rss(f): return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f).read()).group(1)) / 1024
res = json.load(open(t + "/result.json"))
w = wall(t + ".time")
train = res["trainingSeconds"]
print(f"epochs: {len(lines)}, final accuracy {lines[-1]['metrics']['accuracy']:.4f}")
print(f"samples/s (training phase, per epoch): first {sps[0]:.0f}, after warm-up median {sorted(sps[1:])[len(sps[1:])//2]:.0f}")
print(f"time to 99.0%: " + (f"epoch {reached[0]}, {reached[1]:.1f} s of training" if reached else "not reached"))
print(f"wall of autotune train (cold build): {w:.1f} s, training+evaluation {train:.1f} s, overhead {w-train:.1f} s ({(w-train)/w:.1%})")
res2 = json.load(open(t + "-warm/result.json")); w2 = wall(t + ".time2")
print(f"wall of autotune train (warm build, 1 epoch): {w2:.1f} s, training+evaluation {res2['trainingSeconds']:.1f} s, overhead {w2-res2['trainingSeconds']:.1f} s ({(w2-res2['trainingSeconds'])/w2:.1%})")
print(f"peak RSS (largest single process): {max(rss(t + '.time'), rss(t + '.time2')):.0f} MiB")
PY
