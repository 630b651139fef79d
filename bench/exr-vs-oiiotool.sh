#!/usr/bin/env bash
# Conduit's EXR reader and writer against OpenImageIO's oiiotool on the same file, compression and core count:
# read a 4K (4096x2160) RGB FLOAT ZIP plate and write it again with ZIP, each in a fresh process, timed by
# /usr/bin/time -v (wall, user + system CPU, peak resident set). Rounds alternate oiiotool / Conduit so that
# load from other processes hits both; medians and Conduit/oiiotool ratios are printed. See docs/benchmarks.md.
# Usage: bench/exr-vs-oiiotool.sh [ROUNDS [THREADS]]   (default 5 rounds, one thread per core)
# Installs Debian's openimageio-tools when oiiotool is missing (the test suite does not need it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-5}"
threads="${2:-$(nproc)}"

if ! command -v oiiotool >/dev/null || ! command -v idiff >/dev/null; then
  echo "installing openimageio-tools (oiiotool, idiff)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openimageio-tools >/dev/null
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }
mvn -q -B -DskipTests -pl bench -am package

work="bench/target/exr-vs-oiiotool"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
java_cmd=(java -Dconduit.exr.threads="$threads" -cp "bench/target/classes:bench/target/lib/*" io.conduit.bench.ExrCopy)
"${java_cmd[@]}" make "$work/plate.exr" 4096 2160
echo "plate: $(oiiotool --info "$work/plate.exr" | cut -d: -f2-), $(stat -c %s "$work/plate.exr") bytes; $threads threads; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

timed() { # NAME ROUND COMMAND...: one run, its figures appended to $work/NAME
  local name="$1" round="$2"
  shift 2
  /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null
  python3 - "$work/time.txt" "$round" >>"$work/$name" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def field(label):
    return re.search(re.escape(label) + r": (\S+)", text).group(1)
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
print("%s %.3f %.3f %d" % (sys.argv[2], seconds, cpu, int(field("Maximum resident set size (kbytes)"))))
EOF
}

for ((r = 0; r < rounds; r++)); do
  if ((r % 2 == 0)); then
    timed oiiotool "$r" oiiotool --threads "$threads" "$work/plate.exr" --compression zip -o "$work/oiio.exr"
    timed conduit "$r" "${java_cmd[@]}" copy "$work/plate.exr" "$work/conduit.exr"
  else
    timed conduit "$r" "${java_cmd[@]}" copy "$work/plate.exr" "$work/conduit.exr"
    timed oiiotool "$r" oiiotool --threads "$threads" "$work/plate.exr" --compression zip -o "$work/oiio.exr"
  fi
done
# Both wrote the same pixels, and each can read the other's file.
idiff -q "$work/oiio.exr" "$work/conduit.exr" >/dev/null || { echo "Conduit's output differs from oiiotool's" >&2; exit 1; }
"${java_cmd[@]}" copy "$work/oiio.exr" "$work/again.exr"

python3 - "$work/oiiotool" "$work/conduit" <<'EOF'
import statistics, sys
def load(path):
    rows = [line.split() for line in open(path)]
    return [statistics.median(float(row[i]) for row in rows) for i in (1, 2, 3)]
oiio, conduit = load(sys.argv[1]), load(sys.argv[2])
print("medians of %d rounds     wall       CPU (user+sys)   peak RSS" % len(open(sys.argv[1]).readlines()))
print("  oiiotool          %7.2f s   %7.2f s        %6.0f MB" % (oiio[0], oiio[1], oiio[2] / 1024))
print("  Conduit (Java)    %7.2f s   %7.2f s        %6.0f MB" % (conduit[0], conduit[1], conduit[2] / 1024))
print("  Conduit/oiiotool  %7.2f     %7.2f          %6.2f" % (conduit[0] / oiio[0], conduit[1] / oiio[1], conduit[2] / oiio[2]))
EOF
