#!/usr/bin/python3
"""The tabular peer: Optuna's TPE driving scikit-learn's HistGradientBoostingClassifier on the held-out split
of samples/tabular-breast-cancer (the rows its own Split holds out, written by bench/peers/split), AUC with
malignant as the positive class, as the ML.NET sample measures it. The block's values are the first trial
(enqueue_trial); the study ends at the target or after --max-trials. Writes one JSON summary to --out.
Run by bench/peers/run.sh, which sets LAUNCH_NS to the command's start, so Python's start-up is timed."""
import argparse, json, os, sys, time

launch_ns = int(os.environ.get("LAUNCH_NS", time.time_ns()))
since = lambda: (time.time_ns() - launch_ns) / 1e9

# One thread, as the sample's FastTree (NumberOfThreads = 1); scikit-learn's OpenMP would otherwise spin two
# threads on a loaded machine (a fit of 0.3 s took 38 s at load 18).
os.environ["OMP_NUM_THREADS"] = "1"
import numpy as np
import optuna
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

p = argparse.ArgumentParser()
p.add_argument("--csv", required=True)
p.add_argument("--test-rows", required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--target", type=float, default=0.99)
p.add_argument("--max-trials", type=int, default=20)
p.add_argument("--out", required=True)
a = p.parse_args()
optuna.logging.set_verbosity(optuna.logging.WARNING)

# scikit-learn's breast_cancer.csv: a header line "569,30,...", then 30 features and the class (0 = malignant).
rows = np.loadtxt(a.csv, delimiter=",", skiprows=1)
x, y = rows[:, :30], (rows[:, 30] == 0).astype(int)
held = np.zeros(len(rows), dtype=bool)
held[[int(l) for l in open(a.test_rows) if l.strip()]] = True
xtr, ytr, xte, yte = x[~held], y[~held], x[held], y[held]

# The sample's block, in scikit-learn's names. FeatureFraction has no counterpart: Debian's scikit-learn
# (1.2) has no max_features on this estimator, so that side tunes four parameters.
dists = {
    "max_iter": optuna.distributions.IntDistribution(5, 400),                        # NumberOfTrees
    "max_leaf_nodes": optuna.distributions.IntDistribution(2, 64),                   # NumberOfLeaves
    "learning_rate": optuna.distributions.FloatDistribution(0.005, 0.5, log=True),  # LearningRate
    "min_samples_leaf": optuna.distributions.IntDistribution(1, 60),                 # MinimumExampleCountPerLeaf
}
study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=a.seed))
study.enqueue_trial({"max_iter": 10, "max_leaf_nodes": 2, "learning_rate": 0.01, "min_samples_leaf": 50})
trials, reached_at, first_start = [], None, None
for _ in range(a.max_trials):
    trial = study.ask(dists)
    start = since()
    if first_start is None: first_start = start
    clock = time.perf_counter()
    model = HistGradientBoostingClassifier(early_stopping=False, random_state=a.seed, **trial.params).fit(xtr, ytr)
    auc = roc_auc_score(yte, model.predict_proba(xte)[:, 1])
    seconds = time.perf_counter() - clock
    study.tell(trial, auc)
    trials.append({"number": trial.number + 1, "state": "completed", "value": auc, "epochs": 1, "train_s": seconds, "start": start, "end": since(), "params": trial.params})
    print(f"[optuna] trial {trial.number + 1}: auc {auc:.4f} ({seconds:.2f} s) {trial.params}", file=sys.stderr)
    if auc >= a.target:
        reached_at = since()
        break
json.dump({"side": "optuna", "reached": reached_at is not None, "to_target_s": reached_at, "first_start_s": first_start,
           "trials": trials}, open(a.out, "w"))
