#!/usr/bin/python3
"""Optuna as the peer of bench/search: the C# side owns the objective and asks this process for
trials over stdin/stdout, so both sides are scored by the same code on the same space.

Protocol, one JSON object a line. In: {"sampler": "tpe"|"tpe-multivariate"|"random",
"space": [{"name", "kind": "int"|"real"|"choice", "low", "high", "step", "log", "choices"}],
"baseline": {name: value}, "seed": s, "budget": n}. Then per trial: out {"params": {...}}
(a choice as its index), in {"value": v, "stop": bool}. After the study: out {"done": true}.
A line "quit" ends the process.
"""
import json
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def sampler_for(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "tpe-multivariate":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"optuna_peer: unknown sampler {name}")


def distribution(p):
    if p["kind"] == "int":
        step = p.get("step") or 1
        if p.get("log"):
            return optuna.distributions.IntDistribution(p["low"], p["high"], log=True)
        return optuna.distributions.IntDistribution(p["low"], p["high"], step=step)
    if p["kind"] == "real":
        return optuna.distributions.FloatDistribution(p["low"], p["high"], log=bool(p.get("log")))
    return optuna.distributions.CategoricalDistribution(list(range(len(p["choices"]))))


def run(spec):
    study = optuna.create_study(direction="minimize", sampler=sampler_for(spec["sampler"], spec["seed"]))
    dists = {p["name"]: distribution(p) for p in spec["space"]}
    # The code's values are the first trial on both sides (Optuna's enqueue_trial).
    study.enqueue_trial(spec["baseline"])
    for _ in range(spec["budget"]):
        trial = study.ask(dists)
        print(json.dumps({"params": trial.params}), flush=True)
        answer = json.loads(sys.stdin.readline())
        study.tell(trial, answer["value"])
        if answer.get("stop"):
            break
    print(json.dumps({"done": True}), flush=True)


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    if line == "quit":
        break
    run(json.loads(line))
