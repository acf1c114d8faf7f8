#!/usr/bin/env bash
# Puts the photographs of the mnist-tex benchmark dataset (MnistOnTextures.PICTURES) into the
# dataset cache without installing anything: downloads the two Debian packages that ship them
# (apt-get download, no dependencies) and extracts their files into the benchmark's dataset cache,
# ~/.cache/daflow/datasets/mnist-tex/. The generator finds them there (or in the datasets mirror
# folder's mnist-tex/, or installed under /usr/lib/python3/dist-packages) and checks each file's
# SHA-256 (MnistOnTextures.PICTURES).
# Usage: bench/backgrounds.sh   (needs apt-get and dpkg-deb; run `apt-get update` once first)
set -euo pipefail
dest="$HOME/.cache/daflow/datasets/mnist-tex"
work=$(mktemp -d)
chmod 755 "$work" # apt-get download runs as _apt
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download python3-skimage=0.19.3-8 python3-sklearn=1.2.1+dfsg-1
mkdir -p "$dest"
for deb in ./*.deb; do
  dpkg-deb -x "$deb" "$work/root"
done
for f in skimage/data/astronaut.png skimage/data/coffee.png skimage/data/chelsea.png \
    skimage/data/rocket.jpg skimage/data/ihc.png skimage/data/motorcycle_left.png \
    sklearn/datasets/images/china.jpg sklearn/datasets/images/flower.jpg; do
  install -D -m 644 "$work/root/usr/lib/python3/dist-packages/$f" \
    "$dest/usr/lib/python3/dist-packages/$f"
done
echo "photographs in $dest"
