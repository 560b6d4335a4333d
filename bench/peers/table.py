#!/usr/bin/python3
"""The tables of bench/peers/run.sh from the per-seed summaries (COMPARISON-SIDE-seedN.json) in one folder:
one row per side and seed, then one row per side with the medians and where the wall time went."""
import glob, json, os, re, statistics, sys

folder, comparison = sys.argv[1], sys.argv[2]
runs = {}
for path in sorted(glob.glob(os.path.join(folder, f"{comparison}-*-seed*.json"))):
    side, seed = re.match(rf"{comparison}-(\w+)-seed(\d+)\.json$", os.path.basename(path)).groups()
    runs.setdefault(side, []).append((int(seed), json.load(open(path))))


def parts(r):
    t = r["trials"]
    last = max((x["end"] for x in t if x["end"] is not None), default=0.0)
    train = sum(x["train_s"] for x in t)
    inside = sum(x["end"] - x["start"] for x in t if x["end"] is not None and x["start"] is not None)
    build = sum(x["program_start"] - x["start"] for x in t if x.get("program_start") is not None and x["start"] is not None)
    first_build = (t[0]["program_start"] - t[0]["start"]) if t and t[0].get("program_start") is not None else 0.0
    return {
        "once": (r["first_start_s"] or 0.0) + first_build + (r.get("command_s", last) - last),
        "per_trial": (inside - train + (last - (r["first_start_s"] or 0.0) - inside) - first_build) / len(t) if t else 0.0,
        "to_target": r["to_target_s"] if r["reached"] else None,
        "best": max((x["value"] for x in t if x["value"] is not None), default=None),
        "epochs": sum(x["epochs"] for x in t), "trials": len(t), "train": train, "wall": r.get("command_s", last),
        "fixed": (last - train) / len(t) if t else None,
        "start": r["first_start_s"] or 0.0, "build": build, "in_trial": inside - build - train,
        "between": last - (r["first_start_s"] or 0.0) - inside, "after": r.get("command_s", last) - last,
    }


f = lambda v, d=1: "-" if v is None else f"{v:.{d}f}"
print(f"| side | seed | reached | s to target | best | epochs | trials | train+eval s | fixed s/trial | wall s |")
print("|---|---|---|---|---|---|---|---|---|---|")
for side, rs in sorted(runs.items()):
    for seed, r in sorted(rs, key=lambda x: x[0]):
        q = parts(r)
        print(f"| {side} | {seed} | {'yes' if r['reached'] else 'no'} | {f(q['to_target'])} | {f(q['best'], 4)} | {q['epochs']} | {q['trials']} | "
              f"{f(q['train'])} | {f(q['fixed'], 2)} | {f(q['wall'])} |")
print()
print("| side | reached (seeds) | median s to target | median epochs | median trials | median fixed s/trial | "
      "start s | build s | in trials, not training s | between trials s | after s |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
med = lambda xs: statistics.median(xs) if xs else None
for side, rs in sorted(runs.items()):
    qs = [parts(r) for _, r in rs]
    hits = [q["to_target"] for q in qs if q["to_target"] is not None]
    # The median time to target counts a miss as never (infinite): it is a number only when most seeds reached.
    times = sorted(q["to_target"] if q["to_target"] is not None else float("inf") for q in qs)
    m = med(times)
    print(f"| {side} | {len(hits)} of {len(qs)} | {'missed' if m is None or m == float('inf') else f(m)} | "
          f"{f(med([q['epochs'] for q in qs]), 0)} | {f(med([q['trials'] for q in qs]), 0)} | {f(med([q['fixed'] for q in qs]), 2)} | "
          + " | ".join(f(med([q[k] for q in qs])) for k in ("start", "build", "in_trial", "between", "after")) + " |")
print()
print("s to target: from the command's start to the end of the first trial at the target. fixed s/trial: (end of the "
      "last trial - training and evaluation) / trials, so the start and the first build count. start: to the first trial's "
      "start (tool and study, or Python's imports and the data). build: Autotune's builds (trial 1's dotnet build, later "
      "trials' in-process compiles). in trials, not training: the program's start, data and set-up in each trial. "
      "between trials: the search and the study's records. after: the report, the exit.")

# Not measured with 60 s trials: this run's fixed costs (once: start, first build, after; per trial: the rest
# of each trial and the time between trials) applied to a study of 20 trials that each train for 60 s.
print()
print("| side | once s | per trial s | orchestration share at 20 trials of 60 s (derived) | share of this run's wall not training (measured) |")
print("|---|---|---|---|---|")
for side, rs in sorted(runs.items()):
    qs = [parts(r) for _, r in rs]
    once, per = med([q["once"] for q in qs]), med([q["per_trial"] for q in qs])
    measured = med([(q["wall"] - q["train"]) / q["wall"] for q in qs if q["wall"]])
    print(f"| {side} | {f(once)} | {f(per, 2)} | {100 * (once + 20 * per) / (once + 20 * per + 20 * 60):.1f} % | "
          f"{'-' if measured is None else f'{100 * measured:.1f} %'} |")
