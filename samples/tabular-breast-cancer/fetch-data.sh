#!/usr/bin/env bash
# Fetches the Breast Cancer Wisconsin (Diagnostic) data set (UCI; Street, Wolberg and Mangasarian) as
# scikit-learn ships it inside Debian's python3-sklearn package: downloads that one .deb with apt-get
# (nothing is installed), extracts breast_cancer.csv alone, checks its SHA-256 and puts it in the cache
# folder. Idempotent: does nothing when a file with the right checksum is already there. Never commit it.
set -euo pipefail
dest="${BREAST_CANCER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autotune/breast-cancer}"
file=breast_cancer.csv
# The CSV's checksum, not the .deb's: a later Debian revision that ships the same file still fetches.
sha=fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed
inside=./usr/lib/python3/dist-packages/sklearn/datasets/data/$file

if [ -s "$dest/$file" ] && echo "$sha  $dest/$file" | sha256sum -c --quiet - 2>/dev/null; then
  echo "breast cancer data already in $dest"; exit 0
fi
for tool in apt-get dpkg-deb tar sha256sum; do
  command -v "$tool" >/dev/null || { echo "fetch-data: $tool is needed (a Debian or Ubuntu machine)" >&2; exit 5; }
done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
chmod 755 "$work"   # apt-get download drops to the _apt user, which must be able to read the folder
if ! (cd "$work" && apt-get download -q python3-sklearn) >"$work/apt.log" 2>&1; then
  # A machine that never ran apt-get update has no package lists yet: refresh once, as root only.
  if [ "$(id -u)" = 0 ] && (apt-get update -qq && cd "$work" && apt-get download -q python3-sklearn) >>"$work/apt.log" 2>&1; then :; else
    tail -3 "$work/apt.log" >&2
    echo "fetch-data: apt-get download python3-sklearn failed (see above): run apt-get update and check the Debian mirror" >&2
    exit 5
  fi
fi
deb=$(ls "$work"/python3-sklearn_*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" "$inside"
echo "$sha  $work/$inside" | sha256sum -c --quiet - || { echo "fetch-data: checksum mismatch for $file from $(basename "$deb")" >&2; exit 5; }
mkdir -p "$dest"
mv "$work/$inside" "$dest/$file.part" && mv "$dest/$file.part" "$dest/$file"
echo "breast cancer data fetched into $dest (from $(basename "$deb"))"
