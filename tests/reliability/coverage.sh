#!/usr/bin/env bash
# Line coverage of include/godefer by the whole test suite, measured with gcov (GCC, -O0) and
# summed up by gcovr. Fails when it is below the threshold.
#
#   tests/reliability/coverage.sh            # cmake --workflow --preset coverage, then gcovr
#   GODEFER_COVERAGE_MIN=95                   # the threshold, in percent of lines (default 95)
#   GODEFER_COVERAGE_BUILD_DIR=/tmp/cov       # build elsewhere than build/coverage
#
# Needs gcovr (Debian package `gcovr`).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
min=${GODEFER_COVERAGE_MIN:-95}
build=${GODEFER_COVERAGE_BUILD_DIR:-}
cd "$root"

if ! command -v gcovr > /dev/null; then
  echo "coverage.sh: gcovr is not installed (apt-get install gcovr)" >&2
  exit 1
fi

# Counters of an earlier run would add up: start from zero.
if [ -n "$build" ]; then
  [ -d "$build" ] && find "$build" -name '*.gcda' -delete
  cmake --preset coverage -B "$build"
  cmake --build "$build" -j 2
  (cd "$build" && ctest -j 2 --output-on-failure --timeout 600)
else
  build="$root/build/coverage"
  [ -d "$build" ] && find "$build" -name '*.gcda' -delete
  cmake --workflow --preset coverage
fi

echo "== line coverage of include/godefer (minimum ${min}%)"
gcovr --root "$root" --filter "$root/include/godefer/" --object-directory "$build" -j 2 \
  --print-summary --fail-under-line "$min" "$build"
