#!/usr/bin/env bash
# Plates end to end with the demo denoiser on RGB HALF ZIP EXR frames (2K, 2048x1080, unless WIDTH and HEIGHT say): where a single
# `conduit run` and a `conduit batch` of 10 frames spend their wall time outside the model. See docs/benchmarks.md.
# Usage: bench/plates.sh [ROUNDS [WIDTH HEIGHT]]   (default 3 rounds of 2048x1080; each round runs one `run`, one `batch`
#        and the model-only baseline; 4096 2160 for 4K)
#
# Figures per round:
#   run    the CLI's own phases (--json timings: JVM start-up, open, read = EXR decode + tensor, infer = tiling +
#          model, write = tensor + EXR encode) and ONNX Runtime's compute time, against the process's wall time
#          measured outside (/usr/bin/time). Outside the model = 1 - compute / wall.
#   batch  10 frames, --force (no cache hits), against the baseline: the same 10 frames through the model alone
#          (io.conduit.bench.PlateModelOnly, session creation and 10 runs back to back, frames read beforehand) in
#          a JVM of its own, run in the same round. Outside the model = 1 - model-only time / batch wall.
#   phases one frame's work outside the model once compiled (io.conduit.bench.PlateFramePhases): input digest, read,
#          write as HALF PIZ (the default for these plates' colour output) and as FLOAT ZIP (the old default).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-3}"
width="${2:-2048}"
height="${3:-1080}"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }

./conduit --version >/dev/null # builds the distribution when it is missing or stale
mvn -q -B -DskipTests -pl bench -am package
dist="$root/installer/target/conduit"
pkg="$dist/demo/denoiser/package"
work="$root/bench/target/plates"
rm -rf "$work"
mkdir -p "$work/tmp" "$work/out"
trap 'rm -rf "$work"' EXIT
# Every JVM's temporary files (ONNX Runtime's loader makes a folder) go under the work folder, not /tmp.
export CONDUIT_JAVA_OPTS="-Djava.io.tmpdir=$work/tmp"
bench_java=(java "-Djava.io.tmpdir=$work/tmp" -Donnxruntime.native.path="$dist/native/linux-x64"
  -cp "bench/target/classes:bench/target/lib/*")

frames=()
for f in $(seq 1001 1010); do
  "${bench_java[@]}" io.conduit.bench.ExrCopy make "$work/plate.$f.exr" "$width" "$height" HALF "$f"
  frames+=("$work/plate.$f.exr")
done
echo "10 frames ${width}x$height RGB HALF ZIP, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

timed() { # NAME COMMAND...: stdout to $work/NAME.out, "wall cpu rss" to $work/NAME.time
  local name="$1"
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$@" >"$work/$name.out"
}

for ((r = 0; r < rounds; r++)); do
  timed "run-$r" "$dist/bin/conduit" run "$pkg" -i noisy="$work/plate.1001.exr" -o denoised="$work/out/single.exr" \
    --device cpu --json
  timed "batch-$r" "$dist/bin/conduit" batch "$pkg" -i noisy="$work/plate.####.exr" -o denoised="$work/out/den.####.exr" \
    --frames 1001-1010 --force --batch-cache "$work/cache" --device cpu --json
  timed "model-$r" "${bench_java[@]}" io.conduit.bench.PlateModelOnly "$pkg" "${frames[@]}"
done
# One frame's work outside the model, phase by phase, once compiled (io.conduit.bench.PlateFramePhases).
"${bench_java[@]}" io.conduit.bench.PlateFramePhases "$pkg" 3 "${frames[@]:0:3}"
leftover="$(find "$work/tmp" -mindepth 1 | head -1)"
[ -z "$leftover" ] || { echo "a command left $leftover behind" >&2; exit 1; }

python3 - "$work" "$rounds" <<'EOF'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def times(name):
    wall, user, system, rss = open("%s/%s.time" % (work, name)).read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024.0
med = statistics.median
run = []
for r in range(rounds):
    t = json.load(open("%s/run-%d.out" % (work, r)))["timings"]
    wall, cpu, rss = times("run-%d" % r)
    t.update(externalWall=wall * 1000, cpu=cpu, rss=rss)
    run.append(t)
print("conduit run, 1 frame (medians of %d; ms)" % rounds)
for key in ("externalWall", "startupMs", "openMs", "readMs", "inferMs", "computeMs", "writeMs"):
    print("  %-14s %8.0f" % (key, med(t[key] for t in run)))
print("  tiling+engine  %8.0f   (infer - compute)" % med(t["inferMs"] - t["computeMs"] for t in run))
print("  peak RSS %.0f MB, CPU %.2f s" % (med(t["rss"] for t in run), med(t["cpu"] for t in run)))
for r, t in enumerate(run):
    print("  round %d: wall %.0f ms, compute %.0f ms, CPU %.2f s" % (r + 1, t["externalWall"], t["computeMs"], t["cpu"]))
outside = [1 - t["computeMs"] / t["externalWall"] for t in run]
print("  outside the model: %s  (median %.0f %%; target <= 50 %%)" % (
    ", ".join("%.0f %%" % (o * 100) for o in outside), med(outside) * 100))

batch = []
for r in range(rounds):
    t = json.load(open("%s/batch-%d.out" % (work, r)))
    wall, cpu, rss = times("batch-%d" % r)
    model = [line.split() for line in open("%s/model-%d.out" % (work, r))]
    split = [l for l in model if l[0] == "read-split"][0]
    only = [l for l in model if l[0] == "model-only"][0]
    batch.append(dict(wall=wall * 1000, cpu=cpu, rss=rss, startup=t["timings"]["startupMs"], open=t["timings"]["openMs"],
                      frames=t["timings"]["framesMs"], ran=t["ran"], model=float(only[2]), compute=float(only[3]),
                      decode=float(split[1]), tensor=float(split[2]), modelWall=times("model-%d" % r)[0]))
    if t["ran"] != 10:
        sys.exit("batch round %d ran %d frames, expected 10" % (r, t["ran"]))
print("conduit batch, 10 frames (medians of %d; ms)" % rounds)
for key in ("wall", "startup", "open", "frames", "model", "compute"):
    print("  %-14s %8.0f" % (key, med(b[key] for b in batch)))
print("  one frame's read: EXR decode %.0f ms, tensor (layout, sRGB curve) %.0f ms" % (
    med(b["decode"] for b in batch), med(b["tensor"] for b in batch)))
print("  peak RSS %.0f MB, CPU %.2f s" % (med(b["rss"] for b in batch), med(b["cpu"] for b in batch)))
for r, b in enumerate(batch):
    print("  round %d: batch wall %.0f ms, CPU %.2f s; model-only %.0f ms" % (r + 1, b["wall"], b["cpu"], b["model"]))
outside = [1 - b["model"] / b["wall"] for b in batch]
print("  outside the model: %s  (median %.0f %%; target <= 25 %%)" % (
    ", ".join("%.0f %%" % (o * 100) for o in outside), med(outside) * 100))
EOF
