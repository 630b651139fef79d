#!/usr/bin/env bash
# The GPU route for real, in one call on a machine with an NVIDIA GPU: builds the GPU distribution when it
# is missing (mvn -Pgpu: ONNX Runtime's CUDA 12 build, in installer/target/conduit-cuda), prints what
# `conduit doctor` says of the GPU route, then runs bench/python/gpu_bench.py: the demo denoiser on its sample
# and on a 1080p and a 4K EXR plate through --device auto (must choose local-gpu), GPU against CPU time in
# the same run, the GPU memory taken, and the fallback to the CPU of a model whose gpuMemoryMiB exceeds the
# free memory. Needs nvidia-smi, python3, and the CUDA 12 libraries and cuDNN 9 that doctor lists.
# Figures: docs/benchmarks.md.
# Usage: bench/gpu.sh [DIST] [ROUNDS]   (default installer/target/conduit-cuda, 3 rounds)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="${1:-$root/installer/target/conduit-cuda}"
rounds="${2:-3}"
command -v nvidia-smi >/dev/null || { echo "FAIL: no nvidia-smi: this needs a machine with an NVIDIA GPU" >&2; exit 1; }
if [ ! -x "$dist/bin/conduit" ]; then
  echo "building the GPU distribution (mvn -Pgpu package)..." >&2
  (cd "$root" && mvn -q -B -Pgpu -DskipTests -pl installer -am package)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp"
export CONDUIT_JAVA_OPTS="-Djava.io.tmpdir=$work/tmp ${CONDUIT_JAVA_OPTS:-}"

"$dist/bin/conduit" doctor | sed -n '/^ONNX Runtime/p;/^GPU route/,/^[A-Z]/{/^GPU route/p;/^ /p}'
python3 "$root/bench/python/gpu_bench.py" "$dist/bin/conduit" "$work" "$rounds"
left="$(ls -A "$work/tmp")"
[ -z "$left" ] || { echo "FAIL: commands left in the temporary folder: $left" >&2; exit 1; }
