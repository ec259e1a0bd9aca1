#!/usr/bin/env bash
# The reliability tests with their full counts, each timed, with its peak memory:
#   - load: 10,000,000 calls in one frame (local and run), 10,000 nested run frames with a panic
#     recovered at the top, 64 threads of work x 20,000 defer/panic/recover cycles;
#   - the model-based test over 100,000 random programs (GODEFER_MODEL_SEEDS=N or FIRST-LAST);
#   - the fault-injection sweeps (complete at any count).
# CI runs the same tests with bounded counts (ctest, label `reliability`).
#
#   tests/reliability/full_load.sh [BUILD_DIR]
#
# BUILD_DIR defaults to build/reliability-full, configured here (RelWithDebInfo) if needed; any
# build of the project with GODEFER_BUILD_TESTS=ON works (a sanitizer build too, only slower).
# Time and memory come from /usr/bin/time -v (Debian package `time`) when installed, else from
# getrusage() through a small python3 wrapper.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/reliability-full}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGODEFER_BUILD_TESTS=ON -DGODEFER_BUILD_EXAMPLES=OFF
fi
cmake --build "$build" -j 2 --target godefer_reliability_tests godefer_reliability_faults
bin=$build/tests/reliability

export GODEFER_RELIABILITY_FULL=1
export GODEFER_MODEL_SEEDS=${GODEFER_MODEL_SEEDS:-100000}

summary=()
# measure NAME COMMAND...: runs the command, shows its output, records wall time and peak RSS.
measure() {
  local name=$1
  shift
  local stats
  stats=$(mktemp)
  local rc=0
  echo "== $name: $*"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$stats" "$@" || rc=$?
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$stats")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$stats")
    summary+=("$(printf '%-8s wall %s, peak RSS %d MiB, exit %d' "$name" "$wall" $((rss / 1024)) "$rc")")
  else
    python3 - "$stats" "$@" <<'PY' || rc=$?
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
rc = subprocess.call(cmd)
wall = time.monotonic() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
open(out, "w").write(f"{wall:.2f} {rss}\n")
sys.exit(rc)
PY
    local wall rss
    read -r wall rss < "$stats"
    summary+=("$(printf '%-8s wall %ss, peak RSS %d MiB, exit %d' "$name" "$wall" $((rss / 1024)) "$rc")")
  fi
  rm -f "$stats"
  return $rc
}

status=0
measure load "$bin/godefer_reliability_tests" --gtest_filter='Load.*' || status=1
measure model "$bin/godefer_reliability_tests" --gtest_filter='ModelTest.*' || status=1
measure faults "$bin/godefer_reliability_faults" || status=1

echo "== summary (GODEFER_RELIABILITY_FULL=1, GODEFER_MODEL_SEEDS=$GODEFER_MODEL_SEEDS)"
printf '%s\n' "${summary[@]}"
exit $status
