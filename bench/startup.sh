#!/usr/bin/env bash
# Start-up of the built distribution, as ratios against the bare bundled JVM (`java -version`) in the same
# run: `conduit --version` with and without class-data sharing, `conduit run` of the demo model on its
# sample, `conduit serve` of the demo until live and until ready, and a cold `conduit agent` until its first
# inference has come back (bench/python/first_answer.py; those rows' wall time is until the answer, their CPU
# time the whole process's, shutdown included). Also checks the layout that makes start-up cheap (ONNX Runtime's libraries in native/, none in its
# jar, the runtime's and the application's CDS archives) and that no command left anything in a private
# temporary folder. Figures: docs/benchmarks.md.
# Usage: bench/startup.sh [ROUNDS] [DIST]   (default 15 rounds of installer/target/conduit; ./conduit builds it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-15}"
dist="$(cd "${2:-$root/installer/target/conduit}" && pwd)"
fail() { echo "FAIL: $*" >&2; exit 1; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64) platform=linux-aarch64 ;;
  Darwin-x86_64) platform=osx-x64 ;;
  Darwin-arm64) platform=osx-aarch64 ;;
  *) fail "no ONNX Runtime build for $(uname -sm)" ;;
esac
ls "$dist/native/$platform/"*onnxruntime* >/dev/null 2>&1 || fail "no ONNX Runtime libraries in $dist/native/$platform"
for jar in "$dist"/lib/onnxruntime*.jar; do
  ! unzip -l "$jar" | grep -q 'ai/onnxruntime/native/.*onnxruntime' || fail "$jar still holds native libraries"
done
[ -f "$dist/runtime/lib/server/classes.jsa" ] || fail "the bundled runtime has no CDS archive (jlink --generate-cds-archive)"
java="$dist/runtime/bin/java"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp"
# Every JVM below writes its temporary files in $work/tmp, which must be empty at the end.
export CONDUIT_JAVA_OPTS="-Djava.io.tmpdir=$work/tmp"
"$dist/bin/conduit" --version >/dev/null   # makes lib/conduit.jsa if this folder has none for itself yet
[ -f "$dist/lib/conduit.jsa" ] || fail "no application CDS archive (lib/conduit.jsa) was made"
shared="$(CONDUIT_JAVA_OPTS="$CONDUIT_JAVA_OPTS -Xlog:class+load" "$dist/bin/conduit" --help \
  | grep -c 'shared objects file (top)' || true)"
echo "conduit --help: $shared classes from the application archive (lib/conduit.jsa)"
[ "$shared" -gt 0 ] || fail "the application archive was not used"

demo="$dist/demo/denoiser"
python3 "$root/bench/python/timed_runs.py" "$rounds" \
  "java -version (bundled JVM)=$java -version" \
  "conduit --version=$dist/bin/conduit --version" \
  "conduit --version, runtime CDS only=CONDUIT_CDS=off $dist/bin/conduit --version" \
  "conduit --version, no CDS=CONDUIT_CDS=off CONDUIT_JAVA_OPTS='-Xshare:off -Djava.io.tmpdir=$work/tmp' $dist/bin/conduit --version" \
  "conduit run demo (256x256, CPU)=$dist/bin/conduit run $demo/package -i $demo/sample_noisy.png -o $work/out.png --device cpu" \
  "conduit serve demo, live=python3 $root/bench/python/first_answer.py serve-live $dist" \
  "conduit serve demo, ready=python3 $root/bench/python/first_answer.py serve-ready $dist" \
  "agent cold start to 1st inference=python3 $root/bench/python/first_answer.py agent $dist"

left="$(ls -A "$work/tmp")"
[ -z "$left" ] || fail "commands left in the temporary folder: $left"
echo "temporary folder: empty after every command"
