#!/usr/bin/env bash
# Conduit's local engine against other bindings of the same ONNX Runtime version on the same model, threads and
# input: onnxruntime-node (installed here, pinned to the Java dependency's version) and ONNX Runtime's Python API
# (only where python3 already has onnxruntime; skipped otherwise, never installed). See docs/benchmarks.md.
# Usage: bench/peers.sh [ROUNDS [THREADS]]   (default 5 rounds, one thread per core)
# Each round runs every runtime once in a process of its own, the order rotating, each timing CALLS runs after
# three untimed ones; the figure per runtime is the median of its per-process medians, and the ratio is against
# onnxruntime-node. Models: bench/models/conv1x1.onnx at 1080p (memory-bound) and the demo denoiser at 960x540.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-5}"
threads="${2:-$(nproc)}"

mvn -q -B -DskipTests -pl bench -am package
version="$(ls bench/target/lib | sed -n 's/^onnxruntime-\([0-9][0-9.]*\)\.jar$/\1/p')"
[ -n "$version" ] || { echo "cannot find the onnxruntime jar in bench/target/lib" >&2; exit 2; }
work="$root/bench/target/peers"
node_dir="$work/node"
mkdir -p "$node_dir" "$work/tmp"
trap 'rm -rf "$work/tmp"' EXIT
if [ ! -f "$node_dir/node_modules/onnxruntime-node/package.json" ] \
    || ! grep -q "\"version\": \"$version\"" "$node_dir/node_modules/onnxruntime-node/package.json"; then
  echo '{"private": true}' >"$node_dir/package.json"
  # Its install script would download the CUDA provider; the CPU libraries ship in the package itself.
  (cd "$node_dir" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip ONNXRUNTIME_NODE_INSTALL=skip \
    npm install --no-audit --no-fund --cache "$node_dir/.npm-cache" "onnxruntime-node@$version" >/dev/null)
fi
node_version="$(cd "$node_dir" && node -p "require('onnxruntime-node').env.versions.node")"
[ "$node_version" = "$version" ] || { echo "onnxruntime-node is $node_version, Java has $version" >&2; exit 1; }
python_ort=""
if python3 -c "import onnxruntime" 2>/dev/null; then
  python_ort="$(python3 -c "import onnxruntime; print(onnxruntime.__version__)")"
fi
echo "ONNX Runtime $version (Java), onnxruntime-node $node_version, Python: ${python_ort:-skipped (python3 has no onnxruntime)}"
echo "$threads threads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

compare() { # MODEL HEIGHT WIDTH CALLS
  local model="$1" height="$2" width="$3" calls="$4" results="$work/results.txt"
  : >"$results"
  local runners=(conduit node)
  [ -n "$python_ort" ] && runners+=(python)
  for ((r = 0; r < rounds; r++)); do
    for ((k = 0; k < ${#runners[@]}; k++)); do
      case "${runners[(r + k) % ${#runners[@]}]}" in
        conduit) java -Djava.io.tmpdir="$work/tmp" -cp "bench/target/classes:bench/target/lib/*" \
          io.conduit.bench.EnginePeer "$model" "$calls" "$height" "$width" "$threads" "$work/tmp" >>"$results" ;;
        node) NODE_PATH="$node_dir/node_modules" node bench/peers/peer.js "$model" "$calls" "$height" "$width" \
          "$threads" >>"$results" ;;
        python) python3 bench/peers/peer.py "$model" "$calls" "$height" "$width" "$threads" >>"$results" ;;
      esac
    done
  done
  python3 - "$results" "$(basename "$model")" "$height" "$width" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, median, low = line.split()[:3]
    runs.setdefault(name, []).append(float(median))
node = statistics.median(runs["node"])
print("%s, FP32[1, 3, %s, %s]: medians of %d processes" % (sys.argv[2], sys.argv[3], sys.argv[4], len(runs["node"])))
for name in ("conduit", "node", "python"):
    if name in runs:
        m = statistics.median(runs[name])
        print("  %-8s %9.2f ms  (per process: %s)  / node %.3f" % (name, m, ", ".join("%.1f" % v for v in runs[name]), m / node))
EOF
}

compare "$root/bench/models/conv1x1.onnx" 1080 1920 20
compare "$root/installer/src/dist/demo/denoiser/package/model.onnx" 540 960 5
