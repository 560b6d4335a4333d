#!/usr/bin/env bash
# Tabular benchmark: `autotune run` on a copy of the ML.NET sample (samples/tabular-breast-cancer, target
# auc>=0.99 from its autotune.json, at most 12 trials) once per seed, and reports for each: the trials it
# took, the best held-out AUC, the wall time, and how a trial's time splits into build (the first trial's
# dotnet build and the later trials' in-process compiles, averaged) and training.
# Usage: bash bench/tabular/run.sh [seeds...]   (default: 1 2 3 4 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=("${@:-1 2 3 4 5}"); seeds=(${seeds[*]})
bash samples/tabular-breast-cancer/fetch-data.sh >/dev/null
dotnet build tool/Autotune -c Release -v:q -nologo >/dev/null
tool=tool/Autotune/bin/Release/net10.0/autotune.dll
copy=samples/.e2e-bench-tabular   # beside the sample: it inherits the repository's build settings
trap 'rm -rf "$copy"' EXIT
out=$(mktemp -d)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| seed | exit | trials | trial 1 AUC | best AUC | wall s | build s/trial | train s/trial |"
echo "|---|---|---|---|---|---|---|---|"
for seed in "${seeds[@]}"; do
  rm -rf "$copy"; cp -r samples/tabular-breast-cancer "$copy"; rm -rf "$copy/.autotune" "$copy/bin" "$copy/obj"
  start=$(date +%s.%N)
  code=0; CI=true dotnet "$tool" run "$copy" --seed "$seed" --no-apply > "$out/run-$seed.txt" || code=$?
  end=$(date +%s.%N)
  CI=true dotnet "$tool" trials "$copy" --json > "$out/trials-$seed.json"
  python3 - "$seed" "$code" "$start" "$end" "$out/trials-$seed.json" "$copy" <<'PY'
import glob, json, os, re, sys
seed, code, start, end, trials, copy = sys.argv[1:]
t = json.load(open(trials))["trials"]
best = max((x["value"] for x in t if x["value"] is not None), default=float("nan"))
# Per trial: the build log's elapsed time and the seconds the program reported for its one epoch.
builds, trains = [], []
for folder in sorted(glob.glob(os.path.join(copy, ".autotune", "studies", "*", "trials", "*"))):
    log = open(os.path.join(folder, "build.log")).read() if os.path.exists(os.path.join(folder, "build.log")) else ""
    # dotnet build (the first trial, or every trial when the fast build is not used) or the in-process compile.
    m = re.search(r"Time Elapsed (\d+):(\d+):([\d.]+)", log)
    if m: builds.append(int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3)))
    r = re.search(r"compiled in process with Roslyn in (\d+) ms", log)
    if r: builds.append(int(r.group(1)) / 1000)
    metrics = os.path.join(folder, "metrics.jsonl")
    if os.path.exists(metrics):
        trains += [json.loads(l)["seconds"] for l in open(metrics) if l.strip()]
avg = lambda xs: sum(xs) / len(xs) if xs else float("nan")
print(f"| {seed} | {code} | {len(t)} | {t[0]['value']:.4f} | {best:.4f} | {float(end) - float(start):.0f} | {avg(builds):.1f} | {avg(trains):.2f} |")
PY
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
