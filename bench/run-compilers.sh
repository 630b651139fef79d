#!/usr/bin/env bash
# Which JIT set-up `conduit run` should start with: the launcher's choice (C1 alone, -XX:TieredStopAtLevel=1) against
# both compilers (-XX:TieredStopAtLevel=4 in CONDUIT_JAVA_OPTS, which comes after the launcher's flags), on the demo's
# 256x256 PNG and on 2K and 4K HALF EXR plates written as EXR and as PNG. Rounds alternate; wall and CPU per run.
# Usage: bench/run-compilers.sh [ROUNDS]   (default 2; works in bench/target/run-compilers, removed at the end)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-2}"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }
./conduit --version >/dev/null
mvn -q -B -DskipTests -pl bench -am package
dist="$root/installer/target/conduit"
pkg="$dist/demo/denoiser/package"
work="$root/bench/target/run-compilers"
rm -rf "$work"
mkdir -p "$work/tmp"
trap 'rm -rf "$work"' EXIT
java "-Djava.io.tmpdir=$work/tmp" -cp "bench/target/classes:bench/target/lib/*" io.conduit.bench.ExrCopy make "$work/2k.exr" 2048 1080 HALF 1
java "-Djava.io.tmpdir=$work/tmp" -cp "bench/target/classes:bench/target/lib/*" io.conduit.bench.ExrCopy make "$work/4k.exr" 4096 2160 HALF 2
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); input -> output, compilers: wall s, CPU s"
for ((r = 0; r < rounds; r++)); do
  for case in "$dist/demo/denoiser/sample_noisy.png out.png" "$work/2k.exr out.exr" "$work/2k.exr out.png" \
      "$work/4k.exr out.exr" "$work/4k.exr out.png"; do
    set -- $case
    for jit in C1 C1+C2; do
      opts="-Djava.io.tmpdir=$work/tmp"
      [ "$jit" = C1 ] || opts="$opts -XX:TieredStopAtLevel=4"
      CONDUIT_JAVA_OPTS="$opts" /usr/bin/time -f "%e %U %S" -o "$work/time" "$dist/bin/conduit" run "$pkg" \
        -i "$1" -o "$work/$2" --device cpu >/dev/null
      read -r wall user sys <"$work/time"
      printf '  %-16s -> %-8s %-6s %5.2f %5.2f\n' "$(basename "$1")" "$2" "$jit" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
    done
  done
done
