"""The MNIST sample's network (samples/mnist-cnn, block defaults) in PyTorch, trained the same way:
whole data set on the device, Adam 1e-3, batch 64, test accuracy after every epoch. Prints one JSON
line per epoch (samples/s of the training phase, accuracy, seconds since launch). Run by run.sh."""
import argparse, json, os, struct, sys, time

launch_ns = int(os.environ.get("LAUNCH_NS", time.time_ns()))
import torch  # timed: the import is part of PyTorch's start-up
from torch import nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--device", default="cuda")
p.add_argument("--batch", type=int, default=64)
p.add_argument("--epochs", type=int, default=15)
p.add_argument("--target", type=float, default=0.99)
p.add_argument("--train-limit", type=int, default=0)
p.add_argument("--seed", type=int, default=42)
a = p.parse_args()
device = torch.device(a.device)
torch.manual_seed(a.seed)

def idx(name, images):
    with open(os.path.join(a.data, name), "rb") as f:
        raw = f.read()
    if images:
        n, rows, cols = struct.unpack(">III", raw[4:16])
        t = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, 1, rows, cols).float()
        return ((t / 255.0 - 0.1307) / 0.3081).to(device)
    return torch.frombuffer(bytearray(raw[8:]), dtype=torch.uint8).long().to(device)

xtr, ytr = idx("train-images-idx3-ubyte", True), idx("train-labels-idx1-ubyte", False)
if a.train_limit: xtr, ytr = xtr[:a.train_limit], ytr[:a.train_limit]
xte, yte = idx("t10k-images-idx3-ubyte", True), idx("t10k-labels-idx1-ubyte", False)

# ConvLayers 2, Filters 16 (doubling), KernelSize 5, max pooling, DenseUnits 128, Dropout 0.25.
net = nn.Sequential(
    nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10)).to(device)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)

def sync():
    if device.type == "cuda": torch.cuda.synchronize()

for epoch in range(1, a.epochs + 1):
    net.train()
    sync(); start = time.perf_counter()
    order = torch.randperm(len(xtr), device=device)
    for b in range(0, len(xtr), a.batch):
        i = order[b:b + a.batch]
        loss = F.cross_entropy(net(xtr[i]), ytr[i])
        opt.zero_grad(); loss.backward(); opt.step()
    sync(); train_s = time.perf_counter() - start
    net.eval(); correct = 0
    with torch.no_grad():
        for b in range(0, len(xte), 1000):
            correct += (net(xte[b:b + 1000]).argmax(1) == yte[b:b + 1000]).sum().item()
    acc = correct / len(xte)
    since = (time.time_ns() - launch_ns) / 1e9
    print(json.dumps({"epoch": epoch, "samples_per_second": len(xtr) / train_s, "accuracy": acc, "since_launch": since}), flush=True)
    if acc >= a.target: break
