#!/usr/bin/python3
"""The MNIST peer: Optuna's TPE with a Hyperband pruner driving the PyTorch twin of samples/mnist-cnn.

The search space is the sample's block as `autotune detect samples/mnist-cnn --json` prints it (--space), so
both sides search the same parameters over the same ranges; the block's values are the first trial
(enqueue_trial). The network is Net.cs's family (ConvLayers conv layers of Filters << i channels, kernel
KernelSize, max or avg pooling, a DenseUnits head with Dropout), trained as Program.cs trains it: Adam,
BatchSize, Epochs epochs, test accuracy over the test images after every epoch. MNIST is read once, as a
PyTorch user writes it. The study ends at the target, when --epoch-budget epochs are spent (no new trial
starts; the running one finishes, as `autotune run --epoch-budget` does) or after --max-trials trials.
MNIST_TRAIN_LIMIT / MNIST_TEST_LIMIT limit the images, as the sample's own variables do. Writes one JSON
summary to --out. bench/peers/run.sh sets LAUNCH_NS to the command's start, so Python's start-up is timed."""
import argparse, json, os, struct, sys, time

launch_ns = int(os.environ.get("LAUNCH_NS", time.time_ns()))
since = lambda: (time.time_ns() - launch_ns) / 1e9

import optuna
import torch
from torch import nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--space", required=True, help="autotune detect --json output of the sample")
p.add_argument("--data", default=os.environ.get("MNIST_DIR") or os.path.expanduser("~/.cache/autotune/mnist"))
p.add_argument("--seed", type=int, default=1)
p.add_argument("--target", type=float, default=0.99)
p.add_argument("--epoch-budget", type=int, default=0)
p.add_argument("--max-trials", type=int, default=0, help="0: 20 without an epoch budget, else no limit (autotune's rule)")
p.add_argument("--pruner", choices=["hyperband", "sha", "none"], default="hyperband")
p.add_argument("--epochs", type=int, default=0, help="every trial trains this many epochs (0: the Epochs drawn)")
p.add_argument("--out", required=True)
a = p.parse_args()
optuna.logging.set_verbosity(optuna.logging.WARNING)
# Debian's PyTorch starts with one thread here; libtorch under TorchSharp takes every core: the same on both sides.
torch.set_num_threads(os.cpu_count())
max_trials = a.max_trials or (10**9 if a.epoch_budget else 20)


def idx(name, images, limit):
    with open(os.path.join(a.data, name), "rb") as f:
        raw = f.read()
    if images:
        n, rows, cols = struct.unpack(">III", raw[4:16])
        t = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, 1, rows, cols).float()
        t = (t / 255.0 - 0.1307) / 0.3081
    else:
        t = torch.frombuffer(bytearray(raw[8:]), dtype=torch.uint8).long()
    return t[:limit] if limit else t


train_limit, test_limit = int(os.environ.get("MNIST_TRAIN_LIMIT") or 0), int(os.environ.get("MNIST_TEST_LIMIT") or 0)
xtr, ytr = idx("train-images-idx3-ubyte", True, train_limit), idx("train-labels-idx1-ubyte", False, train_limit)
xte, yte = idx("t10k-images-idx3-ubyte", True, test_limit), idx("t10k-labels-idx1-ubyte", False, test_limit)

# The space and the first trial, from the sample's block.
block = json.load(open(a.space))["block"]["parameters"]
dists, baseline = {}, {}
for q in block:
    d = q["domain"]
    if d["kind"] == "int":
        dists[q["name"]] = optuna.distributions.IntDistribution(d["min"], d["max"], log=d.get("log", False), step=1 if d.get("log") else d.get("step", 1))
    elif d["kind"] == "real":
        dists[q["name"]] = optuna.distributions.FloatDistribution(d["min"], d["max"], log=d.get("log", False))
    else:
        dists[q["name"]] = optuna.distributions.CategoricalDistribution(d["values"])
    baseline[q["name"]] = q["current"]
max_epochs = dists["Epochs"].high


class Net(nn.Module):
    """Net.cs: convLayers x (conv, ReLU, pool), flatten, dense, ReLU, dropout, 10 outputs."""
    def __init__(self, conv_layers, filters, kernel, pooling, dense, dropout):
        super().__init__()
        layers, channels, size = [], 1, 28
        for i in range(conv_layers):
            width = filters << i
            layers += [nn.Conv2d(channels, width, kernel, padding=kernel // 2), nn.ReLU(),
                       nn.MaxPool2d(2) if pooling == "max" else nn.AvgPool2d(2)]
            channels, size = width, size // 2
        layers += [nn.Flatten(), nn.Linear(channels * size * size, dense), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dense, 10)]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


def evaluate(net):
    net.eval(); correct = 0
    with torch.no_grad():
        for b in range(0, len(xte), 1000):
            correct += (net(xte[b:b + 1000]).argmax(1) == yte[b:b + 1000]).sum().item()
    return correct / len(xte)


pruner = (optuna.pruners.HyperbandPruner(min_resource=1, max_resource=max_epochs, reduction_factor=3) if a.pruner == "hyperband"
          else optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3) if a.pruner == "sha"
          else optuna.pruners.NopPruner())
study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=a.seed), pruner=pruner)
study.enqueue_trial(baseline)
trials, reached_at, spent = [], None, 0
while len(trials) < max_trials and reached_at is None and not (a.epoch_budget and spent >= a.epoch_budget):
    trial = study.ask(dists)
    v, start, train_s, epochs, acc, state = trial.params, since(), 0.0, 0, None, "completed"
    torch.manual_seed(a.seed * 1000 + trial.number)
    net = Net(v["ConvLayers"], v["Filters"], v["KernelSize"], v["Pooling"], v["DenseUnits"], v["Dropout"])
    opt = torch.optim.Adam(net.parameters(), lr=v["LearningRate"])
    for epoch in range(1, (a.epochs or v["Epochs"]) + 1):
        clock = time.perf_counter()
        net.train()
        order = torch.randperm(len(xtr))
        for b in range(0, len(xtr), v["BatchSize"]):
            i = order[b:b + v["BatchSize"]]
            loss = F.cross_entropy(net(xtr[i]), ytr[i])
            opt.zero_grad(); loss.backward(); opt.step()
        acc = evaluate(net)
        train_s += time.perf_counter() - clock
        epochs, spent = epoch, spent + 1
        print(f"[optuna] trial {trial.number + 1} epoch {epoch}: accuracy {acc:.4f} ({time.perf_counter() - clock:.1f} s)", file=sys.stderr)
        if acc >= a.target:
            reached_at = since()
            break
        trial.report(acc, epoch)
        if trial.should_prune():
            state = "pruned"
            break
    if state == "pruned":
        study.tell(trial, state=optuna.trial.TrialState.PRUNED)
    else:
        study.tell(trial, acc)
    trials.append({"number": trial.number + 1, "state": state, "value": acc, "epochs": epochs, "train_s": train_s,
                   "start": start, "end": since(), "params": v})
    print(f"[optuna] trial {trial.number + 1} {state}: accuracy {acc:.4f} after {epochs} epoch(s) {v}", file=sys.stderr)
json.dump({"side": "optuna", "reached": reached_at is not None, "to_target_s": reached_at,
           "first_start_s": trials[0]["start"] if trials else None, "trials": trials}, open(a.out, "w"))
