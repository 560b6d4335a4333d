#!/usr/bin/env bash
# Times `autotune detect` cold (new process) and warm (in process) on the sample and on a generated
# project of 200 files / ~50,000 lines, for the plain Release build and for a ReadyToRun publish.
# Usage: bench/detect/run.sh   (from anywhere; prints Markdown rows for bench/RESULTS.md)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
dotnet build -c Release tool/Autotune -v q -nologo >/dev/null
dotnet publish tool/Autotune -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "${TMPDIR:-/tmp}/autotune-r2r" -v q -nologo >/dev/null
dotnet build -c Release bench/detect -v q -nologo >/dev/null
echo "machine: $(nproc) cores, $(. /etc/os-release; echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "## plain Release build (JIT)"
dotnet bench/detect/bin/Release/net10.0/DetectBench.dll tool/Autotune/bin/Release/net10.0/autotune.dll "$repo"
echo "## ReadyToRun publish"
dotnet bench/detect/bin/Release/net10.0/DetectBench.dll "${TMPDIR:-/tmp}/autotune-r2r/autotune.dll" "$repo"
