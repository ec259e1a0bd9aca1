#!/usr/bin/env bash
# regen_expected.sh: writes tests/upstream/expected/PROGRAM-CASE.expected from go1.19's output.
#
#   tests/upstream/regen_expected.sh            # every case (needs go1.19 on PATH, or GO=...)
#   tests/upstream/regen_expected.sh testprog   # the cases of one program
#
# Each Go program go/PROGRAM.go is built once and run as `PROGRAM CASE`; its exit status, its
# stdout and the stderr lines that cmake/GodeferRunCompare.cmake compares (`panic: ...`, the
# blank line after them, `goroutine N [running]:`, `fatal error: ...`, and the lines matching
# the case's `stderr_also` regex) make the expected file. Where godefer deviates from go1.19 on
# purpose (docs/go-differences.md), the case's `deviation` names the rule and gives the sed
# script that turns Go's output into godefer's; `note` adds a comment line. The table of cases is
# at the end of this file.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO="${GO:-go}"
only="${1:-}"

version="$("$GO" env GOVERSION)"
case "$version" in
go1.19*) ;;
*)
    echo "regen_expected.sh: the expected files are go1.19's output; $GO is $version" >&2
    exit 1
    ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

declare -A built=()

# The Go source of each program, for the header of its expected files.
source_of() {
    case "$1" in
    recover | recover1 | recover2 | recover3 | defer | defernil | deferprint) echo "Go's test/$1.go" ;;
    runtime_defer) echo "Go's src/runtime/defer_test.go" ;;
    runtime_callers) echo "Go's src/runtime/callers_test.go" ;;
    runtime_crash) echo "Go's src/runtime/crash_test.go" ;;
    testprog) echo "Go's src/runtime/testdata/testprog, run by src/runtime/crash_test.go" ;;
    *) echo "unknown program $1" >&2; exit 1 ;;
    esac
}

build() {
    local program="$1"
    [[ -n "${built[$program]:-}" ]] && return
    local sources=("$here/go/$program.go")
    if grep -q 'runTest(' "$here/go/$program.go"; then sources+=("$here/go/testing_shim.go"); fi
    (cd "$work" && "$GO" build -o "$work/$program" "${sources[@]}")
    built[$program]=1
}

# Keeps the stderr lines GodeferRunCompare.cmake keeps (see its comment), with the same rewriting.
filter_stderr() {
    awk -v also="$1" '
        {
            line = $0
            while (match(line, /0x[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]+/))
                line = substr(line, 1, RSTART - 1) "0xADDR" substr(line, RSTART + RLENGTH)
            keep = 0
            if (line ~ /^\t?panic: /) { keep = 1; in_panic = 1 }
            else if (line == "" && in_panic) { keep = 1; in_panic = 0 }
            else if (line ~ /^goroutine [0-9N]+ \[running\]:$/) {
                if (line != "goroutine 1 [running]:") line = "goroutine N [running]:"
                keep = 1
            }
            else if (line ~ /^fatal error: /) keep = 1
            else if (also != "" && line ~ also) keep = 1
            if (keep) print line
        }'
}

# gen PROGRAM CASE [also REGEX] [note TEXT]... [deviation TEXT SED]...
gen() {
    local program="$1" name="$2"
    shift 2
    if [[ -n "$only" && "$only" != "$program" ]]; then return; fi
    local also="" comments=() seds=()
    while (($#)); do
        case "$1" in
        also) also="$2"; shift 2 ;;
        note) comments+=("# note: $2"); shift 2 ;;
        deviation) comments+=("# deviation: $2"); seds+=("$3"); shift 3 ;;
        *) echo "gen $program $name: unknown option $1" >&2; exit 1 ;;
        esac
    done
    build "$program"
    local status=0
    (cd "$work" && timeout 60 "./$program" "$name" >"$work/out" 2>"$work/err") || status=$?
    {
        echo "exit_code: $status"
        [[ -n "$also" ]] && echo "stderr_also: $also"
        echo "--- stdout ---"
        cat "$work/out"
        echo "--- stderr ---"
        filter_stderr "$also" <"$work/err"
        echo "--- end ---"
    } >"$work/body"
    local s
    for s in "${seds[@]}"; do
        sed -i -e "$s" "$work/body"
    done
    local target="$here/expected/$program-$name.expected"
    {
        echo "# upstream: $(source_of "$program"), $name; go1.19's output, written by regen_expected.sh"
        local c
        for c in "${comments[@]}"; do echo "$c"; done
        cat "$work/body"
    } >"$target"
    echo "wrote ${target#"$here"/}"
}

# ------------------------------------------------------------------------------------------------
# The cases. README.md lists every upstream case, ported or skipped.

JOINS="main joins its threads before godefer::goexit(), as Go's main waits for every goroutine before it reports the deadlock (godefer::main does not wait: R26)"
R26="R26 - goexit reaching godefer::main prints \"main called godefer::goexit\" (Go: runtime.Goexit) and exits with status 2 (docs/go-differences.md)"
R26_SED='s/main called runtime\.Goexit/main called godefer::goexit/'

# src/runtime/testdata/testprog (crash_test.go)
gen testprog GoexitDeadlock note "$JOINS" deviation "$R26" "$R26_SED"
gen testprog RecursivePanic
gen testprog RecursivePanic2
gen testprog RecursivePanic3
gen testprog RecursivePanic4
gen testprog RecursivePanic5
gen testprog GoexitExit also '^t[1-4]$' note "$JOINS" \
    note "the upstream program also sets a finalizer and runs the collector; both are left out (C++ has neither)" \
    deviation "$R26" "$R26_SED"
gen testprog MainGoroutineID
gen testprog GoexitInPanic note "$JOINS" deviation "$R26" "$R26_SED"
gen testprog PanicAfterGoexit
gen testprog RecoveredPanicAfterGoexit deviation "$R26" "$R26_SED"
gen testprog RecoverBeforePanicAfterGoexit deviation "$R26" "$R26_SED"
gen testprog RecoverBeforePanicAfterGoexit2 deviation "$R26" "$R26_SED"
gen testprog PanicTraceback
gen testprog GoschedInPanic
gen testprog SyscallInPanic
gen testprog DoublePanic note "the upstream String method also runs the collector three times; left out"
gen testprog StringerPanic
gen testprog DoubleStringerPanic deviation "R30i - a type is named by its demangled C++ name, exampleStringer (Go: main.exampleStringer) (docs/go-differences.md)" \
    's/value: type main\./value: type /'
gen testprog StringPanic
gen testprog NilPanic deviation "R31 - panic(nullptr) panics with nil_panic_error, printed \"panic called with nil argument\" (go1.19: \"nil\"; Go >= 1.21's PanicNilError) (docs/go-differences.md)" \
    's/^panic: nil$/panic: panic called with nil argument/'

# src/runtime/defer_test.go
for t in TestUnconditionalPanic TestOpenAndNonOpenDefers TestNonOpenAndOpenDefers TestConditionalDefers \
    TestDisappearingDefer TestAbortedPanic TestRecoverMatching TestNonSSAableArgs TestDeferWithRepeatedRepanics \
    TestIssue37688 TestIssue43921 TestIssue43920 TestIssue43941; do
    gen runtime_defer "$t"
done
gen runtime_defer TestDeferForFuncWithNoExit note "growStackIter(&x, 1000), which makes Go copy the stack, is left out: C++ stacks do not move"

# src/runtime/callers_test.go (the stack inspection is left out)
for t in TestCallersPanic TestCallersDoublePanic TestCallersAfterRecovery TestCallersAbortedPanic TestCallersAbortedPanic2; do
    gen runtime_callers "$t"
done
R27="R27 - deferring an empty std::function (Go: a nil func) panics at the defer call, not when the call runs, so state is still 1 when the panic is recovered and the test's own check fails (docs/go-differences.md)"
R27_SED='s/^exit_code: 0$/exit_code: 1/; s/^--- PASS: \(.*\)$/    nil defer func panicked at defer time rather than function exit time\n--- FAIL: \1/'
gen runtime_callers TestCallersDeferNilFuncPanic deviation "$R27" "$R27_SED"
gen runtime_callers TestCallersDeferNilFuncPanicWithLoop deviation "$R27" "$R27_SED"

# src/runtime/crash_test.go, in-process tests (those that run testprog are above)
gen runtime_crash TestGoexitDefer

# Go's test/recover.go, recover1.go: each test checks itself and dies (runtime.Breakpoint: SIGTRAP,
# exit status 2) after printing what went wrong; those lines are compared too.
DIE_ALSO='^(spurious|missing|wrong|recover didn|did not run|try1 wrong|SIGTRAP)'
# die_sed LINE: godefer's output when the test's own check reports LINE and dies.
die_sed() { printf 's/^exit_code: 0$/exit_code: 2/; /^--- stderr ---$/a %s\\nSIGTRAP: trace trap' "$1"; }
SPURIOUS='spurious recover (0xADDR,0xADDR)'
R9A="R9 a - recover() in a function that the deferred call calls stops the panic (Go: it returns nil there)"
R9A_DOUBLE="$R9A: doubleRecover(), called by the deferred function, recovers the panic, so mustRecoverBody reports a spurious recover and dies (docs/go-differences.md)"

gen recover test1 also "$DIE_ALSO" deviation "$R9A: withoutRecoverRecursive(1), called by the deferred withoutRecoverRecursive(0), recovers the panic and the test dies (docs/go-differences.md)" \
    "$(die_sed 'spurious recover (recursive) (0xADDR,0xADDR)')"
gen recover test1WithClosures also "$DIE_ALSO" deviation "$R9A: mustNotRecover(), called by the deferred closure, recovers the panic and the test dies (docs/go-differences.md)" \
    "$(die_sed "$SPURIOUS")"
gen recover test2 also "$DIE_ALSO" deviation "R9 c - f.defer(godefer::recover) in the panicking frame recovers the panic (Go: \`defer recover()\` is a no-op), so the deferred mustRecover(2) finds no panic and dies (docs/go-differences.md)" \
    "$(die_sed 'missing recover 2')"
gen recover test3 also "$DIE_ALSO"
gen recover test4 also "$DIE_ALSO" deviation "R9 d - g.defer(godefer::recover) inside the frame of a deferred call, which is not panicking, recovers nothing (Go: it recovers), so the panic goes on and the deferred mustNotRecover() finds it and dies (docs/go-differences.md)" \
    "$(die_sed "$SPURIOUS")"
gen recover test5 also "$DIE_ALSO"
gen recover test6 also "$DIE_ALSO" note "the upstream test is about Go's stack growth (a deferred call with a 800 kB frame); C++ stacks do not grow, the recover rules are what is left"
gen recover test6WithClosures also "$DIE_ALSO" note "the upstream test is about Go's stack growth (a deferred call with a 800 kB frame); C++ stacks do not grow, the recover rules are what is left"
gen recover test7 also "$DIE_ALSO" deviation "$R9A_DOUBLE" "$(die_sed "$SPURIOUS")"
gen recover test8 also "$DIE_ALSO"
for t in test9 test10 test11 test111 test12 test13 test14; do
    gen recover "$t" also "$DIE_ALSO" note "Go's method wrappers and stack splits have no C++ counterpart: the method is a virtual function, deferred as f.defer(&I::M, i)" \
        deviation "$R9A_DOUBLE" "$(die_sed "$SPURIOUS")"
done

R9A_MUST="$R9A: mustRecover calls mustNotRecover() first (\"because it's not a defer call\"), which recovers the panic, reports a spurious recover and dies (docs/go-differences.md)"
for t in test1 test2 test3; do
    gen recover1 "$t" also "$DIE_ALSO" deviation "$R9A_MUST" "$(die_sed 'spurious recover')"
done
gen recover1 test4 also "$DIE_ALSO"
gen recover1 test5 also "$DIE_ALSO" deviation "R9 d - g.defer(godefer::recover) inside the frame of a deferred call, which is not panicking, recovers nothing (Go: it recovers), so the panic goes on and the deferred mustNotRecover() finds it and dies (docs/go-differences.md)" \
    "$(die_sed 'spurious recover')"
gen recover1 test6 also "$DIE_ALSO" deviation "$R9A_MUST" "$(die_sed 'spurious recover')"
gen recover1 test7 also "$DIE_ALSO" deviation "R9 c - g.defer(godefer::recover) in the panicking frame recovers panic 3 (Go: a no-op there), so the deferred mustRecover(3) finds no panic and dies (docs/go-differences.md)" \
    "$(die_sed 'missing recover')"

# Go's test/recover2.go, recover3.go (integer division only), defer.go, defernil.go, deferprint.go
DIVIDE="C++ has no run-time check of integer division (dividing by zero is undefined): the program divides through a function that throws std::domain_error(\"runtime error: integer divide by zero\") as Go's check panics (docs/go-differences.md, R32)"
gen recover2 test7 note "$DIVIDE"
gen recover3 divZero also '^(BUG|int)' note "$DIVIDE; Go's runtime.Error is std::exception"
gen defer test1
gen defer test2
gen defernil main deviation "R27 - deferring an empty std::function (Go: a nil func) panics at the defer call, so x = 1 never runs: the deferred function recovers that panic, then panics with FAIL, which crashes (docs/go-differences.md)" \
    's/^exit_code: 0$/exit_code: 2/; /^--- stderr ---$/a panic: godefer: defer called with an empty function object (std::function) [recovered]\n\tpanic: FAIL\n\ngoroutine 1 [running]:'
gen deferprint main also '^(printing: |42 )'
