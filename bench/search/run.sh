#!/usr/bin/env bash
# Trials to a target on synthetic objectives, Autotune's strategies beside Optuna 3.1's samplers.
# Installs Debian's python3-optuna when missing (the peer only: the tool never uses Python).
# Usage: bash bench/search/run.sh [budget=200] [seeds=30] [--variants] [--no-optuna] [--only NAME]
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c 'import optuna' 2>/dev/null; then
    echo "bench/search: installing python3-optuna (the peer)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-optuna) >/dev/null
fi
dotnet build -c Release bench/search >/dev/null
exec dotnet bench/search/bin/Release/net10.0/SearchBench.dll "$@"
