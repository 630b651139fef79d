#!/usr/bin/env bash
# Local engine overhead over bare ONNX Runtime, 1920x1080 FP32 input, same JVM. See docs/benchmarks.md.
# Usage: bench/run.sh            (about two minutes on two cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests -pl bench -am package
run() {
  java -cp "bench/target/classes:bench/target/lib/*" io.conduit.bench.LocalEngineOverheadBench "$@"
  echo
}
# An elementwise model: inference is cheapest relative to the data moved, so any overhead shows most.
run core/src/test/resources/models/invert_nchw.onnx 200
# The demo denoiser: a real convolutional model, about a second per 1080p frame on two cores.
run installer/src/dist/demo/denoiser/package/model.onnx 20
