#!/usr/bin/env bash
# Code the tool has never seen (issue 23): programs written the way teams write them before any tuner,
# each in its own style, each with a target its own values miss and a person's values reach. Every one
# is tuned by a plain `autotune run DIR --target ...` with no autotune.json, on several seeds, and the
# table says whether and when it reached the target. The trial tables go to bench/foreign/results/.
# Usage: bash bench/foreign/run.sh [seeds=3] [max-trials=24] [program-name-filter]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-3}"
max_trials="${2:-24}"
only="${3:-}"
bash "$root/samples/mnist-cnn/fetch-mnist.sh" >/dev/null
bash "$root/samples/tabular-breast-cancer/fetch-data.sh" >/dev/null
dotnet build "$root/tool/Autotune" -c Release -v:q -nologo >/dev/null
tool="$root/tool/Autotune/bin/Release/net10.0/autotune.dll"
results="$root/bench/foreign/results"
mkdir -p "$results"
scratch="$(mktemp -d)"
[ -n "${KEEP:-}" ] && echo "scratch kept: $scratch" || trap 'rm -rf "$scratch"' EXIT

# program folder | how it was written | target (what a person's values reach; the code's own values miss it)
programs=(
  "keras-style-mlp|TorchSharp MLP, SGD, batch size as a loop stride, Keras-style lines with val_accuracy|val_accuracy>=0.92"
  "pytorch-example-cnn|TorchSharp port of PyTorch's MNIST example: Net class, Adadelta + StepLR, its 'Test set: ... Accuracy: 912/1000' lines|accuracy>=0.95"
  "csv-logger-spirals|TorchSharp MLP on three spirals, Adam, per-epoch rows in metrics.csv, nothing parseable printed|val_accuracy>=0.95"
  "mlnet-inline-options|ML.NET FastTree with an inline options object, '.NET P2' percentages printed one a line|auc>=0.99"
)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git -C "$root" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'); seeds 1..$seeds, at most $max_trials trials, no autotune.json"
echo
echo "| program | seed | exit | trial 1 (code's values) | trials to target | best | trials run | wall s |"
echo "|---|---|---|---|---|---|---|---|"
summary=()
for entry in "${programs[@]}"; do
  IFS='|' read -r name style target <<<"$entry"
  [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
  hits=()
  for seed in $(seq 1 "$seeds"); do
    dir="$scratch/$name-$seed"
    rm -rf "$dir"
    cp -r "$root/bench/foreign/programs/$name" "$dir"
    rm -rf "$dir/bin" "$dir/obj" "$dir/.autotune" "$dir/metrics.csv"
    start=$(date +%s.%N)
    set +e
    (cd "$dir" && CI=true dotnet "$tool" run . --target "$target" --max-trials "$max_trials" --seed "$seed") >"$scratch/$name-$seed.log" 2>&1
    code=$?
    set -e
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    dotnet "$tool" trials "$dir" >"$results/$name-seed$seed.txt" 2>&1 || true
    tail -3 "$scratch/$name-$seed.log" >>"$results/$name-seed$seed.txt"
    row=$(dotnet "$tool" trials "$dir" --json | python3 -c '
import json, sys
target = sys.argv[1]
for op in (">=", "<=", ">", "<"):
    if op in target:
        metric, goal = target.split(op); goal = float(goal); break
reached = lambda v: v is not None and (v >= goal if op.startswith(">") else v <= goal) if "=" in op else (v > goal if op == ">" else v < goal)
trials = json.load(sys.stdin)["trials"]
values = [t["value"] for t in trials if t["value"] is not None]
first = next((t["number"] for t in trials if reached(t["value"])), None)
best = (max if op.startswith(">") else min)(values) if values else None
t1 = trials[0]["value"] if trials else None
fmt = lambda v: "-" if v is None else f"{v:.4f}"
hit = str(first) if first else ">" + str(len(trials))
print(f"{fmt(t1)}|{hit}|{fmt(best)}|{len(trials)}")' "$target")
    IFS='|' read -r t1 first best count <<<"$row"
    hits+=("$first")
    printf '| %s | %s | %s | %s | %s | %s | %s | %.0f |\n' "$name" "$seed" "$code" "$t1" "$first" "$best" "$count" "$wall"
  done
  reached=$(printf '%s\n' "${hits[@]}" | grep -vc '^>' || true)
  median=$(printf '%s\n' "${hits[@]}" | sed 's/^>.*/999/' | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; print (m >= 999 ? "missed" : m)}')
  summary+=("| $name | $style | \`$target\` | $reached of ${#hits[@]} | $median |")
done
echo
echo "| program | written as | target | seeds reached | median trials to target |"
echo "|---|---|---|---|---|"
printf '%s\n' "${summary[@]}"
