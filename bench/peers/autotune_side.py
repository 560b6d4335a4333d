#!/usr/bin/python3
"""Reads one `autotune run` study of bench/peers/run.sh into the same summary the Optuna scripts write: per
trial its epochs, the seconds the program reported for them (training and evaluation), and where the rest of
its time went (build: from the trial's start to its program's start line in trial.log; the program's start,
data and worker: the remainder). Times are seconds since the command's start (--start-ns)."""
import argparse, datetime, glob, json, os, re, sqlite3

p = argparse.ArgumentParser()
p.add_argument("--model", required=True)
p.add_argument("--trials-json", required=True)
p.add_argument("--start-ns", type=int, required=True)
p.add_argument("--end-ns", type=int, required=True)
p.add_argument("--out", required=True)
a = p.parse_args()
start = a.start_ns / 1e9


def at(iso):
    """An ISO time of the study (UTC, 7 decimals) as seconds since the command's start."""
    if not iso: return None
    iso = iso.rstrip("Z")
    whole, _, frac = iso.partition(".")
    t = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
    return t + float("0." + (frac or "0")) - start


listed = json.load(open(a.trials_json))
target = listed["target"]
op = next(o for o in (">=", "<=", ">", "<") if o in target)
goal = float(target.split(op)[1])
met = lambda v: v is not None and {">=": v >= goal, "<=": v <= goal, ">": v > goal, "<": v < goal}[op]
db = sqlite3.connect(os.path.join(a.model, ".autotune", "study.db"))
times = {n: (s, f) for n, s, f in db.execute("select number, started, finished from trials")}
folders = {int(os.path.basename(f)): f for f in glob.glob(os.path.join(a.model, ".autotune", "studies", "*", "trials", "*"))}
trials, reached_at = [], None
for t in listed["trials"]:
    folder = folders.get(t["number"])
    seconds, program = 0.0, None
    if folder and os.path.exists(os.path.join(folder, "metrics.jsonl")):
        seconds = sum(json.loads(l)["seconds"] for l in open(os.path.join(folder, "metrics.jsonl")) if l.strip())
    if folder and os.path.exists(os.path.join(folder, "trial.log")):
        m = re.search(r"autotune: (\S+Z) start \d+", open(os.path.join(folder, "trial.log")).read())
        program = at(m.group(1)) if m else None
    s, f = (at(x) for x in times.get(t["number"], (None, None)))
    trials.append({"number": t["number"], "state": t["state"], "value": t["value"], "epochs": t["epochs"], "train_s": seconds,
                   "start": s, "program_start": program, "end": f, "params": t["values"]})
    if reached_at is None and t["state"] == "completed" and met(t["value"]) and t.get("feasible", True):
        reached_at = f
json.dump({"side": "autotune", "reached": reached_at is not None, "to_target_s": reached_at,
           "first_start_s": trials[0]["start"] if trials else None, "command_s": (a.end_ns - a.start_ns) / 1e9,
           "trials": trials}, open(a.out, "w"))
