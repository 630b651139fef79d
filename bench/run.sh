#!/usr/bin/env bash
# Every benchmark, each against a baseline in the same JVM. See docs/benchmarks.md for the figures.
# Usage: bench/run.sh [engine|remote|batching|client|tiling|exr|serve]...   (default: all; about five minutes on two cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests -pl bench -am package
run() {
  java -cp "bench/target/classes:bench/target/lib/*" "$@"
  echo
}
wanted="${*:-engine remote batching client tiling exr serve}"
for bench in $wanted; do
  case "$bench" in
    engine)
      # A 1x1 convolution (bench/models/make_bench_models.py): memory-bound, about one multiply-add per value
      # moved, so what the engine adds around ONNX Runtime shows as clearly as on any real operator.
      run io.conduit.bench.LocalEngineOverheadBench bench/models/conv1x1.onnx 200
      # The demo denoiser: a real convolutional model, about a second per 1080p frame on two cores.
      run io.conduit.bench.LocalEngineOverheadBench installer/src/dist/demo/denoiser/package/model.onnx 20 ;;
    remote)
      run io.conduit.bench.RemoteThroughputBench core/src/test/resources/models/invert_nchw.onnx 20 ;;
    batching)
      run io.conduit.bench.BatchingBench bench/models/mlp_batch.onnx 300 ;;
    client)
      # The bridges' path: a million points from the Python client through the agent and back.
      run io.conduit.bench.AgentClientBench core/src/test/resources/models/scale_bias.onnx 1000000 20 ;;
    tiling)
      # Peak memory of tiled inference on an 8K plate, in units of the plate, in place and not.
      run io.conduit.bench.TilingMemoryBench core/src/test/resources/models/invert_nchw.onnx 512 in-place
      run io.conduit.bench.TilingMemoryBench core/src/test/resources/models/invert_nchw.onnx 512 separate ;;
    serve)
      # Start (every model loaded) and shutdown of a service with 363 models against one with a single model.
      run io.conduit.bench.ServeScaleBench core/src/test/resources/models/scale_bias.onnx 363 3 ;;
    exr)
      # PIZ against ZIP for HALF EXR outputs: file size, write and read time on filmed, denoised and rendered plates.
      run io.conduit.bench.ExrCompressionBench 3 ;;
    *) echo "unknown benchmark $bench; expected engine, remote, batching, client, tiling, exr or serve" >&2; exit 2 ;;
  esac
done
