#!/usr/bin/env bash
# Last step on the device machine: checks and joins the parts that earlier calls copied to $PARTS (default
# /tmp/g), unpacks the GPU distribution prepare.sh made, and runs bench/gpu.sh against it. cuDNN 9 is the
# machine's own (the nvidia-cudnn-cu13 Python package beside PyTorch). All go on LD_LIBRARY_PATH, where
# ONNX Runtime's CUDA provider looks for its libraries.
# Usage: run_on_device.sh BENCH_DIR [ROUNDS]   (BENCH_DIR holds gpu.sh and python/, as prepare.sh lays out)
set -euo pipefail
bench="$(cd "$1" && pwd)"
rounds="${2:-3}"
parts="${PARTS:-/tmp/g}"
[ "$(cat "$parts"/dist.tar.xz.* | sha256sum | cut -c1-64)" = "$(cat "$parts/dist.sha256")" ] \
  || { echo "FAIL: the parts in $parts are incomplete or corrupt" >&2; exit 1; }
rm -rf /tmp/d && mkdir -p /tmp/d
cat "$parts"/dist.tar.xz.* | xz -d -T0 | tar -x -C /tmp/d
cudnn="$(python3 -c 'import nvidia.cudnn as c; print(list(c.__path__)[0])')/lib"
# The provider has no RUNPATH: the CUDA 12 runtime and the stand-ins beside it are found through the path.
export LD_LIBRARY_PATH="/tmp/d/conduit/native/linux-x64:$cudnn${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "cuDNN 9 from $cudnn"
bash "$bench/gpu.sh" /tmp/d/conduit "$rounds"
