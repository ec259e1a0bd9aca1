#!/usr/bin/env bash
# The cost of godefer's thread-local state in shared libraries: runs every case of
# godefer_callgrind_tls (bench/callgrind_tls.cpp) under callgrind and prints, per body and
# variant, the instructions per call (Ir of measured_loop / N) and the calls per body to the TLS
# resolvers (__tls_get_addr for the general-dynamic model, _dl_tlsdesc_* for TLS descriptors).
#
#   bench/callgrind_tls.sh BUILD_DIR|PROBE [N]
#
# BUILD_DIR: a build with -DGODEFER_BUILD_BENCHMARKS=ON in which the target godefer_callgrind_tls
# was built (or PROBE, that program's path). N: calls per case (default 2000; the panic case runs
# N/10).
set -euo pipefail

build="${1:?usage: $0 BUILD_DIR|PROBE [N]}"
n="${2:-2000}"
probe="$build/bench/godefer_callgrind_tls"
[[ -f "$build" ]] && probe="$build"
[[ -x "$probe" ]] || { echo "callgrind_tls: $probe not built" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "callgrind_tls: valgrind not found" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Sums the calls to the TLS resolvers recorded in a callgrind output file (names are compressed:
# "fn=(id) name" or "cfn=(id) name" the first time, "(id)" alone after).
tls_calls() {
  awk '
    /^c?fn=/ {
      called = substr($0, 1, 1) == "c"
      s = substr($0, called ? 5 : 4)
      if (match(s, /^\([0-9]+\)/)) {
        id = substr(s, RSTART, RLENGTH); rest = substr(s, RLENGTH + 2)
        if (rest != "") name[id] = rest
        s = name[id]
      }
      if (called) cur = s
      next
    }
    /^calls=/ {
      if (cur ~ /^(__tls_get_addr|_dl_tlsdesc)/) { split(substr($0, 7), a, " "); total += a[1] }
      next
    }
    END { print total + 0 }' "$1"
}

printf '%-24s %-9s %8s %12s\n' body variant Ir/call tls-calls/call
for body in empty run_one_call local_frame_one_call frame_capture_one run_opaque_call \
  local_frame_opaque_call panic_recover; do
  calls="$n"
  [[ "$body" == panic_recover ]] && calls=$((n / 10))
  for variant in exe so gnu2 ie dlopen dlopen_ie; do
    out="$work/$variant.$body.out"
    if ! "$probe" --list | grep -qx "$variant.$body"; then
      printf '%-24s %-9s %8s %12s\n' "$body" "$variant" n/a n/a
      continue
    fi
    LD_BIND_NOW=1 valgrind --tool=callgrind --toggle-collect=measured_loop \
      --callgrind-out-file="$out" "$probe" "$variant.$body" 1 "$calls" >/dev/null \
      2>"$work/valgrind.log" || { cat "$work/valgrind.log" >&2; exit 1; }
    ir="$(awk '/^(summary|totals):/ { print $2; exit }' "$out")"
    tls="$(tls_calls "$out")"
    awk -v b="$body" -v v="$variant" -v ir="$ir" -v t="$tls" -v n="$calls" \
      'BEGIN { printf "%-24s %-9s %8.1f %12.2f\n", b, v, ir / n, t / n }'
  done
done
