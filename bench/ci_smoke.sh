#!/usr/bin/env bash
# CI's benchmark step: builds the benchmarks and runs each of them once, briefly
# (tiny --benchmark_min_time, no repetitions, no instruction counts), then writes the report
# into the build folder. It checks that they build and run; the numbers are not looked at and
# never fail CI. The measuring run is `cmake --workflow --preset bench`.
#
#   bench/ci_smoke.sh [BUILD_DIR]      (default build/bench-smoke)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir="${1:-build/bench-smoke}"
cmake --preset bench -B "$dir" -DGODEFER_BENCH_SMOKE=ON
cmake --build "$dir"
ctest --test-dir "$dir" -L benchmark --output-on-failure
