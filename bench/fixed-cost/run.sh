#!/usr/bin/env bash
# Fixed cost per trial of the MNIST sample: Roslyn build with the trial worker, Roslyn build with a process per
# trial, and dotnet build, side by side in one run.
# Usage: bash bench/fixed-cost/run.sh [trials per path, default 8] [MNIST_TRAIN_LIMIT, default 2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash samples/mnist-cnn/fetch-mnist.sh >/dev/null
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
dotnet run -c Release --project bench/fixed-cost -- "$PWD" "${1:-8}" "${2:-2000}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
