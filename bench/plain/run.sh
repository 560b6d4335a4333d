#!/usr/bin/env bash
# Code without the SDK against the same code with it (issue 13): `autotune run` tunes
# tests/programs/plain-mnist (literals inline, Keras-style printed metrics, no SDK) from its printed
# accuracy, and the same study runs on a copy that `init --yes` gave a block and that reports through
# Autotune.Sdk (ReportEpoch, StopRequested). Same target, seed, strategy and budget; one run each,
# side by side. Prints the trials and wall time to the target for both, and their ratio.
# Usage: bash bench/plain/run.sh [target] [seed]   (default accuracy>=0.88, seed 1)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="${1:-accuracy>=0.88}"
seed="${2:-1}"
bash "$root/samples/mnist-cnn/fetch-mnist.sh" >/dev/null
dotnet build "$root/tool/Autotune" -c Release -v:q -nologo >/dev/null
tool="$root/tool/Autotune/bin/Release/net10.0/autotune.dll"
scratch="$(mktemp -d)"
[ -n "${KEEP:-}" ] && echo "scratch kept: $scratch" || trap 'rm -rf "$scratch"' EXIT

cp -r "$root/tests/programs/plain-mnist" "$scratch/plain"
rm -rf "$scratch/plain/obj" "$scratch/plain/bin" "$scratch/plain/.autotune"
cp -r "$scratch/plain" "$scratch/sdk"
# The SDK copy: the block init lifts, then the SDK reports each epoch and hears the stop request.
CI=true dotnet "$tool" init "$scratch/sdk" --yes >/dev/null
python3 - "$scratch/sdk" "$root" <<'PY'
import sys, pathlib
folder, root = pathlib.Path(sys.argv[1]), sys.argv[2]
project = folder / "PlainMnist.csproj"
project.write_text(project.read_text().replace("</Project>",
    f'  <ItemGroup><ProjectReference Include="{root}/tool/Autotune.Sdk/Autotune.Sdk.csproj" /></ItemGroup>\n</Project>'))
program = folder / "Program.cs"
text = program.read_text()
line = next(l for l in text.splitlines() if 'Console.WriteLine($"Epoch {epoch}' in l)
report = ('    Autotune.Trial.Current.ReportEpoch(epoch, new Dictionary<string, double> { ["loss"] = lossSum / batches, ["accuracy"] = accuracy });\n'
          '    if (Autotune.Trial.Current.StopRequested) break;')
assert line in text
program.write_text(text.replace(line, line + "\n" + report))
PY

echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg); target $target, seed $seed, at most 12 trials"
echo "| program | exit | trials | trial 1 accuracy | best accuracy | epochs trained | wall s |"
echo "|---|---|---|---|---|---|---|"
for kind in plain sdk; do
  start=$(date +%s.%N)
  code=0; CI=true dotnet "$tool" run "$scratch/$kind" --target "$target" --seed "$seed" --max-trials 12 --no-apply > "$scratch/run-$kind.txt" 2>&1 || code=$?
  end=$(date +%s.%N)
  CI=true dotnet "$tool" trials "$scratch/$kind" --json > "$scratch/trials-$kind.json"
  python3 - "$kind" "$code" "$start" "$end" "$scratch/trials-$kind.json" <<'PY' | tee -a "$scratch/rows"
import json, sys
kind, code, start, end, trials = sys.argv[1:]
t = json.load(open(trials))["trials"]
best = max((x["value"] for x in t if x["value"] is not None), default=float("nan"))
epochs = sum(x["epochs"] for x in t)
print(f"| {kind} | {code} | {len(t)} | {t[0]['value']:.4f} | {best:.4f} | {epochs} | {float(end) - float(start):.1f} |")
PY
done
python3 - "$scratch/rows" <<'PY'
import sys
rows = [l.split("|") for l in open(sys.argv[1]) if l.startswith("|")]
plain, sdk = float(rows[0][7]), float(rows[1][7])
print(f"wall time plain/sdk: {plain / sdk:.2f}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
