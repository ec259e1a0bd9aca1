#!/usr/bin/env bash
# run_10000.sh: the differential test on 10,000 programs (seeds 1-10000), on demand.
#
#   tests/differential/run_10000.sh                  # clang++ if found (it compiles faster), else g++
#   tests/differential/run_10000.sh --cxx g++ --cxxflags=-fsanitize=address,undefined \
#       --ldflags=-fsanitize=address,undefined       # any run.py option may be added
#
# Builds 20 Go binaries and 20 C++ binaries of 500 programs each (cached in
# build/differential-10000), runs every program on both sides and compares them. Mismatches
# are shrunk and saved under build/differential-10000/mismatches. About 10 to 20 minutes on two
# cores with clang++ -O0.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${WORKDIR:-$root/build/differential-10000}"
cxx="${CXX:-$(command -v clang++ || command -v g++)}"

exec python3 "$here/run.py" \
  --count 10000 \
  --cxx "$cxx" \
  --jobs "${JOBS:-2}" \
  --include "$root/include" \
  --workdir "$work" \
  --save "$work/mismatches" \
  "$@"
