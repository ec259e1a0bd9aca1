#!/usr/bin/env bash
# Proves that the godefer guards compile to the same instruction count as a hand-written RAII
# struct doing the same work in a non-inlined function.
#
#   bench/callgrind_guards.sh [--cxx COMPILER] [--calls N]
#
# It compiles bench/callgrind_guards.cpp at -O2 (pairs of noinline functions: guard / hand-written
# struct), runs it under `valgrind --tool=callgrind`, reads the inclusive instruction count of
# each function with callgrind_annotate, and fails unless every pair is equal.
# Needs valgrind (callgrind, callgrind_annotate) and a C++17 compiler ($CXX, default g++).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cxx="${CXX:-g++}"
calls=1000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cxx) cxx="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    *) echo "usage: $0 [--cxx COMPILER] [--calls N]" >&2; exit 2 ;;
  esac
done

for tool in valgrind callgrind_annotate "$cxx"; do
  command -v "$tool" >/dev/null || { echo "callgrind_guards: '$tool' not found" >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

compile=("$cxx" -O2 -std=c++17 -I"$here/../include" "$here/callgrind_guards.cpp" -o "$work/guards")
echo "\$ ${compile[*]}"
"${compile[@]}"
# LD_BIND_NOW: resolve the PLT up front, so that the first caller of a library function
# (std::uncaught_exceptions) is not charged for the dynamic linker's work.
run=(valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$work/guards" "$calls")
echo "\$ LD_BIND_NOW=1 ${run[*]}"
LD_BIND_NOW=1 "${run[@]}" >/dev/null 2>"$work/valgrind.log" || {
  cat "$work/valgrind.log" >&2; echo "callgrind_guards: the program failed" >&2; exit 1; }
callgrind_annotate --inclusive=yes --threshold=100 "$work/callgrind.out" >"$work/annotate.txt"

count() {  # inclusive instructions of function $1, summed over all its calls
  awk -v fn=":$1 " 'index($0, fn) { gsub(",", "", $1); print $1; exit }' "$work/annotate.txt"
}

status=0
printf '\n%-30s %-16s %12s %12s %8s\n' "guard (non-inlined function)" "hand-written" "guard Ir" "hand Ir" "result"
for pair in "exit_guard exit_hand" "exit_macro exit_hand" "release_guard release_hand" \
            "fail_guard fail_hand" "success_guard success_hand" "resource_guard resource_hand"; do
  read -r guard hand <<<"$pair"
  g="$(count "$guard")"; h="$(count "$hand")"
  if [[ -z "$g" || -z "$h" ]]; then
    result="MISSING"; status=1
  elif [[ "$g" == "$h" ]]; then
    result="same"
  else
    result="DIFFERS"; status=1
  fi
  printf '%-30s %-16s %12s %12s %8s\n' "$guard" "$hand" "${g:-?}" "${h:-?}" "$result"
done
echo
echo "(inclusive instruction counts over $calls calls each, $("$cxx" --version | head -n1), -O2)"
if [[ $status -eq 0 ]]; then
  echo "callgrind_guards: every guard executes exactly as many instructions as its hand-written struct"
else
  echo "callgrind_guards: FAILED: a guard differs from its hand-written struct" >&2
fi
exit $status
