#!/usr/bin/env bash
# Local engine overhead over bare ONNX Runtime, 1920x1080 FP32 input, same JVM. See docs/benchmarks.md.
# Usage: bench/run.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests -pl bench -am package
rounds="${1:-30}"
for model in core/src/test/resources/models/invert_nchw.onnx installer/src/dist/demo/denoiser/package/model.onnx; do
  java -cp "bench/target/classes:bench/target/lib/*" io.conduit.bench.LocalEngineOverheadBench "$model" "$rounds"
  echo
done
