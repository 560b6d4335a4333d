#!/usr/bin/env bash
# Docker runner benchmark: container start overhead per trial start, and the toy trainer's training
# samples/s in a container against the process runner, measured in one run (runners alternate over
# three rounds so load from elsewhere falls on both). Starts its own dockerd in a scratch folder (needs
# root and Debian's docker.io) and stops it by its PID. Usage: bash bench/docker/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp)
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build tests/Autotune.Tests -c Release -v:q -nologo >/dev/null
AUTOTUNE_BENCH=1 AUTOTUNE_BENCH_OUT="$out" dotnet test --project tests/Autotune.Tests -c Release --no-build -- \
  --no-progress --filter-class 'Autotune.Tests.Docker.DockerRunnerBenchmark' >/dev/null
cat "$out"
ratio=$(sed -n 's/.*ratio \([0-9.]*\).*/\1/p' "$out")
python3 -c "import sys; r=float(sys.argv[1]); print(f'floor 0.95: {\"met\" if r >= 0.95 else \"NOT met\"} ({r:.3f})')" "$ratio"
rm -f "$out"
