#!/usr/bin/env python3
"""run.py: the differential test — random programs run by go1.19 and by godefer must agree.

For each seed, gen.py makes one program, printed as Go and as its C++ translation. The programs
are batched: one Go binary per chunk of seeds (the program is chosen by argv[1]) and one C++
binary per chunk, compiled from a few translation units with the compiler and flags given. Each
program runs on both sides as a subprocess with a timeout, and these must be equal:

  - the exit status;
  - stdout, byte for byte;
  - the lines of stderr that start with `panic: `, a tab + `panic: `, or `fatal error:` (the
    crash report without its stack trace; any sanitizer or std::terminate line of the C++ side
    is kept too, so that it shows as a difference).

On a mismatch the program is shrunk (statements deleted, if-blocks unwrapped, loops shortened,
unused helpers dropped; each candidate re-emitted and rebuilt alone, kept while it still
mismatches), then both minimal sources and both outputs are printed (and saved with --save),
and the run fails.

    run.py --seeds 1-300 --fresh            # 300 fixed programs and one fresh random seed
    run.py --count 2000 --fresh 500 --jobs 2
    run.py --seeds 1234-1234 --keep         # reproduce one seed; keep its sources

Built binaries are cached in --workdir, keyed by their sources, compiler and flags.
"""

import argparse
import concurrent.futures as cf
import copy
import hashlib
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

# --------------------------------------------------------------------------------------------
# Options


def parse_seeds(text):
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            out += list(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def options(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seeds", action="append", default=[], help="seeds A-B (or A,B,C); repeatable")
    ap.add_argument("--count", type=int, default=0, help="N programs: seeds START..START+N-1")
    ap.add_argument("--start", type=int, default=1, help="first seed of --count (default 1)")
    ap.add_argument("--fresh", type=int, nargs="?", const=1, default=0,
                    help="add K fresh random seeds (default 1), printed to reproduce them")
    ap.add_argument("--jobs", type=int, default=2, help="parallel compilations and runs")
    ap.add_argument("--cxx", default=os.environ.get("CXX", "g++"), help="C++ compiler")
    ap.add_argument("--cxxflags", default="", help="extra compile flags (sanitizers, ...)")
    ap.add_argument("--ldflags", default="", help="extra link flags")
    ap.add_argument("--include", default=os.path.join(HERE, "..", "..", "include"),
                    help="godefer's include directory")
    ap.add_argument("--go", default="go", help="the go command")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "godefer-differential"),
                    help="build cache and scratch space")
    ap.add_argument("--batch", type=int, default=50, help="programs per C++ translation unit")
    ap.add_argument("--chunk", type=int, default=500, help="programs per binary")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per program run")
    ap.add_argument("--no-shrink", action="store_true", help="report mismatches unshrunk")
    ap.add_argument("--shrink-limit", type=int, default=3,
                    help="shrink at most this many mismatches (the rest are listed)")
    ap.add_argument("--shrink-seconds", type=float, default=300.0,
                    help="time budget for shrinking one mismatch")
    ap.add_argument("--save", default="", help="save each mismatch under DIR/NN/")
    ap.add_argument("--keep", action="store_true", help="print where the generated sources are")
    a = ap.parse_args(argv)
    seeds = []
    for s in a.seeds:
        seeds += parse_seeds(s)
    if a.count:
        seeds += list(range(a.start, a.start + a.count))
    seen = set()
    a.fixed = [s for s in seeds if not (s in seen or seen.add(s))]
    sysrand = random.SystemRandom()
    a.fresh_seeds = []
    while len(a.fresh_seeds) < a.fresh:
        s = sysrand.randrange(10**6, 2**31 - 1)
        if s not in seen:
            seen.add(s)
            a.fresh_seeds.append(s)
    if not a.fixed and not a.fresh_seeds:
        ap.error("no seeds: give --seeds, --count or --fresh")
    return a


# --------------------------------------------------------------------------------------------
# Building


def sh(cmd, cwd=None, env=None, timeout=None):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def digest(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:24]


class BuildError(Exception):
    pass


class Builder:
    def __init__(self, a):
        self.a = a
        self.cache = os.path.join(a.workdir, "cache")
        self.used = set()
        os.makedirs(self.cache, exist_ok=True)
        self.cxx = shlex.split(a.cxx)
        self.cxxflags = ["-std=c++17", "-O0", "-pthread", "-I", os.path.abspath(a.include),
                         "-I", HERE] + shlex.split(a.cxxflags)
        self.ldflags = ["-pthread", "-rdynamic"] + shlex.split(a.ldflags)
        with open(os.path.join(HERE, "prelude.hpp")) as f:
            self.prelude = f.read()
        self.go_env = dict(os.environ)
        if not self.go_env.get("GOCACHE"):  # the build cache stays in the work directory
            self.go_env["GOCACHE"] = os.path.join(os.path.abspath(a.workdir), "gocache")
        self.go_env.setdefault("GO111MODULE", "off")
        self.go_env.setdefault("GOFLAGS", "")
        self.go_env.setdefault("CGO_ENABLED", "0")

    def _cached(self, key, name):
        self.used.add(key)
        d = os.path.join(self.cache, key)
        return d, os.path.join(d, name)

    def _publish(self, tmp_dir, final_dir):
        try:
            os.rename(tmp_dir, final_dir)
        except OSError:
            shutil.rmtree(tmp_dir, ignore_errors=True)  # built meanwhile by someone else

    def go_binary(self, source, cache=True):
        key = digest("go", source, self.a.go)
        d, exe = self._cached(key, "prog")
        if cache and os.path.exists(exe):
            return exe
        tmp = tempfile.mkdtemp(dir=self.cache)
        with open(os.path.join(tmp, "prog.go"), "w") as f:
            f.write(source)
        rc, out = sh([self.a.go, "build", "-o", "prog", "prog.go"], cwd=tmp, env=self.go_env)
        if rc != 0:
            raise BuildError("go build failed (%s):\n%s" % (tmp, out[:6000]))
        if not cache:
            return os.path.join(tmp, "prog")
        self._publish(tmp, d)
        return exe

    def cxx_binary(self, source, cache=True):
        """Compiles and links one translation unit (its object is not kept)."""
        key = digest("cxx", source, self.prelude, " ".join(self.cxx + self.cxxflags),
                     " ".join(self.ldflags), self._include_stamp())
        d, exe = self._cached(key, "prog")
        if cache and os.path.exists(exe):
            return exe
        tmp = tempfile.mkdtemp(dir=self.cache)
        with open(os.path.join(tmp, "tu.cpp"), "w") as f:
            f.write(source)
        rc, out = sh(self.cxx + self.cxxflags + ["-c", "tu.cpp", "-o", "tu.o"], cwd=tmp)
        if rc != 0:
            raise BuildError("C++ compilation failed (%s):\n%s" % (tmp, out[:6000]))
        rc, out = sh(self.cxx + self.cxxflags + ["tu.o"] + self.ldflags + ["-o", "prog"], cwd=tmp)
        if rc != 0:
            raise BuildError("C++ link failed (%s):\n%s" % (tmp, out[:6000]))
        os.remove(os.path.join(tmp, "tu.o"))
        if not cache:
            return os.path.join(tmp, "prog")
        self._publish(tmp, d)
        return exe

    def prune(self, since):
        """Removes cache entries this run did not use (older builds: other headers, seeds)."""
        for name in os.listdir(self.cache):
            p = os.path.join(self.cache, name)
            if name in self.used or not os.path.isdir(p):
                continue
            try:
                if os.path.getmtime(p) < since:
                    shutil.rmtree(p, ignore_errors=True)
            except OSError:
                pass

    _stamp = None

    def _include_stamp(self):
        """Changes when any godefer header changes (so the cache never serves stale objects)."""
        if Builder._stamp is None:
            h = hashlib.sha256()
            root = os.path.abspath(self.a.include)
            for dirpath, _, files in sorted(os.walk(root)):
                for fn in sorted(files):
                    p = os.path.join(dirpath, fn)
                    h.update(p.encode())
                    with open(p, "rb") as f:
                        h.update(f.read())
            Builder._stamp = h.hexdigest()
        return Builder._stamp


def build_chunks(builder, chunks, jobs, cache):
    """chunks: list of program lists. Returns [(go_exe, {seed: cxx_exe})] in the same order.

    One Go binary per chunk; one C++ binary per translation unit of --batch programs (small
    binaries start fast, which matters under the sanitizers)."""

    with cf.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        go_f = [pool.submit(builder.go_binary, gen.go_source(c), cache) for c in chunks]
        cxx_f = []
        for c in chunks:
            batches = [c[i:i + builder.a.batch] for i in range(0, len(c), builder.a.batch)]
            cxx_f.append([(b, pool.submit(builder.cxx_binary, gen.cpp_source(b), cache)) for b in batches])
        out = []
        for ci in range(len(chunks)):
            exes = {}
            for b, f in cxx_f[ci]:
                exe = f.result()
                for p in b:
                    exes[p.seed] = exe
            out.append((go_f[ci].result(), exes))
        return out


# --------------------------------------------------------------------------------------------
# Running and comparing


def kept_stderr(text, cxx):
    keep = []
    for line in text.splitlines():
        if line.startswith("panic: ") or line.startswith("\tpanic: ") or \
                line.startswith("fatal error:"):
            keep.append(line)
        elif cxx and ("Sanitizer" in line or ": runtime error:" in line or
                      line.startswith("terminate called") or "std::terminate" in line):
            keep.append(line)
    return keep


class Outcome:
    def __init__(self, status, stdout, stderr, cxx):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.kept = kept_stderr(stderr, cxx)

    def key(self):
        return (self.status, self.stdout, tuple(self.kept))

    def show(self, title):
        lines = ["--- %s: exit status %s" % (title, self.status), "--- stdout:"]
        lines += [self.stdout.rstrip("\n")] if self.stdout else []
        lines += ["--- stderr (compared lines):"] + self.kept
        full = self.stderr.splitlines()
        if full and full != self.kept:
            lines += ["--- stderr (first 12 lines):"] + full[:12]
        return "\n".join(lines)


def run_one(exe, seed, timeout, cxx):
    try:
        p = subprocess.run([exe, str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        status = p.returncode
        out, err = p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        status = "timeout"
        out, err = e.stdout or b"", e.stderr or b""
    return Outcome(status, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), cxx)


def compare(go_exe, cxx_exe, seed, timeout):
    g = run_one(go_exe, seed, timeout, False)
    c = run_one(cxx_exe, seed, timeout, True)
    for o in (g, c):
        if o.status == 100 and o.stderr.startswith("no program"):
            raise BuildError("%s does not hold program %d" % (go_exe if o is g else cxx_exe, seed))
    return g.key() == c.key(), g, c


# --------------------------------------------------------------------------------------------
# Shrinking


def subtree_size(s):
    return 1 + sum(subtree_size(x) for lst in gen.child_lists(s) for x in lst)


def referenced_names(p):
    """Variable names and helpers still referenced by the program."""
    names, helpers = set(), set()

    def expr(e):
        if e is None or not isinstance(e, tuple):
            return
        if e[0] in ("var", "add"):
            names.add(e[1])
        if e[0] == "call":
            helpers.add(e[1].name)
            expr(e[2])

    for lst in gen.all_lists(p):
        for s in lst:
            for e in gen.stmt_exprs(s):
                expr(e)
            for attr in ("var", "target"):
                if getattr(s, attr, None) and s.kind not in ("decl", "loop"):
                    names.add(getattr(s, attr))
            if getattr(s, "helper", None) is not None:
                helpers.add(s.helper.name)
    return names, helpers


def cleanup(p):
    """Drops declarations nobody reads and helpers nobody calls."""
    while True:
        names, helpers = referenced_names(p)
        changed = False
        for lst in gen.all_lists(p):
            for s in list(lst):
                if s.kind == "decl" and s.var not in names and not gen.expr_calls(s.expr):
                    lst.remove(s)
                    changed = True
        keep = [h for h in p.helpers if h.name in helpers]
        if len(keep) != len(p.helpers):
            p.helpers = keep
            changed = True
        if not changed:
            return p


def candidates(p):
    """Smaller variants of p, bigger cuts first: each is a function returning a new program."""
    sites = []  # (size, path): path = (list index in all_lists order, statement index)
    lists = gen.all_lists(p)
    for li, lst in enumerate(lists):
        for si, s in enumerate(lst):
            sites.append((subtree_size(s), li, si, s.kind))
    sites.sort(key=lambda t: -t[0])
    out = []

    def clone_and(op, li, si):
        def f():
            q = copy.deepcopy(p)
            lst = gen.all_lists(q)[li]
            if not op(lst, si):
                return None
            return cleanup(q)
        return f

    def delete(lst, si):
        if lst[si].kind == "decl":
            return False  # a declaration goes when nothing reads it (cleanup)
        del lst[si]
        return True

    def unwrap(lst, si):
        s = lst[si]
        if s.kind == "if":
            lst[si:si + 1] = s.body
            return True
        if s.kind == "loop" and s.count > 1:
            s.count = 1
            return True
        return False

    def simplify(lst, si):
        s = lst[si]
        changed = False
        for attr in ("expr", "arg"):
            e = getattr(s, attr, None)
            if isinstance(e, tuple) and e[0] != "const":
                setattr(s, attr, ("const", 1))
                changed = True
        if getattr(s, "args", None):
            s.args = []
            changed = True
        return changed

    for _, li, si, kind in sites:
        out.append(("delete", clone_and(delete, li, si)))
    for _, li, si, kind in sites:
        out.append(("unwrap", clone_and(unwrap, li, si)))
    for _, li, si, kind in sites:
        out.append(("simplify", clone_and(simplify, li, si)))
    return out


def size(p):
    return sum(len(lst) for lst in gen.all_lists(p)) + len(p.helpers)


def measure(p):
    return (size(p), len(gen.go_source([p])))


class Shrinker:
    def __init__(self, builder, a):
        self.b = builder
        self.a = a

    def outcome(self, p):
        """(mismatch?, go outcome, C++ outcome), or None when the program does not build."""
        go_src = gen.go_source([p])
        cpp_src = gen.cpp_source([p])
        try:
            with cf.ThreadPoolExecutor(max_workers=2) as pool:
                gf = pool.submit(self.b.go_binary, go_src, False)
                cf_ = pool.submit(self.b.cxx_binary, cpp_src, False)
                go_exe = gf.result()
                cxx_exe = cf_.result()
        except BuildError as e:
            return None, str(e)
        same, g, c = compare(go_exe, cxx_exe, p.seed, self.a.timeout)
        for exe in (go_exe, cxx_exe):
            shutil.rmtree(os.path.dirname(exe), ignore_errors=True)
        return (not same, g, c), None

    def shrink(self, p):
        deadline = time.time() + self.a.shrink_seconds
        best = cleanup(copy.deepcopy(p))
        res, err = self.outcome(best)
        if res is None or not res[0]:
            best, res = p, None  # keep the original if cleanup alone lost it
            res, err = self.outcome(best)
        if res is None:
            return p, None, err
        progress = True
        while progress and time.time() < deadline:
            progress = False
            for what, make in candidates(best):
                if time.time() >= deadline:
                    break
                q = make()
                if q is None or gen.avoided_shape(q) or measure(q) >= measure(best):
                    continue
                r, _ = self.outcome(q)
                if r is not None and r[0]:
                    best, res = q, r
                    progress = True
                    break
        return best, res, None


# --------------------------------------------------------------------------------------------
# Main


def main(argv=None):
    a = options(sys.argv[1:] if argv is None else argv)
    os.makedirs(a.workdir, exist_ok=True)
    t0 = time.time()
    if 0 < len(a.fresh_seeds) <= 5:
        for s in a.fresh_seeds:
            print("fresh seed: %d  (reproduce: %s --seeds %d-%d)" % (s, sys.argv[0], s, s))
    elif a.fresh_seeds:
        print("fresh seeds (reproduce one with --seeds N-N): %s"
              % " ".join(str(s) for s in a.fresh_seeds))
    sys.stdout.flush()
    builder = Builder(a)
    fixed = [gen.generate(s) for s in a.fixed]
    fresh = [gen.generate(s) for s in a.fresh_seeds]
    chunks = [fixed[i:i + a.chunk] for i in range(0, len(fixed), a.chunk)]
    fresh_chunks = [fresh[i:i + a.chunk] for i in range(0, len(fresh), a.chunk)]
    print("differential: %d programs (%d fixed seeds, %d fresh) with %s %s; go: %s"
          % (len(fixed) + len(fresh), len(fixed), len(fresh), a.cxx, a.cxxflags or "",
             a.go), flush=True)
    try:
        built = build_chunks(builder, chunks, a.jobs, True)
        built += build_chunks(builder, fresh_chunks, a.jobs, False)
    except BuildError as e:
        print("BUILD FAILED\n%s" % e, flush=True)
        return 1
    t_build = time.time() - t0
    builder.prune(t0)
    if a.keep:
        for (g, cs) in built:
            print("binaries: %s %s (sources next to them)" % (g, " ".join(sorted(set(cs.values())))))

    tasks = []
    for (go_exe, cxx_exes), progs in zip(built, chunks + fresh_chunks):
        for p in progs:
            tasks.append((go_exe, cxx_exes[p.seed], p))
    mismatches = []
    lock = threading.Lock()
    done = [0]

    def work(t):
        go_exe, cxx_exe, p = t
        same, g, c = compare(go_exe, cxx_exe, p.seed, a.timeout)
        with lock:
            done[0] += 1
            if not same:
                mismatches.append((p, g, c))
                print("MISMATCH seed %d" % p.seed, flush=True)
        return same

    with cf.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        list(pool.map(work, tasks))
    t_run = time.time() - t0 - t_build
    print("differential: %d programs run, %d mismatches (build %.0fs, run %.0fs)"
          % (len(tasks), len(mismatches), t_build, t_run), flush=True)
    if not mismatches:
        for (g, cs) in built[len(chunks):]:
            for exe in [g] + list(cs.values()):
                shutil.rmtree(os.path.dirname(exe), ignore_errors=True)
        return 0

    mismatches.sort(key=lambda m: m[0].seed)
    print("failing seeds: %s" % " ".join(str(m[0].seed) for m in mismatches))
    shrinker = Shrinker(builder, a)
    for n, (p, g, c) in enumerate(mismatches):
        if n >= a.shrink_limit:
            break
        small, res = p, (True, g, c)
        if not a.no_shrink:
            print("shrinking seed %d ..." % p.seed, flush=True)
            s, r, err = shrinker.shrink(p)
            if r is not None:
                small, res = s, r
            elif err:
                print("(the program alone does not build: %s)" % err)
        go_src = gen.go_source([small])
        cpp_src = gen.cpp_source([small])
        print("=" * 100)
        print("MISMATCH seed %d (%d statements after shrinking, %d before)"
              % (p.seed, size(small), size(p)))
        print("=" * 100)
        print("---------- Go ----------")
        print(go_src)
        print("---------- C++ ----------")
        print(cpp_src)
        print(res[1].show("Go (go1.19)"))
        print(res[2].show("C++ (godefer)"))
        if a.save:
            d = os.path.join(a.save, "%02d" % (n + 1))
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "prog.go"), "w") as f:
                f.write(go_src)
            with open(os.path.join(d, "prog.cpp"), "w") as f:
                f.write(cpp_src)
            shutil.copy(os.path.join(HERE, "prelude.hpp"), os.path.join(d, "prelude.hpp"))
            with open(os.path.join(d, "go.out"), "w") as f:
                f.write(res[1].show("Go (go1.19)") + "\n--- full stderr:\n" + res[1].stderr)
            with open(os.path.join(d, "cpp.out"), "w") as f:
                f.write(res[2].show("C++ (godefer)") + "\n--- full stderr:\n" + res[2].stderr)
            with open(os.path.join(d, "README"), "w") as f:
                f.write("seed %d; run: ./prog %d (both sides)\n" % (p.seed, p.seed))
            print("saved to %s" % d)
    return 1


if __name__ == "__main__":
    sys.exit(main())
