#!/usr/bin/env python3
"""Runs every godefer benchmark and writes the report (bench/report.py).

The CTest test `bench.report` (label benchmark, bench/CMakeLists.txt) calls this; so does
`cmake --workflow --preset bench`. By hand:

    bench/run_benchmarks.py --out build/bench/results --docs docs/benchmarks \\
        --bench build/bench/bench/godefer_frame_bench ... [--smoke]

Steps, each skipped with a note when its tool is missing:
  1. each Google Benchmark program, with --benchmark_out (JSON), repetitions and random
     interleaving (medians are reported), or once with a tiny minimum time (--smoke);
  2. the memory program (bytes per deferred call);
  3. instruction counts under valgrind --tool=callgrind (full runs only);
  4. bench/callgrind_guards.sh (guards vs hand-written structs, same instruction count);
  5. Go's benchmarks in bench/go (go test -bench), when `go` is installed;
  6. bench/report.py: results.json, results.md and chart.svg into --out (and --docs).
Numbers never fail this script: only a program that crashes or a broken report does.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# (case, argument, iterations) run under callgrind: the pairs bench/report.py compares.
CALLGRIND_CASES = [
    ("frame_defer_one", 0, 2000), ("function_stack_defer_one", 0, 2000),
    ("frame_defer", 1024, 50), ("function_stack_defer", 1024, 50),
    ("run_body", 0, 2000), ("local_frame_body", 0, 2000),
    ("run_work", 0, 2000), ("local_frame_work", 0, 2000),
    ("panic_recover", 0, 200), ("throw_catch", 0, 200), ("panic_recover_capture", 0, 200),
    ("run_chain", 1, 100), ("rethrow_chain", 1, 100),
    ("run_chain", 10, 50), ("rethrow_chain", 10, 50),
    ("run_chain", 100, 10), ("rethrow_chain", 100, 10),
    ("frame_chain", 1, 100), ("raii_chain", 1, 100),
    ("frame_chain", 10, 50), ("raii_chain", 10, 50),
    ("frame_chain", 100, 10), ("raii_chain", 100, 10),
    ("frame_capture_one", 1, 2000), ("function_stack_capture_one", 1, 2000),
    ("raii_capture_one", 1, 2000),
    ("frame_capture_loop", 1024, 50), ("function_stack_capture_loop", 1024, 50),
    ("run_one_call", 0, 2000), ("local_frame_one_call", 0, 2000),
    ("run_one_call_inline_body", 0, 2000),
    ("run_defer_chain", 1, 100), ("rethrow_cleanup_chain", 1, 100),
    ("run_defer_chain", 10, 50), ("rethrow_cleanup_chain", 10, 50),
    ("run_defer_chain", 100, 10), ("rethrow_cleanup_chain", 100, 10),
]


def log(msg):
    print(f"[run_benchmarks] {msg}", flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=False, **kw)


def cpu_model():
    model, count, family, number, mhz = platform.processor() or "unknown", 0, "", "", ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "model name":
                    model = value
                    count += 1
                elif key == "cpu family" and not family:
                    family = value
                elif key == "model" and not number:
                    number = value
                elif key == "cpu MHz" and not mhz:
                    mhz = value
    except OSError:
        pass
    details = [f"{count} logical CPUs"] if count else []
    if family:
        details.append(f"family {family} model {number}")
    if mhz:
        details.append(f"{float(mhz):.0f} MHz nominal")
    return f"{model} ({', '.join(details)})" if details else model


def load_average():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def run_google_benchmarks(args, out):
    for exe in args.bench:
        name = os.path.basename(exe)
        json_path = os.path.join(out, f"{name.replace('godefer_', '')}.json")
        cmd = [exe, f"--benchmark_out={json_path}", "--benchmark_out_format=json"]
        if args.smoke:
            cmd += [f"--benchmark_min_time={args.smoke_min_time}"]
        else:
            cmd += [f"--benchmark_repetitions={args.repetitions}",
                    "--benchmark_report_aggregates_only=true",
                    "--benchmark_enable_random_interleaving=true",
                    f"--benchmark_min_time={args.min_time}"]
        r = run(cmd)
        if r.returncode != 0:
            log(f"{name} failed with status {r.returncode}")
            return False
    return True


def run_memory(args, out):
    if not args.memory:
        return True
    r = run([args.memory, "--out", os.path.join(out, "memory.json")])
    return r.returncode == 0


def run_callgrind_core(args, out):
    if args.smoke or not args.callgrind_core:
        log("instruction counts: skipped" + (" (smoke run)" if args.smoke else ""))
        return True
    valgrind = args.valgrind or shutil.which("valgrind")
    if not valgrind:
        log("instruction counts: skipped (valgrind not found)")
        return True
    ir = {}
    tmp = os.path.join(out, "callgrind.tmp")
    for case, arg, n in CALLGRIND_CASES:
        cmd = [valgrind, "--tool=callgrind", "--toggle-collect=measured_loop",
               f"--callgrind-out-file={tmp}", args.callgrind_core, case, str(arg), str(n)]
        r = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if r.returncode != 0:
            log(f"callgrind {case} {arg}: failed\n{r.stderr[-2000:]}")
            return False
        total = None
        with open(tmp, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^(?:summary|totals):\s+(\d+)", line)
                if m:
                    total = int(m.group(1))
                    break
        if total is None:
            log(f"callgrind {case} {arg}: no total in the output")
            return False
        ir[f"{case}:{arg}"] = total / n
        log(f"callgrind {case}({arg}): {total / n:.1f} instructions per call")
    os.remove(tmp)
    with open(os.path.join(out, "callgrind_core.json"), "w", encoding="utf-8") as f:
        json.dump({"tool": "valgrind --tool=callgrind --toggle-collect=measured_loop",
                   "ir_per_call": ir}, f, indent=1)
    return True


def run_callgrind_guards(args, out):
    if args.smoke or not args.callgrind_guards:
        return True
    if not (shutil.which("valgrind") and shutil.which("callgrind_annotate")):
        log("guards instruction counts: skipped (valgrind not found)")
        return True
    cmd = ["bash", args.callgrind_guards] + (["--cxx", args.cxx] if args.cxx else [])
    r = run(cmd, capture_output=True, text=True)
    with open(os.path.join(out, "callgrind_guards.txt"), "w", encoding="utf-8") as f:
        f.write(r.stdout)
    print(r.stdout, end="")
    if r.returncode not in (0, 1):  # 1: a guard differs; the report says so
        log(f"callgrind_guards.sh failed:\n{r.stderr}")
        return False
    return True


def run_go(args, out, method):
    go = args.go  # what the build found (bench/CMakeLists.txt): no search of our own
    if not go or not args.go_dir:
        log("Go: skipped (go not installed)")
        method["Go"] = "not installed: Go rows skipped"
        return True
    env = dict(os.environ)
    cache = os.path.join(out, "go-build-cache")
    env.update({"GOFLAGS": "-mod=mod", "GOCACHE": cache, "GOPATH": os.path.join(out, "go-path"),
                "GO111MODULE": "on", "GOTOOLCHAIN": "local", "GOPROXY": "off",
                "GOTELEMETRY": "off", "CGO_ENABLED": "0"})
    version = subprocess.run([go, "version"], capture_output=True, text=True, env=env,
                             check=False).stdout.strip()
    if args.smoke:
        bench = ["-count", "1", "-benchtime", "1x"]
    else:
        bench = ["-count", str(args.repetitions), "-benchtime", f"{args.go_benchtime}"]
    cmd = [go, "test", "-run", "^$", "-bench", "."] + bench
    log("$ (cd " + args.go_dir + ") " + " ".join(cmd))
    r = subprocess.run(cmd, cwd=args.go_dir, env=env, capture_output=True, text=True,
                       check=False)
    with open(os.path.join(out, "go.txt"), "w", encoding="utf-8") as f:
        f.write(r.stdout)
    print(r.stdout[-3000:], end="")
    if r.returncode != 0:
        log(f"go test failed:\n{r.stderr[-3000:]}")
        return False
    method["Go"] = f"{version}; go test -bench . {' '.join(bench)} (ns/op, medians)"
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder for the raw outputs and the report")
    ap.add_argument("--docs", help="also write results.md, results.json and chart.svg here")
    ap.add_argument("--bench", action="append", default=[], help="a Google Benchmark program")
    ap.add_argument("--memory", help="the memory program")
    ap.add_argument("--callgrind-core", help="the instruction-count program")
    ap.add_argument("--callgrind-guards", help="bench/callgrind_guards.sh")
    ap.add_argument("--valgrind")
    ap.add_argument("--cxx", help="the compiler, for callgrind_guards.sh")
    ap.add_argument("--go", help="the go command; without it the Go benchmarks are skipped")
    ap.add_argument("--go-dir", default=os.path.join(HERE, "go"))
    ap.add_argument("--go-benchtime", default="200ms")
    ap.add_argument("--smoke", action="store_true",
                    help="run everything once, briefly: checks that it works, measures nothing")
    ap.add_argument("--smoke-min-time", default="0.001")
    ap.add_argument("--repetitions", type=int, default=9)
    ap.add_argument("--min-time", default="0.2", help="seconds per repetition")
    ap.add_argument("--compiler", default="unknown")
    ap.add_argument("--flags", default="")
    ap.add_argument("--build-type", default="")
    ap.add_argument("--peers", default="", help="what the build found of absl and GSL")
    args = ap.parse_args()

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        if old.endswith(".json") or old in ("go.txt", "callgrind_guards.txt"):
            os.remove(os.path.join(out, old))
    started = time.time()
    method = {
        "command": "cmake --workflow --preset bench" + (" (smoke run)" if args.smoke else ""),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu_model(),
        "load average before": load_average(),
        "compiler": args.compiler,
        "flags": f"{args.flags} ({args.build_type})".strip(),
        "runs": ("smoke: once each, --benchmark_min_time=" + args.smoke_min_time) if args.smoke
        else (f"{args.repetitions} repetitions of --benchmark_min_time={args.min_time}s, "
              "random interleaving, medians of CPU time"),
        "peers": args.peers or "unknown",
    }
    ok = (run_google_benchmarks(args, out) and run_memory(args, out)
          and run_callgrind_core(args, out) and run_callgrind_guards(args, out)
          and run_go(args, out, method))
    method["load average after"] = load_average()
    method["duration"] = f"{time.time() - started:.0f} s"
    with open(os.path.join(out, "method.json"), "w", encoding="utf-8") as f:
        json.dump(method, f, indent=1)
    if not ok:
        log("a benchmark program failed")
        return 1
    cmd = [sys.executable, os.path.join(HERE, "report.py"), "--in", out]
    if args.docs:
        cmd += ["--docs", args.docs]
    r = run(cmd)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
