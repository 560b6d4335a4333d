#!/usr/bin/env bash
# Autotune beside the tools a user would pick instead (issue 21), on this machine, both sides in one run and
# alternately per seed (autotune seed 1, the peer seed 1, autotune seed 2, ...), so load falls on both alike:
#   tabular: `autotune run samples/tabular-breast-cancer` (its autotune.json: auc>=0.99, 20 trials) against
#            Optuna's TPE driving scikit-learn's HistGradientBoostingClassifier on the same held-out rows;
#   mnist:   `autotune run samples/mnist-cnn --target accuracy>=0.99 --epoch-budget B` against Optuna's TPE
#            with a Hyperband pruner driving the PyTorch twin of the sample over the same space (read from
#            `autotune detect --json`), the same target, the same per-trial epoch cap and the same budget;
#   overhead: one study of OVERHEAD_TRIALS (5) full-MNIST trials of about a minute each on each side (an unreachable
#            target, no pruning; Autotune's trials at most 5 epochs, PyTorch's 2, as each side trains about 12 and
#            37 s an epoch here), once, with the first seed: the share of wall time that is not training.
# The peers are Debian's python3-optuna, python3-torch and python3-sklearn, installed when missing; Python
# is only the peer here, the tool never uses it. Prints the tables and writes them to bench/peers/results/.
# Usage: bash bench/peers/run.sh [seeds=3: seeds 1..3, or a list such as 2,3] [tabular|mnist|overhead|all=all]
# Autotune's build cache starts empty in a scratch folder: each comparison's first seed builds cold (as on a fresh
# machine), later seeds start from the filed build (as every later run of the same project does).
# Settings: MNIST_BUDGET (epochs a study, default 60), MNIST_TARGET (default 0.99), PRUNER (hyperband|sha),
#           MNIST_TRAIN_LIMIT / MNIST_TEST_LIMIT (fewer images on both sides: a smoke run).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
seeds="${1:-3}"
if [[ "$seeds" == *,* ]]; then seed_list="${seeds//,/ }"; else seed_list="$(seq 1 "$seeds")"; fi
what="${2:-all}"
budget="${MNIST_BUDGET:-60}"
target="${MNIST_TARGET:-0.99}"
pruner="${PRUNER:-hyperband}"

missing=()
for pkg in python3-optuna python3-torch python3-sklearn; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/peers: installing ${missing[*]} (the peers)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
fi
bash samples/mnist-cnn/fetch-mnist.sh >/dev/null
bash samples/tabular-breast-cancer/fetch-data.sh >/dev/null
dotnet build tool/Autotune -c Release -v:q -nologo >/dev/null
dotnet build bench/peers/split -c Release -v:q -nologo >/dev/null
tool="$root/tool/Autotune/bin/Release/net10.0/autotune.dll"
py=/usr/bin/python3   # Debian's, where the peers are installed (not a python3 earlier on PATH)
csv="${BREAST_CANCER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autotune/breast-cancer}/breast_cancer.csv"

stamp="$(date -u +%Y%m%d-%H%M%S)"
results="$root/bench/peers/results"
mkdir -p "$results"
scratch="$(mktemp -d)"
copies=()
cleanup() { rm -rf "$scratch" "${copies[@]}"; }
trap cleanup EXIT
dotnet bench/peers/split/bin/Release/net10.0/PeersSplit.dll "$csv" >"$scratch/test-rows.txt"
export AUTOTUNE_BUILD_CACHE="$scratch/build-cache"
dotnet "$tool" detect samples/mnist-cnn --json >"$scratch/mnist-space.json"

now() { date +%s%N; }
# autotune_side NAME SEED SAMPLE ARGS...: a fresh copy of the sample beside it (it inherits the repository's build settings).
autotune_side() {
  local name=$1 seed=$2 sample=$3; shift 3
  local copy="samples/.bench-peers-$name"
  copies+=("$root/$copy")
  rm -rf "$copy"; cp -r "$sample" "$copy"; rm -rf "$copy/.autotune" "$copy/bin" "$copy/obj"
  local start end code=0
  start=$(now)
  CI=true dotnet "$tool" run "$copy" --seed "$seed" --no-apply "$@" >"$scratch/$name-autotune-$seed.log" 2>&1 || code=$?
  end=$(now)
  [ "$code" = 0 ] || [ "$code" = 3 ] || { echo "bench/peers: autotune exited $code on $name seed $seed:"; tail -5 "$scratch/$name-autotune-$seed.log"; }
  CI=true dotnet "$tool" trials "$copy" --json >"$scratch/$name-autotune-$seed.trials.json"
  "$py" bench/peers/autotune_side.py --model "$copy" --trials-json "$scratch/$name-autotune-$seed.trials.json" \
    --start-ns "$start" --end-ns "$end" --out "$summaries/$name-autotune-seed$seed.json"
}
# optuna_side NAME SEED SCRIPT ARGS...
optuna_side() {
  local name=$1 seed=$2 script=$3; shift 3
  local start end code=0
  start=$(now)
  LAUNCH_NS=$start "$py" "$script" --seed "$seed" --out "$summaries/$name-optuna-seed$seed.json" "$@" >"$scratch/$name-optuna-$seed.log" 2>&1 || code=$?
  end=$(now)
  [ "$code" = 0 ] || { echo "bench/peers: $script exited $code on seed $seed:"; tail -5 "$scratch/$name-optuna-$seed.log"; return; }
  "$py" -c 'import json, sys; p = sys.argv[1]; r = json.load(open(p)); r["command_s"] = float(sys.argv[2]); json.dump(r, open(p, "w"))' \
    "$summaries/$name-optuna-seed$seed.json" "$(echo "($end - $start) / 1000000000" | bc -l)"
}

out="$results/$stamp.md"
# The per-seed summaries (every trial's values and times) go beside the tables as each seed ends, so a run
# cut short keeps its seeds: `/usr/bin/python3 bench/peers/table.py bench/peers/results/STAMP mnist` tables them.
summaries="$results/$stamp"
mkdir -p "$summaries"
{
  echo "# bench/peers, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`bash bench/peers/run.sh $seeds $what\` (MNIST_BUDGET=$budget, MNIST_TARGET=$target, PRUNER=$pruner${MNIST_TRAIN_LIMIT:+, MNIST_TRAIN_LIMIT=$MNIST_TRAIN_LIMIT}${MNIST_TEST_LIMIT:+, MNIST_TEST_LIMIT=$MNIST_TEST_LIMIT})"
  echo "at commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- tool samples bench/peers || echo ' (with uncommitted changes)'),"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(. /etc/os-release && echo "$PRETTY_NAME"),"
  echo "Optuna $("$py" -c 'import optuna; print(optuna.__version__)'), PyTorch $("$py" -c 'import torch; print(torch.__version__)'), scikit-learn $("$py" -c 'import sklearn; print(sklearn.__version__)'), .NET $(dotnet --version)."
  echo "Load before: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$out"

if [ "$what" = all ] || [ "$what" = tabular ]; then
  for seed in $seed_list; do
    autotune_side tabular "$seed" samples/tabular-breast-cancer
    optuna_side tabular "$seed" bench/peers/optuna_tabular.py --csv "$csv" --test-rows "$scratch/test-rows.txt" --target 0.99 --max-trials 20
    echo "tabular seed $seed done (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  { echo; echo "## Tabular: held-out AUC >= 0.99, at most 20 trials, the same 142 held-out tumours"; echo
    "$py" bench/peers/table.py "$summaries" tabular; echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."; } | tee -a "$out"
fi
if [ "$what" = all ] || [ "$what" = mnist ]; then
  for seed in $seed_list; do
    autotune_side mnist "$seed" samples/mnist-cnn --target "accuracy>=$target" --epoch-budget "$budget"
    optuna_side mnist "$seed" bench/peers/optuna_mnist.py --space "$scratch/mnist-space.json" --target "$target" --epoch-budget "$budget" --pruner "$pruner"
    echo "mnist seed $seed done (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  { echo; echo "## MNIST CNN: test accuracy >= $target, $budget epochs a study, at most 12 a trial (the Epochs range)"; echo
    "$py" bench/peers/table.py "$summaries" mnist; echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."; } | tee -a "$out"
fi
if [ "$what" = all ] || [ "$what" = overhead ]; then
  seed="${seed_list%% *}"
  trials="${OVERHEAD_TRIALS:-5}"
  autotune_side overhead "$seed" samples/mnist-cnn --target "accuracy>=0.9999" --max-trials "$trials" --max-epochs "${OVERHEAD_EPOCHS_AUTOTUNE:-5}" --no-asha
  optuna_side overhead "$seed" bench/peers/optuna_mnist.py --space "$scratch/mnist-space.json" --target 0.9999 --max-trials "$trials" \
    --pruner none --epochs "${OVERHEAD_EPOCHS_OPTUNA:-2}"
  { echo; echo "## Overhead: $trials full-MNIST trials of about a minute a side, an unreachable target, no pruning"; echo
    "$py" bench/peers/table.py "$summaries" overhead; echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."; } | tee -a "$out"
fi
echo "written: ${out#$root/}"
