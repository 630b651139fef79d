#!/usr/bin/env bash
# Prepares bench/gpu.sh for this workplace's device machine, which has an NVIDIA GPU but no JDK, no Maven,
# no internet, CUDA 13-era libraries only (PyTorch cu130, nvidia-cudnn-cu13), and takes at most 64 MiB per
# call (files in its /tmp survive between calls while it stays warm, 30 s idle). What goes there:
#   - the built CPU distribution (bundled Java runtime, jars) with native/linux-x64 swapped for ONNX
#     Runtime's CUDA build (onnxruntime_gpu, the pom's version, from Maven Central: CUDA 12 + cuDNN 9);
#   - libcudart.so.12, the real CUDA 12 runtime (JavaCPP's cuda-redist jar on Maven Central), in the same
#     folder, which run_on_device.sh puts on LD_LIBRARY_PATH (the provider has no RUNPATH);
#   - stand-ins for cuBLAS, cuBLASLt, cuFFT and cuRAND 12 (cuda_stubs.sh; the real ones are 880 MB and the
#     demo denoiser calls none of them), so figures from this harness are for convolutional models only.
# All of it, xz-compressed (about 200 MB, mostly the 369 MB CUDA provider), is cut into parts of 57 MB:
# call k carries OUT/pk and copies it to /tmp/g; the last part also holds bench/, and its call runs
# bench/device/run_on_device.sh. Four calls in all; see docs/benchmarks.md ("The GPU route").
# Usage: bench/device/prepare.sh OUT_DIR [DIST]   (DIST: default installer/target/conduit, built by ./conduit)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$1"
dist="$(cd "${2:-$root/installer/target/conduit}" && pwd)"
ort="$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' "$root/pom.xml")"
central=https://repo1.maven.org/maven2
work="$out/work"
mkdir -p "$work"
[ -f "$work/ort-gpu.jar" ] || curl -fsS -o "$work/ort-gpu.jar" \
  "$central/com/microsoft/onnxruntime/onnxruntime_gpu/$ort/onnxruntime_gpu-$ort.jar"
[ -f "$work/cuda-redist.jar" ] || curl -fsS -o "$work/cuda-redist.jar" \
  "$central/org/bytedeco/cuda-redist/12.9-9.10-1.5.12/cuda-redist-12.9-9.10-1.5.12-linux-x86_64.jar"

rm -rf "$work/conduit" && cp -a "$dist" "$work/conduit"
cd "$work/conduit"
rm -rf native lib/conduit.jsa lib/conduit.jsa.home lib/onnxruntime*.jar && mkdir -p native/linux-x64
unzip -q -j -o "$work/ort-gpu.jar" 'ai/onnxruntime/native/linux-x64/*' -x '*tensorrt*' -d native/linux-x64
cp "$work/ort-gpu.jar" "lib/onnxruntime_gpu-$ort.jar" && zip -q -d "lib/onnxruntime_gpu-$ort.jar" 'ai/onnxruntime/native/*'
unzip -q -j -o "$work/cuda-redist.jar" 'org/bytedeco/cuda/linux-x86_64/libcudart.so.12' -d native/linux-x64
bash "$root/bench/device/cuda_stubs.sh" native/linux-x64/libonnxruntime_providers_cuda.so native/linux-x64

cd "$work"
tar -cf - conduit | xz -T0 -6 >dist.tar.xz
rm -rf "$out"/p[0-9]* && split -b 57000000 -d -a 2 dist.tar.xz "$work/dist.tar.xz."
n=0
for part in "$work"/dist.tar.xz.[0-9]*; do
  n=$((n + 1)); mkdir -p "$out/p$n"; mv "$part" "$out/p$n/"
done
sha256sum dist.tar.xz | cut -c1-64 >"$out/p$n/dist.sha256"
mkdir -p "$out/p$n/bench/python" "$out/p$n/bench/device"
cp "$root/bench/gpu.sh" "$out/p$n/bench/"
cp "$root/bench/python/gpu_bench.py" "$out/p$n/bench/python/"
cp "$root/bench/device/run_on_device.sh" "$out/p$n/bench/device/"
echo "$n parts in $out (copy OUT into the repository under an ignored folder, e.g. .gpu/, and carry one per call):"
for k in $(seq 1 "$n"); do
  if [ "$k" -lt "$n" ]; then
    echo "  call $k: mkdir -p /tmp/g && cp .gpu/p$k/* /tmp/g/"
  else
    echo "  call $k: cp .gpu/p$k/dist.* /tmp/g/ && bash .gpu/p$k/bench/device/run_on_device.sh .gpu/p$k/bench 3"
  fi
done
