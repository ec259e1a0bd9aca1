#!/usr/bin/env python3
"""Merges the benchmark outputs of one run into the report of the performance targets.

    bench/report.py --in DIR [--out DIR] [--docs DIR]

Reads from DIR (written by bench/run_benchmarks.py):
  *_bench.json            Google Benchmark output (--benchmark_out), one per program
  go.txt                  `go test -bench` output (optional)
  memory.json             bench/memory_bench output (optional)
  callgrind_core.json     instructions per call under callgrind (optional)
  callgrind_guards.txt    bench/callgrind_guards.sh output (optional)
  method.json             machine, compiler, flags, repetitions (optional)
Writes into --out (default: DIR) and, with --docs, into that folder too:
  results.json  every figure used, every ratio, its target and verdict
  results.md    the table of ratios with their targets and PASS/FAIL, and the method
  chart.svg     the same comparisons as bars (no third-party module needed)

Times are medians over the repetitions (CPU time: the machine may be busy; both sides of a
ratio come from the same run). Exit status 0 even when a target is missed: the verdicts are
in the report, the numbers never gate a build.
"""
import argparse
import glob
import html
import json
import math
import os
import re
import statistics
import sys

# --- reading -----------------------------------------------------------------------------------


def read_google_benchmark(path):
    """Returns {run_name: {"ns": median cpu time, "real_ns": ..., "n": repetitions}}."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    samples = {}
    medians = {}
    for b in data.get("benchmarks", []):
        if b.get("error_occurred"):
            continue
        name = b.get("run_name") or b["name"]
        unit = scale.get(b.get("time_unit", "ns"), 1.0)
        # MeasureProcessCPUTime() benchmarks (threads: the CPU time of every thread of the
        # process) go under their name without the suffix.
        cpu_key = "cpu_time"
        if name.endswith("/process_time"):
            name = name[: -len("/process_time")]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = {
                    "ns": b[cpu_key] * unit,
                    "real_ns": b["real_time"] * unit,
                    "n": int(b.get("repetitions", 0)),
                }
        else:
            samples.setdefault(name, []).append((b[cpu_key] * unit, b["real_time"] * unit))
    out = {}
    for name, vals in samples.items():
        out[name] = {
            "ns": statistics.median(v[0] for v in vals),
            "real_ns": statistics.median(v[1] for v in vals),
            "n": len(vals),
        }
    out.update(medians)
    return out, data.get("context", {})


GO_LINE = re.compile(r"^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op")


def read_go(path):
    """Returns {name: {"ns": median ns/op, "n": count}} from `go test -bench` output."""
    samples = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = GO_LINE.match(line.strip())
            if m:
                samples.setdefault(m.group(1), []).append(float(m.group(2)))
    return {k: {"ns": statistics.median(v), "real_ns": statistics.median(v), "n": len(v)}
            for k, v in samples.items()}


def read_callgrind_guards(path):
    """Rows of bench/callgrind_guards.sh: (guard, hand, guard Ir, hand Ir, result)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 5 and parts[4] in ("same", "DIFFERS", "MISSING"):
                rows.append({"guard": parts[0], "hand": parts[1], "guard_ir": parts[2],
                             "hand_ir": parts[3], "result": parts[4]})
    return rows


# --- the comparisons ---------------------------------------------------------------------------
# kind "max": godefer / baseline must be <= target (godefer costs at most target x the baseline).
# kind "min": baseline / godefer must be >= target (godefer is at least target x faster).
# kind "info": reported, no target (a figure documented, e.g. the stack-capture cost).
# section: "target" (the performance targets), "peer" (the libraries and language users would pick
# instead), "detail" (more sizes of a measured family).

def comparisons():
    rows = []

    def add(section, measure, godefer, baseline, kind, target, callgrind=None, note=""):
        rows.append({"section": section, "measure": measure, "godefer": godefer,
                     "baseline": baseline, "kind": kind, "target": target,
                     "callgrind": callgrind, "note": note})

    for guard, hand, label in [
            ("BM_scope_exit_guard", "BM_scope_exit_hand", "scope_exit"),
            ("BM_scope_exit_macro", "BM_scope_exit_hand", "GODEFER_SCOPE_EXIT"),
            ("BM_scope_fail_guard", "BM_scope_fail_hand", "scope_fail"),
            ("BM_scope_success_guard", "BM_scope_success_hand", "scope_success"),
            ("BM_unique_resource_guard", "BM_unique_resource_hand", "unique_resource")]:
        add("target", f"{label} vs hand-written RAII struct, normal exit", guard, hand, "max", 1.05)
    # The target rows use the bodies a user writes (bench/bodies.hpp): a deferred call capturing
    # state, a loop deferring per-iteration values, run with a one-call body, panics through run
    # frames that each defer a cleanup. The kinder bodies measured before are detail rows.
    add("target", "frame.defer + drain, 1 call capturing state (f.defer([&c, i] { c += i; })) vs "
        "std::function stack", "BM_frame_capture_one", "BM_function_stack_capture_one", "min",
        5.0, ("frame_capture_one", 1, "function_stack_capture_one", 1))
    add("target", "frame.defer + drain, 1 call capturing state vs a raw RAII guard doing the same "
        "(stretch goal)", "BM_frame_capture_one", "BM_raii_capture_one", "max", 2.0,
        ("frame_capture_one", 1, "raii_capture_one", 1))
    add("target", "frame.defer + drain, 1024 calls capturing per-iteration values in a loop vs "
        "std::function stack", "BM_frame_capture_loop/1024", "BM_function_stack_capture_loop/1024",
        "min", 3.0, ("frame_capture_loop", 1024, "function_stack_capture_loop", 1024))
    add("target", "frame.defer + drain, 1024 calls in a loop vs Go's loop defers",
        "BM_frame_defer/1024", "go:BenchmarkDeferLoop/n=1024", "min", 20.0)
    add("target", "run, no panic vs the same body with a local frame (the body defers one call: "
        "++*counter)", "BM_run_one_call", "BM_local_frame_one_call", "max", 1.10,
        ("run_one_call", 0, "local_frame_one_call", 0))
    add("target", "panic + recover in the same frame vs throw/catch of std::runtime_error "
        "(stack capture off)", "BM_panic_recover", "BM_throw_catch", "max", 1.15,
        ("panic_recover", 0, "throw_catch", 0))
    for d in (1, 10, 100):
        add("target", f"panic through d = {d} run frames vs try/catch(...)/rethrow chain",
            f"BM_run_chain/{d}", f"BM_rethrow_chain/{d}", "max", 1.15,
            ("run_chain", d, "rethrow_chain", d))
    for d in (1, 10, 100):
        add("target", f"panic through d = {d} run frames, each deferring one cleanup, vs "
            "catch (...) { cleanup; throw; } frames", f"BM_run_defer_chain/{d}",
            f"BM_rethrow_cleanup_chain/{d}", "max", 1.15,
            ("run_defer_chain", d, "rethrow_cleanup_chain", d))
    for d in (1, 10, 100):
        add("target", f"local frame unwinding through d = {d} frames vs one RAII object per frame",
            f"BM_frame_chain/{d}", f"BM_raii_chain/{d}", "max", 1.15,
            ("frame_chain", d, "raii_chain", d))
    add("target", "stack capture at panic: panic + recover with capture on (the default) vs off, "
        "10 user frames above", "BM_panic_recover_10_frames_capture",
        "BM_panic_recover_10_frames", "max", 1.5)
    add("detail", "stack capture at panic: panic + recover with capture on vs off, no frame above",
        "BM_panic_recover_capture", "BM_panic_recover", "max", None,
        ("panic_recover_capture", 0, "panic_recover", 0))
    add("target", "a panic that leaves a group member and is rethrown by wait() (recovered "
        "there) vs the same panic in a go thread recovered there (one thread each, capture off)",
        "BM_group_panic_to_wait", "BM_go_panic_recovered", "info", None)

    for n in (1, 8, 64):
        add("detail", f"frame.defer + drain, {n} call(s) in a loop vs std::function stack",
            f"BM_frame_defer/{n}", f"BM_function_stack_defer/{n}", "min", None)
    for n in (1, 1024):
        add("detail", f"frame.defer(fn, args...) + drain, {n} call(s) vs std::function + std::bind",
            f"BM_frame_defer_args/{n}", f"BM_function_stack_defer_args/{n}", "min", None)
    add("detail", "frame.defer + drain, 1 call (one defer statement, ++*counter) vs "
        "std::function stack", "BM_frame_defer_one", "BM_function_stack_defer_one", "min", None,
        ("frame_defer_one", 0, "function_stack_defer_one", 0))
    add("detail", "frame.defer + drain, 1024 calls (++*counter) in a loop vs std::function stack",
        "BM_frame_defer/1024", "BM_function_stack_defer/1024", "min", None,
        ("frame_defer", 1024, "function_stack_defer", 1024))
    add("detail", "run vs a local frame, a body that defers one call and calls a small function",
        "BM_run_work", "BM_local_frame_work", "max", None, ("run_work", 0, "local_frame_work", 0))
    add("detail", "run vs a local frame, a body that defers one call and returns a value",
        "BM_run_body", "BM_local_frame_body", "max", None, ("run_body", 0, "local_frame_body", 0))
    add("detail", "run with the one-call body marked GODEFER_INLINE_BODY vs the same body with a "
        "local frame", "BM_run_one_call_inline_body", "BM_local_frame_one_call", "max", None,
        ("run_one_call_inline_body", 0, "local_frame_one_call", 0))
    add("detail", "run, no call deferred vs an empty local frame",
        "BM_run_empty", "BM_local_frame_empty", "max", None)
    for n in (1, 8, 64):
        add("detail", f"group: start and wait for {n} member(s) vs {n} std::thread(s) joined by hand",
            f"BM_group_start_wait/{n}", f"BM_threads_join/{n}", "max", None)

    add("peer", "scope_exit vs absl::Cleanup", "BM_scope_exit_guard", "BM_absl_cleanup",
        "max", 1.05)
    add("peer", "scope_exit vs gsl::finally", "BM_scope_exit_guard", "BM_gsl_finally",
        "max", 1.05)
    add("peer", "frame.defer + drain, 1 call vs Go's defer statement (open-coded)",
        "BM_frame_defer_one", "go:BenchmarkDefer", "min", 1.0)
    for n in (1, 8, 64):
        add("peer", f"frame.defer + drain, {n} call(s) in a loop vs Go's loop defers",
            f"BM_frame_defer/{n}", f"go:BenchmarkDeferLoop/n={n}", "min", 1.0)
    for d in (0, 1, 10, 100):
        add("peer", f"panic + recover, {d} plain calls deep, vs Go (stack capture off)",
            f"BM_panic_recover_depth/{d}", f"go:BenchmarkPanicRecover/depth={d}", "info", None)
    return rows


def evaluate(rows, times, callgrind):
    for r in rows:
        g = times.get(r["godefer"])
        b = times.get(r["baseline"])
        r["godefer_ns"] = g["ns"] if g else None
        r["baseline_ns"] = b["ns"] if b else None
        r["repetitions"] = min(g["n"], b["n"]) if g and b else None
        if g is None or b is None or g["ns"] <= 0 or b["ns"] <= 0:
            r["ratio"] = None
            r["verdict"] = "SKIPPED"
            r["why"] = "not measured: " + ", ".join(
                n for n, v in ((r["godefer"], g), (r["baseline"], b)) if v is None)
            continue
        if r["kind"] == "min":
            r["ratio"] = b["ns"] / g["ns"]
            ok = r["target"] is None or r["ratio"] >= r["target"]
        else:
            r["ratio"] = g["ns"] / b["ns"]
            ok = r["target"] is None or r["ratio"] <= r["target"]
        if r["kind"] == "info" or r["target"] is None:
            r["verdict"] = "measured"
        else:
            r["verdict"] = "PASS" if ok else "FAIL"
        r["why"] = ""
        if r["callgrind"] and callgrind:
            gc, gd, bc, bd = r["callgrind"]
            gi = callgrind.get(f"{gc}:{gd}")
            bi = callgrind.get(f"{bc}:{bd}")
            if gi and bi:
                r["godefer_ir"] = gi
                r["baseline_ir"] = bi
                r["ir_ratio"] = bi / gi if r["kind"] == "min" else gi / bi
    return rows


# --- writing -----------------------------------------------------------------------------------


def fmt_ns(ns):
    if ns is None:
        return "–"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    if ns >= 10:
        return f"{ns:.1f} ns"
    return f"{ns:.2f} ns"


def fmt_ratio(r):
    if r.get("ratio") is None:
        return "–"
    x = r["ratio"]
    return f"{x:.1f}×" if r["kind"] == "min" else f"{x:.3f}"


def fmt_target(r):
    if r["target"] is None:
        return "—"
    return f"≥ {r['target']:g}× faster" if r["kind"] == "min" else f"≤ {r['target']:.2f}"


def label(name):
    return name.replace("go:", "Go ")


def markdown(rows, method, memory, guards_ir, capture, notes=""):
    out = []
    w = out.append
    w("# Benchmark results")
    w("")
    w("Produced by `cmake --workflow --preset bench` (bench/run_benchmarks.py, bench/report.py). "
      "Times are medians over the repetitions (CPU time), godefer and its baseline measured in "
      "the same run; *ratio* is godefer / baseline for “≤” targets and baseline / godefer "
      "(how many times faster) for “≥” targets. *Ir* is the same ratio in instructions executed "
      "(valgrind --tool=callgrind), which a busy machine does not disturb.")
    w("")
    for section, title in (("target", "Performance targets"),
                           ("peer", "Peers (installed libraries and Go)"),
                           ("detail", "More sizes")):
        sel = [r for r in rows if r["section"] == section]
        if not sel:
            continue
        w(f"## {title}")
        w("")
        w("| measure | godefer | baseline | ratio | Ir ratio | target | result |")
        w("|---|---:|---:|---:|---:|---|---|")
        for r in sel:
            ir = r.get("ir_ratio")
            irs = "–" if ir is None else (f"{ir:.1f}×" if r["kind"] == "min" else f"{ir:.3f}")
            verdict = r["verdict"] if r["verdict"] != "SKIPPED" else "skipped (" + r["why"] + ")"
            if r["verdict"] == "PASS":
                verdict = "**PASS**"
            elif r["verdict"] == "FAIL":
                verdict = "**FAIL**"
            w(f"| {r['measure']} | {fmt_ns(r['godefer_ns'])} | {fmt_ns(r['baseline_ns'])} "
              f"| {fmt_ratio(r)} | {irs} | {fmt_target(r)} | {verdict} |")
        w("")
    if notes:
        w("## Notes on the results")
        w("")
        w(notes)
        w("")
    if guards_ir:
        same = all(g["result"] == "same" for g in guards_ir)
        w("### Guards: instruction counts (bench/callgrind_guards.sh)")
        w("")
        w("| guard function | hand-written function | guard Ir | hand Ir | result |")
        w("|---|---|---:|---:|---|")
        for g in guards_ir:
            w(f"| {g['guard']} | {g['hand']} | {g['guard_ir']} | {g['hand_ir']} | {g['result']} |")
        w("")
        w(f"Same instruction count for every guard: **{'PASS' if same else 'FAIL'}**.")
        w("")
    if capture:
        w("## Stack capture at panic")
        w("")
        w(capture)
        w("")
    if memory:
        w("## Memory per deferred call")
        w("")
        w(memory["summary"])
        w("")
        w("| calls pending | frame: heap bytes | frame: heap allocations | frame: bytes per call "
          "| std::function stack: heap bytes | allocations | bytes per call |")
        w("|---:|---:|---:|---:|---:|---:|---:|")
        for m in memory["rows"]:
            w(f"| {m['calls']} | {m['frame_heap_bytes']} | {m['frame_allocations']} "
              f"| {m['frame_bytes_per_call']:.1f} | {m['function_stack_heap_bytes']} "
              f"| {m['function_stack_allocations']} | {m['function_stack_bytes_per_call']:.1f} |")
        w("")
        w("Bytes per call = (the object on the stack + the heap bytes it holds at its peak) / calls.")
        w("")
    w("## Method")
    w("")
    for k, v in method.items():
        w(f"- {k}: {v}")
    w("")
    return "\n".join(out)


def svg_chart(rows, method):
    """Paired horizontal bars (log scale) for each comparison that has both figures."""
    sel = [r for r in rows if r["godefer_ns"] and r["baseline_ns"] and r["section"] != "detail"]
    left, bar_w, row_h, top = 480, 430, 34, 58
    width = left + bar_w + 200
    height = top + row_h * len(sel) + 40 + 16 * (len(method) + 1)
    lo = min(min(r["godefer_ns"], r["baseline_ns"]) for r in sel) if sel else 1
    hi = max(max(r["godefer_ns"], r["baseline_ns"]) for r in sel) if sel else 10
    lo_e, hi_e = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if hi_e == lo_e:
        hi_e += 1

    def x(ns):
        return left + bar_w * (math.log10(ns) - lo_e) / (hi_e - lo_e)

    e = html.escape
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         '<text x="10" y="20" font-size="15" font-weight="bold">godefer benchmarks: godefer '
         '(blue) vs the baseline (grey), median time per operation, log scale</text>',
         '<text x="10" y="38" fill="#555">ratio and verdict on the right; targets from docs/benchmarks/results.md; '
         'the peers are Go and the C++ guard libraries installed</text>']
    for ex in range(lo_e, hi_e + 1):
        xx = x(10 ** ex)
        s.append(f'<line x1="{xx:.1f}" y1="{top - 6}" x2="{xx:.1f}" '
                 f'y2="{top + row_h * len(sel)}" stroke="#ddd"/>')
        s.append(f'<text x="{xx:.1f}" y="{top - 9}" text-anchor="middle" fill="#777">'
                 f'{e(fmt_ns(10 ** ex))}</text>')
    for i, r in enumerate(sel):
        y = top + i * row_h
        m = r["measure"] if len(r["measure"]) <= 80 else r["measure"][:79] + "…"
        s.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{e(m)}</text>')
        s.append(f'<text x="{left - 8}" y="{y + 26}" text-anchor="end" fill="#777">'
                 f'vs {e(label(r["baseline"]))}</text>')
        for j, (ns, color) in enumerate(((r["godefer_ns"], "#2b6cb0"),
                                         (r["baseline_ns"], "#a0aec0"))):
            w = max(1.0, x(ns) - left)
            s.append(f'<rect x="{left}" y="{y + 3 + j * 13}" width="{w:.1f}" height="11" '
                     f'fill="{color}"><title>{e(fmt_ns(ns))}</title></rect>')
            s.append(f'<text x="{left + w + 4:.1f}" y="{y + 12 + j * 13}" fill="#333" '
                     f'font-size="9">{e(fmt_ns(ns))}</text>')
        color = {"PASS": "#2f855a", "FAIL": "#c53030"}.get(r["verdict"], "#555")
        s.append(f'<text x="{left + bar_w + 60}" y="{y + 13}" fill="{color}" '
                 f'font-weight="bold">{e(fmt_ratio(r))} {e(r["verdict"])}</text>')
        s.append(f'<text x="{left + bar_w + 60}" y="{y + 26}" fill="#777">'
                 f'target {e(fmt_target(r))}</text>')
    y = top + row_h * len(sel) + 24
    s.append(f'<text x="10" y="{y}" font-weight="bold">Method</text>')
    for k, v in method.items():
        y += 16
        s.append(f'<text x="10" y="{y}" fill="#333">{e(k)}: {e(str(v))[:170]}</text>')
    s.append("</svg>")
    return "\n".join(s) + "\n"


def notes_text(rows, times, callgrind):
    """Lists each missed target with this run's figures; why each gap remains is explained in
    docs/benchmarks/README.md, not here."""
    out = []
    for r in rows:
        if r["section"] == "target" and r["verdict"] == "FAIL":
            out.append(f"- **{r['measure']}: {fmt_ratio(r)}** (target {fmt_target(r)}); "
                       "see README.md in this folder.")
    return "\n".join(out)


def capture_text(rows):
    r = next((r for r in rows if r["godefer"] == "BM_panic_recover_capture"), None)
    if not r or r["ratio"] is None:
        return ""
    return (f"Stack capture at each panic: panic + recover takes {fmt_ns(r['godefer_ns'])} with it "
            f"and {fmt_ns(r['baseline_ns'])} without ({r['ratio']:.2f}×).")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--in", dest="indir", required=True)
    ap.add_argument("--out")
    ap.add_argument("--docs")
    args = ap.parse_args()
    out_dirs = [args.out or args.indir] + ([args.docs] if args.docs else [])

    times = {}
    contexts = {}
    for path in sorted(glob.glob(os.path.join(args.indir, "*_bench.json"))):
        t, ctx = read_google_benchmark(path)
        times.update(t)
        if "executable" in ctx:  # the program's name, not where this machine built it
            ctx["executable"] = os.path.basename(ctx["executable"])
        contexts[os.path.basename(path)] = ctx
    go_path = os.path.join(args.indir, "go.txt")
    if os.path.exists(go_path):
        times.update({"go:" + k: v for k, v in read_go(go_path).items()})
    callgrind = {}
    cg_path = os.path.join(args.indir, "callgrind_core.json")
    if os.path.exists(cg_path):
        with open(cg_path, encoding="utf-8") as f:
            callgrind = json.load(f).get("ir_per_call", {})
    guards_ir = []
    gi_path = os.path.join(args.indir, "callgrind_guards.txt")
    if os.path.exists(gi_path):
        guards_ir = read_callgrind_guards(gi_path)
    memory = None
    mem_path = os.path.join(args.indir, "memory.json")
    if os.path.exists(mem_path):
        with open(mem_path, encoding="utf-8") as f:
            memory = json.load(f)
    method = {}
    m_path = os.path.join(args.indir, "method.json")
    if os.path.exists(m_path):
        with open(m_path, encoding="utf-8") as f:
            method = json.load(f)

    rows = evaluate(comparisons(), times, callgrind)
    capture = capture_text(rows)
    result = {"method": method, "comparisons": rows, "times": times,
              "callgrind_ir_per_call": callgrind, "callgrind_guards": guards_ir,
              "memory": memory, "google_benchmark_context": contexts}
    md = markdown(rows, method, memory, guards_ir, capture, notes_text(rows, times, callgrind))
    svg = svg_chart(rows, method)
    for d in out_dirs:
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "results.json"), "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1, sort_keys=False)
            f.write("\n")
        with open(os.path.join(d, "results.md"), "w", encoding="utf-8") as f:
            f.write(md)
        with open(os.path.join(d, "chart.svg"), "w", encoding="utf-8") as f:
            f.write(svg)
    targets = [r for r in rows if r["section"] == "target" and r["verdict"] in ("PASS", "FAIL")]
    failed = [r for r in targets if r["verdict"] == "FAIL"]
    print(md)
    print(f"report: {len(targets) - len(failed)} passed, {len(failed)} failed "
          f"(the performance targets); written to {', '.join(out_dirs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
