#!/usr/bin/env python3
"""Table of the strategy benchmark: per strategy, the median over seeds of the training epochs and
the wall time until the target was reached. A study that spent its budget without reaching the
target counts as infinitely many epochs (it never got there), so a median can be 'not reached'.
Usage: python3 bench/strategies/analyze.py bench/strategies/results/<run-id>.jsonl"""
import json, math, statistics, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
order = ["grow", "grow+asha", "random", "tpe", "tpe+asha"]
strategies = [s for s in order if any(r["strategy"] == s for r in rows)] + sorted({r["strategy"] for r in rows} - set(order))
# Compare only seeds every strategy finished, so a run stopped early stays a fair comparison.
seeds = sorted(set.intersection(*({r["seed"] for r in rows if r["strategy"] == s} for s in strategies))) if strategies else []

def median(values):
    return statistics.median(values) if values else math.nan

def fmt(v, digits=0):
    return "not reached" if v == math.inf else ("-" if isinstance(v, float) and math.isnan(v) else f"{v:.{digits}f}")

print(f"seeds compared: {', '.join(map(str, seeds))}\n")
print("| strategy | reached (seeds) | median epochs to target | median wall s to target | epochs per seed | trials per seed | load (1 min) before..after |")
print("|---|---|---|---|---|---|---|")
medians = {}
for s in strategies:
    rs = sorted((r for r in rows if r["strategy"] == s and r["seed"] in seeds), key=lambda r: r["seed"])
    eps = [r["epochs"] if r["reached"] else math.inf for r in rs]
    walls = [r["wall_s"] if r["reached"] else math.inf for r in rs]
    medians[s] = median(eps)
    per_seed = ", ".join(f"{r['epochs']}{'' if r['reached'] else '*'}" for r in rs)
    trials = ", ".join(str(r["trial_reached"] or f"{r['trials']}*") for r in rs)
    load = ", ".join(f"{r['load_before'].split()[0]}..{r['load_after'].split()[0]}" for r in rs)
    print(f"| {s} | {sum(r['reached'] for r in rs)}/{len(rs)} | {fmt(medians[s])} | {fmt(median(walls))} | {per_seed} | {trials} | {load} |")
print("\n`*`: target not reached; the epochs are the whole budget spent.")
if {"random", "tpe+asha"} <= medians.keys():
    a, r = medians["tpe+asha"], medians["random"]
    others = [v for k, v in medians.items() if k != "tpe+asha"]
    half = a <= r / 2 if r != math.inf else a != math.inf
    fewest = all(a < v for v in others)
    print(f"\ngoal (tpe+ASHA at most half of random's epochs and fewer than every other strategy, median): "
          f"half of random: {'met' if half else 'missed'} ({fmt(a)} vs {fmt(r)}); fewest: {'met' if fewest else 'missed'}")
