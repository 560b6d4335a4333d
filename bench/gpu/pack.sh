#!/usr/bin/env bash
# Packs what a GPU machine with PyTorch but no .NET needs to run the MNIST sample (see
# ../shared/ENVIRONMENT.md, "Training on a GPU machine that has PyTorch but no .NET"):
#   app/                     the sample built with plain TorchSharp (no libtorch package: that machine's
#                            PyTorch provides libtorch, CUDA included)
#   dotnet-runtime.tar.xz    the host's .NET runtime (dotnet, host, shared/Microsoft.NETCore.App)
#   mnist.tar.xz             MNIST's four IDX files
# into bench/gpu/.cache/pack (ignored by git, so the device tool carries it with `carry`), and checks
# that it stays under 64 MiB. Usage: bash bench/gpu/pack.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
pack=bench/gpu/.cache/pack
limit=$((64 * 1024 * 1024))
bash samples/mnist-cnn/fetch-mnist.sh >/dev/null
mnist=${MNIST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autotune/mnist}

# A copy of the sample with absolute project paths and its own obj/, so building it without the CPU
# libtorch package (AutotuneCuda=true) does not disturb the sample's own restore.
src=bench/gpu/.cache/src/mnist-cnn
rm -rf "$src" "$pack" && mkdir -p "$src" "$pack"
cp samples/mnist-cnn/*.cs "$src"/
sed "s#\.\./\.\./tool/#$repo/tool/#g" samples/mnist-cnn/MnistCnn.csproj > "$src/MnistCnn.csproj"
dotnet build "$src/MnistCnn.csproj" -c Release -o "$pack/app" -p:AutotuneCuda=true -nologo -v:q -clp:NoSummary
rm -f "$pack"/app/*.pdb "$pack/app/MnistCnn"   # symbols and the apphost: `dotnet MnistCnn.dll` is what runs there

tar cJf "$pack/dotnet-runtime.tar.xz" -C /usr/share/dotnet dotnet host shared/Microsoft.NETCore.App
tar cJf "$pack/mnist.tar.xz" -C "$mnist" train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte
cp bench/gpu/mnist_torch.py "$pack/"

size=$(du -sb "$pack" | cut -f1)
echo "pack: $pack, $((size / 1024 / 1024)) MiB ($size bytes): app $(du -sh "$pack/app" | cut -f1), runtime $(du -sh "$pack/dotnet-runtime.tar.xz" | cut -f1), mnist $(du -sh "$pack/mnist.tar.xz" | cut -f1)"
if [ "$size" -ge "$limit" ]; then echo "pack.sh: $pack is $size bytes, over the 64 MiB the device tool carries: drop something" >&2; exit 1; fi
