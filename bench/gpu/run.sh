#!/usr/bin/env bash
# Runs on a GPU machine that has PyTorch in python3 but no .NET (the device tool's machines), from a
# copy of this repository that carries bench/gpu/.cache/pack (made here by pack.sh). Trains the MNIST
# sample on CUDA until 99.0 % test accuracy and, in the same run, the same network with the same batch
# size (64, the sample's default) in PyTorch; prints samples/s of both, their ratio, and the wall time
# from each program's launch to 99.0 %.
# Usage: bash bench/gpu/run.sh [device: cuda (default), cuda:N or cpu]
#   EPOCHS (most epochs, default 15), MNIST_TRAIN_LIMIT (subset, for a quick check), PACK (folder),
#   APP (a built sample to use instead of the packed one: the CPU check on a machine without PyTorch
#   needs the build that has the CPU libtorch package).
set -euo pipefail
cd "$(dirname "$0")/../.."
pack=${PACK:-bench/gpu/.cache/pack}
device=${1:-cuda}
epochs=${EPOCHS:-15}
[ -d "$pack" ] || { echo "run.sh: no pack at $pack: run bench/gpu/pack.sh on a machine with the .NET SDK first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dotnet" "$work/mnist" "$work/trial"
tar xJf "$pack/dotnet-runtime.tar.xz" -C "$work/dotnet"
tar xJf "$pack/mnist.tar.xz" -C "$work/mnist"
export DOTNET_ROOT=$work/dotnet PATH=$work/dotnet:$PATH MNIST_DIR=$work/mnist DOTNET_CLI_TELEMETRY_OPTOUT=1
if python3 -c 'import torch' 2>/dev/null; then
  torch_lib=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
  export LD_LIBRARY_PATH=$torch_lib:${LD_LIBRARY_PATH:-}   # TorchSharp's natives link against this libtorch
  has_torch=1
else
  has_torch=0
fi
app=${APP:-$pack/app}
echo "machine: $(nproc) cores; $(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1 || echo 'no nvidia-smi'); load $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%Y-%m-%dT%H:%MZ)"
echo "device $device, batch 64, at most $epochs epochs${MNIST_TRAIN_LIMIT:+, MNIST_TRAIN_LIMIT=$MNIST_TRAIN_LIMIT}"

# TorchSharp: the sample as the tool runs it (trial environment), stopped through the SDK's stop file
# at the end of the first epoch that reaches 99.0 %.
launch=$(date +%s%N)
AUTOTUNE_TRIAL_DIR=$work/trial AUTOTUNE_DEVICE=$device AUTOTUNE_MAX_EPOCHS=$epochs AUTOTUNE_SEED=42 \
  dotnet "$app/MnistCnn.dll" 2>&1 | LAUNCH_NS=$launch TRIAL=$work/trial python3 -c '
import json, os, sys, time
launch, trial, reached = int(os.environ["LAUNCH_NS"]), os.environ["TRIAL"], None
for line in sys.stdin:
    if line.startswith("@@autotune epoch "):
        e = json.loads(line[len("@@autotune epoch "):])
        since = (time.time_ns() - launch) / 1e9
        print(json.dumps({"epoch": e["epoch"], "samples_per_second": e["metrics"]["samples_per_second"], "accuracy": e["metrics"]["accuracy"], "since_launch": since}), flush=True)
        if reached is None and e["metrics"]["accuracy"] >= 0.99:
            reached = since
            open(os.path.join(trial, "stop"), "w").close()
    elif line.startswith("@@autotune device "):
        print("torchsharp " + line.strip()[len("@@autotune "):], file=sys.stderr)
    elif not line.startswith("@@autotune"):
        print("  " + line.rstrip(), file=sys.stderr)
' > "$work/torchsharp.jsonl"

if [ "$has_torch" = 1 ]; then
  LAUNCH_NS=$(date +%s%N) python3 "$pack/mnist_torch.py" --data "$work/mnist" --device "$device" --batch 64 --epochs "$epochs" \
    --train-limit "${MNIST_TRAIN_LIMIT:-0}" > "$work/pytorch.jsonl"
else
  echo "PyTorch: not measured, python3 has no torch module on this machine" >&2
  : > "$work/pytorch.jsonl"
fi

python3 - "$work/torchsharp.jsonl" "$work/pytorch.jsonl" <<'PY'
import json, statistics, sys
def read(f): return [json.loads(l) for l in open(f) if l.strip()]
def summary(name, rows):
    if not rows: print(f"{name}: no epochs"); return None
    sps = [r["samples_per_second"] for r in rows]
    warm = statistics.median(sps[1:]) if len(sps) > 1 else sps[0]
    hit = next((r for r in rows if r["accuracy"] >= 0.99), None)
    to99 = f"{hit['since_launch']:.1f} s (epoch {hit['epoch']})" if hit else f"not reached in {len(rows)} epochs (best {max(r['accuracy'] for r in rows):.4f})"
    print(f"{name}: samples/s first epoch {sps[0]:,.0f}, median after it {warm:,.0f}; wall from launch to 99.0 %: {to99}")
    return warm
ts = summary("TorchSharp 0.107", read(sys.argv[1]))
pt = summary("PyTorch " + ("(python3)"), read(sys.argv[2]))
if ts and pt: print(f"ratio TorchSharp / PyTorch samples/s: {ts / pt:.2f} (goal: at least 0.95)")
PY
