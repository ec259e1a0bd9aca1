#!/usr/bin/env python3
"""gen.py: random programs for the differential test, emitted both as Go and as C++ (godefer).

A seed gives one program: a tree of statements (prints, defers of closures, helpers and
fmt.Println calls, loops of defers, func literals called inline, named helper functions with a
named result, panics, recover, re-panic, goroutines, runtime.Goexit in goroutines). The same tree
is printed as a Go program and as its literal C++ translation:

  - every Go function that defers is a godefer::run body (main is godefer::main);
  - a deferred func literal with defers of its own is a deferred lambda whose body is
    godefer::run([&](godefer::frame& g) { ... });
  - every variable a function declares (its loop variables too) is declared in C++ before the
    function's run body, so that deferred calls never read a dead local (docs/go-differences.md,
    "The lifetime rule");
  - `go f()` + wait is godefer::go(...) + join();
  - named results are ints declared outside the run body, captured by reference, returned after.

Constructs where godefer deviates from go1.19 on purpose are never generated (README.md lists
them); a program that would contain one is regenerated from a derived seed.

    python3 gen.py SEED --go      # the Go program (package main)
    python3 gen.py SEED --cpp     # the C++ program
"""

import argparse
import copy
import random
import sys

# --------------------------------------------------------------------------------------------
# The tree. Statements are Node objects with a `kind` and kind-specific fields; statement lists
# live in `body` (func bodies, if, loop, recover-if) and `lit.body` (func literals).
# Expressions are tuples: ('const', k), ('var', name), ('add', name, k), ('call', helper, expr).


class Node:
    def __init__(self, kind, **kw):
        self.kind = kind
        self.__dict__.update(kw)


class Helper:
    """A named function `func NAME(a int) (n int)`; in C++ `int NAME(int a)`."""

    def __init__(self, name, goexit_ok, deferred_only):
        self.name = name
        self.goexit_ok = goexit_ok  # may call runtime.Goexit: used in goroutines only
        self.deferred_only = deferred_only  # calls recover() directly: used by `defer` only
        self.body = []


class Program:
    def __init__(self, seed):
        self.seed = seed
        self.helpers = []
        self.main = []


PANIC_KINDS = ["str", "strf", "int", "err", "errf", "foreign"]

MAX_DEPTH = 4  # func literals nested in func literals


class Ctx:
    """Where a statement is generated."""

    def __init__(self, **kw):
        self.depth = 0  # func literal nesting
        self.goroutine = False  # running in a goroutine other than main: Goexit allowed
        self.direct_deferred = False  # the body of a deferred function: recover() allowed
        self.top = True  # top level of a function body: declarations and loops allowed
        self.in_loop = False
        self.vars = []  # visible int variables
        self.helper = None  # the helper whose body this is (return sets its result)
        self.recover_var = None  # the `r` of an enclosing `if r := recover(); r != nil`
        self.loop_vars = []  # read-only: assigning a loop variable could loop forever
        self.helpers = []  # helpers callable here
        self.__dict__.update(kw)

    def but(self, **kw):
        c = copy.copy(self)
        c.vars = list(self.vars)
        c.loop_vars = list(self.loop_vars)
        c.__dict__.update(kw)
        return c


class Gen:
    def __init__(self, seed, attempt):
        self.rng = random.Random(seed * 1000003 + attempt * 7919 + 17)
        self.counter = 0
        self.budget = self.rng.randint(8, 40)
        self.goroutines = 0
        # A style per program, so that some are about panics, some about goroutines.
        self.panic_weight = self.rng.choice([0.6, 1.0, 1.6])
        self.go_weight = self.rng.choice([0.3, 0.7, 1.5])
        self.goexit_weight = self.rng.choice([0.3, 0.8, 1.6])

    def fresh(self, prefix):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    # --- expressions ----------------------------------------------------------------------
    def int_expr(self, ctx, allow_call=False):
        r = self.rng.random()
        calls = [h for h in ctx.helpers if not h.deferred_only]
        if allow_call and calls and r < 0.15:
            return ("call", self.rng.choice(calls), self.int_expr(ctx))
        if ctx.vars and r < 0.55:
            return ("var", self.rng.choice(ctx.vars))
        if ctx.vars and r < 0.8:
            return ("add", self.rng.choice(ctx.vars), self.rng.randint(1, 9))
        return ("const", self.rng.randint(0, 9))

    # --- statements -----------------------------------------------------------------------
    def body(self, ctx, lo, hi, function=False):
        n = self.rng.randint(lo, hi)
        out = []
        if function and ctx.depth < MAX_DEPTH and self.rng.random() < 0.35:
            # Go's recovery idiom first: defer func() { if r := recover(); r != nil {...} }()
            out.append(self.g_defer_lit(ctx, idiom=True))
        for _ in range(n):
            if self.budget <= 0:
                break
            s = self.stmt(ctx, out)
            if s is not None:
                out.append(s)
                if s.kind in ("panic", "goexit", "return", "repanic"):
                    break
        return out

    def stmt(self, ctx, siblings):
        self.budget -= 1
        rng = self.rng
        w = {
            "print": 3.0,
            "assign": 1.2 if self.assignable(ctx) else 0.0,
            "decl": 1.0 if ctx.top and not ctx.in_loop else 0.0,
            "if": 0.9 if ctx.vars else 0.0,
            "loop": 1.0 if not ctx.in_loop and ctx.depth < MAX_DEPTH else 0.0,
            "defer_print": 2.2,
            "defer_lit": 3.2 if ctx.depth < MAX_DEPTH else 0.0,
            "defer_helper": 1.0 if ctx.helpers else 0.0,
            "call_lit": 1.0 if ctx.depth < MAX_DEPTH else 0.0,
            "call_helper": 1.3 if [h for h in ctx.helpers if not h.deferred_only] else 0.0,
            "go_lit": self.go_weight if ctx.depth < MAX_DEPTH and self.goroutines < 4 else 0.0,
            "go_helper": 0.4 * self.go_weight if ctx.helpers and self.goroutines < 4 else 0.0,
            "panic": (0.5 if ctx.depth == 0 and ctx.helper is None else 1.3) * self.panic_weight,
            "recover": 3.0 if ctx.direct_deferred else 0.0,
            "repanic": 1.0 if ctx.recover_var else 0.0,
            "wrap": 0.5 if ctx.recover_var else 0.0,
            "goexit": self.goexit_weight if ctx.goroutine else 0.0,
            "return": 0.3 if not ctx.in_loop else 0.15,
        }
        kinds = [k for k in w if w[k] > 0]
        kind = rng.choices(kinds, [w[k] for k in kinds])[0]
        return getattr(self, "g_" + kind)(ctx)

    def g_print(self, ctx):
        args = []
        if ctx.vars and self.rng.random() < 0.6:
            args.append(self.int_expr(ctx, allow_call=True))
        return Node("print", label=self.fresh("s"), args=args)

    def assignable(self, ctx):
        return [v for v in ctx.vars if v not in ctx.loop_vars]

    def g_assign(self, ctx):
        v = self.rng.choice(self.assignable(ctx))
        if self.rng.random() < 0.6:
            e = ("add", v, self.rng.randint(1, 9))
        else:
            e = self.int_expr(ctx, allow_call=True)
        return Node("assign", var=v, expr=e)

    def g_decl(self, ctx):
        v = self.fresh("v")
        s = Node("decl", var=v, expr=self.int_expr(ctx, allow_call=True))
        ctx.vars.append(v)  # visible to the following statements of this body
        return s

    def g_if(self, ctx):
        v = self.rng.choice(ctx.vars)
        op = self.rng.choice(["<", ">", "==", "!=", ">="])
        k = self.rng.randint(0, 9)
        return Node("if", var=v, op=op, k=k, body=self.body(ctx.but(top=False), 1, 3))

    def g_loop(self, ctx):
        v = self.fresh("i")
        count = self.rng.randint(1, 3)
        inner = ctx.but(top=False, in_loop=True)
        inner.vars.append(v)
        inner.loop_vars.append(v)
        return Node("loop", var=v, count=count, body=self.body(inner, 1, 3))

    def g_defer_print(self, ctx):
        args = []
        if self.rng.random() < 0.7:
            args.append(self.int_expr(ctx, allow_call=True))
        return Node("defer_print", label=self.fresh("d"), args=args)

    def lit(self, ctx, kind, param_arg=None, idiom=False):
        """A func literal; kind is 'defer', 'call' or 'go'."""
        inner = ctx.but(
            depth=ctx.depth + 1,
            top=True,
            in_loop=False,
            recover_var=None,
            direct_deferred=(kind == "defer"),
            goroutine=ctx.goroutine or kind == "go",
        )
        param = None
        if param_arg is not None:
            param = self.fresh("q")
            inner.vars.append(param)
        if kind == "go":
            inner.helpers = self.helpers_for(goroutine=True)
        hi = 4 if ctx.depth < 2 else 3
        body = []
        if idiom:
            body.append(self.g_recover(inner, variant="if"))
        body += self.body(inner, 0 if idiom else 1, hi, function=not idiom)
        return Node("lit", role=kind, param=param, arg=param_arg, body=body)

    def g_defer_lit(self, ctx, idiom=None):
        arg = self.int_expr(ctx) if self.rng.random() < 0.35 else None
        if idiom is None:
            idiom = self.rng.random() < 0.3
        return Node("defer_lit", lit=self.lit(ctx, "defer", arg, idiom))

    def g_call_lit(self, ctx):
        return Node("call_lit", lit=self.lit(ctx, "call"))

    def g_go_lit(self, ctx):
        self.goroutines += 1
        return Node("go_lit", lit=self.lit(ctx, "go"), tag=self.fresh("g"))

    def g_defer_helper(self, ctx):
        return Node("defer_helper", helper=self.rng.choice(ctx.helpers), arg=self.int_expr(ctx))

    def g_call_helper(self, ctx):
        h = self.rng.choice([h for h in ctx.helpers if not h.deferred_only])
        target = None
        if self.assignable(ctx) and self.rng.random() < 0.4:
            target = self.rng.choice(self.assignable(ctx))
        return Node("call_helper", helper=h, arg=self.int_expr(ctx), target=target,
                    label=self.fresh("c"))

    def g_go_helper(self, ctx):
        self.goroutines += 1
        hs = [h for h in self.helpers_for(goroutine=True) if not h.deferred_only]
        if not hs:
            return self.g_print(ctx)
        return Node("go_helper", helper=self.rng.choice(hs), arg=self.int_expr(ctx),
                    tag=self.fresh("g"))

    def g_panic(self, ctx):
        kind = self.rng.choice(PANIC_KINDS)
        var = self.rng.choice(ctx.vars) if ctx.vars else None
        if var is None and kind in ("strf", "errf"):
            kind = kind[:-1]
        return Node("panic", pkind=kind, label=self.fresh("p" if kind in ("str", "strf") else "e"),
                    k=self.rng.randint(10, 99), var=var)

    def g_recover(self, ctx, variant=None):
        if variant is None:
            variant = self.rng.choices(["if", "print", "bare"], [6, 2, 1])[0]
        s = Node("recover", variant=variant, label=self.fresh("r"), body=[])
        if variant == "if":
            s.rname = "r" + s.label[1:]
            s.body = [Node("print_recovered", label=s.label, rname=s.rname)]
            if self.rng.random() < 0.5:
                s.body += self.body(ctx.but(top=False, recover_var=s.rname), 1, 2)
        return s

    def g_repanic(self, ctx):
        return Node("repanic", rname=ctx.recover_var)

    def g_wrap(self, ctx):
        return Node("wrap", rname=ctx.recover_var, label=self.fresh("w"))

    def g_goexit(self, ctx):
        return Node("goexit")

    def g_return(self, ctx):
        e = None
        if ctx.helper is not None and ctx.depth == ctx.helper_depth and self.rng.random() < 0.7:
            e = self.int_expr(ctx)
        return Node("return", expr=e)

    # --- helpers and the program ------------------------------------------------------------
    def helpers_for(self, goroutine):
        return [h for h in self.all_helpers if goroutine or not h.goexit_ok]

    def program(self, seed):
        p = Program(seed)
        self.all_helpers = []
        for i in range(self.rng.choice([0, 1, 1, 2, 2, 3])):
            h = Helper("h%d" % (i + 1), goexit_ok=self.rng.random() < 0.3,
                       deferred_only=self.rng.random() < 0.3)
            callable_ = [x for x in self.all_helpers if h.goexit_ok or not x.goexit_ok]
            ctx = Ctx(goroutine=h.goexit_ok, direct_deferred=h.deferred_only,
                      vars=["a", "n"], helper=h, helper_depth=0, helpers=callable_)
            saved, self.budget = self.budget, self.rng.randint(3, 12)
            h.body = self.body(ctx, 1, 5, function=True)
            self.budget = saved
            self.all_helpers.append(h)
            p.helpers.append(h)
        ctx = Ctx(helpers=self.helpers_for(goroutine=False), helper=None, helper_depth=-1)
        p.main = self.body(ctx, 2, 8, function=True)
        return p


def generate(seed):
    """The program of `seed` (deterministic); never one of the avoided shapes."""
    for attempt in range(1000):
        p = Gen(seed, attempt).program(seed)
        if not avoided_shape(p):
            return p
    raise RuntimeError("seed %d: no valid program" % seed)


# --------------------------------------------------------------------------------------------
# Walking the tree


def child_lists(s):
    """The statement lists directly inside statement s."""
    if s.kind in ("if", "loop", "recover"):
        return [s.body]
    if s.kind in ("defer_lit", "call_lit", "go_lit"):
        return [s.lit.body]
    return []


def all_lists(p):
    """Every statement list of the program, outermost first."""
    out = []

    def walk(lst):
        out.append(lst)
        for s in lst:
            for c in child_lists(s):
                walk(c)

    for h in p.helpers:
        walk(h.body)
    walk(p.main)
    return out


def expr_calls(e):
    if e is None:
        return []
    if e[0] == "call":
        return [e[1]] + expr_calls(e[2])
    return []


def stmt_exprs(s):
    out = []
    for name in ("expr", "arg"):
        if getattr(s, name, None) is not None and isinstance(getattr(s, name), tuple):
            out.append(getattr(s, name))
    out += list(getattr(s, "args", []) or [])
    if s.kind == "defer_lit" and s.lit.arg is not None:
        out.append(s.lit.arg)
    return out


def avoided_shape(p):
    """True if the program holds a shape where go1.19 and godefer differ on purpose.

    go1.19 can lose a runtime.Goexit when two panics are stacked on it and the upper one is
    recovered (godefer follows the current Go runtime: the goexit resumes). Any goroutine that
    can call Goexit, can raise two panics (counted with loop and call multiplicity) and holds a
    recover() is refused."""

    def scan(lst, mult, acc):
        for s in lst:
            if s.kind == "loop":
                scan(s.body, mult * s.count, acc)
                continue
            if s.kind == "goexit":
                acc["goexit"] = True
            if s.kind in ("panic", "repanic", "wrap"):
                acc["panics"] += mult
            if s.kind == "recover":
                acc["recover"] = True
            for e in stmt_exprs(s):
                for h in expr_calls(e):
                    scan(h.body, mult, acc)
            if s.kind in ("call_helper", "defer_helper"):
                scan(s.helper.body, mult, acc)
            if s.kind in ("go_lit", "go_helper"):
                continue  # a goroutine of its own: checked as a unit below
            for c in child_lists(s):
                scan(c, mult, acc)

    units = []
    for lst in all_lists(p):
        for s in lst:
            if s.kind == "go_lit":
                units.append(s.lit.body)
            if s.kind == "go_helper":
                units.append(s.helper.body)
    for body in units:
        acc = {"goexit": False, "panics": 0, "recover": False}
        scan(body, 1, acc)
        if acc["goexit"] and acc["panics"] >= 2 and acc["recover"]:
            return True
    return False


def has_defer(lst):
    """Does this function body (not counting nested func literals) defer?"""
    for s in lst:
        if s.kind in ("defer_print", "defer_lit", "defer_helper"):
            return True
        if s.kind in ("if", "loop", "recover") and has_defer(s.body):
            return True
    return False


def declared_vars(lst):
    """Variables a function body declares (loop variables too), not counting func literals."""
    out = []
    for s in lst:
        if s.kind == "decl":
            out.append(s.var)
        if s.kind == "loop":
            out.append(s.var)
        if s.kind in ("if", "loop", "recover"):
            out += declared_vars(s.body)
    return out


# --------------------------------------------------------------------------------------------
# Go


class GoEmitter:
    def __init__(self, prefix):
        self.prefix = prefix

    def expr(self, e):
        if e[0] == "const":
            return str(e[1])
        if e[0] == "var":
            return e[1]
        if e[0] == "add":
            return "%s+%d" % (e[1], e[2])
        return "%s%s(%s)" % (self.prefix, e[1].name, self.expr(e[2]))

    def println(self, label, args):
        parts = ['"%s"' % label] + [self.expr(a) for a in args]
        return "fmt.Println(%s)" % ", ".join(parts)

    def panic_value(self, s):
        lab = s.label
        if s.pkind == "str":
            return '"%s"' % lab
        if s.pkind == "strf":
            return 'fmt.Sprintf("%s-%%d", %s)' % (lab, s.var)
        if s.pkind == "int":
            return "%d" % s.k if s.var is None else "%s+%d" % (s.var, s.k)
        if s.pkind == "errf":
            return 'fmt.Errorf("%s-%%d", %s)' % (lab, s.var)
        return 'errors.New("%s")' % lab  # err, foreign

    def stmts(self, lst, ind, out):
        for s in lst:
            self.stmt(s, ind, out)

    def lit(self, lit, ind, out, head):
        param = "%s int" % lit.param if lit.param else ""
        out.append("%s%sfunc(%s) {" % (ind, head, param))
        self.stmts(lit.body, ind + "\t", out)
        arg = self.expr(lit.arg) if lit.arg is not None else ""
        out.append("%s}(%s)" % (ind, arg))

    def stmt(self, s, ind, out):
        P = self.prefix
        k = s.kind
        if k == "print":
            out.append(ind + self.println(s.label, s.args))
        elif k == "decl":
            out.append("%s%s := %s" % (ind, s.var, self.expr(s.expr)))
            out.append("%s_ = %s" % (ind, s.var))
        elif k == "assign":
            out.append("%s%s = %s" % (ind, s.var, self.expr(s.expr)))
        elif k == "if":
            out.append("%sif %s %s %d {" % (ind, s.var, s.op, s.k))
            self.stmts(s.body, ind + "\t", out)
            out.append(ind + "}")
        elif k == "loop":
            out.append("%sfor %s := 0; %s < %d; %s++ {" % (ind, s.var, s.var, s.count, s.var))
            self.stmts(s.body, ind + "\t", out)
            out.append(ind + "}")
        elif k == "defer_print":
            out.append(ind + "defer " + self.println(s.label, s.args))
        elif k == "defer_lit":
            self.lit(s.lit, ind, out, "defer ")
        elif k == "call_lit":
            self.lit(s.lit, ind, out, "")
        elif k == "go_lit":
            out.append("%s{" % ind)
            out.append("%s\t%s := runtime.NumGoroutine()" % (ind, s.tag))
            self.lit(s.lit, ind + "\t", out, "go ")
            out.append("%s\twaitGoroutines(%s)" % (ind, s.tag))
            out.append("%s}" % ind)
        elif k == "go_helper":
            out.append("%s{" % ind)
            out.append("%s\t%s := runtime.NumGoroutine()" % (ind, s.tag))
            out.append("%s\tgo %s%s(%s)" % (ind, P, s.helper.name, self.expr(s.arg)))
            out.append("%s\twaitGoroutines(%s)" % (ind, s.tag))
            out.append("%s}" % ind)
        elif k == "defer_helper":
            out.append("%sdefer %s%s(%s)" % (ind, P, s.helper.name, self.expr(s.arg)))
        elif k == "call_helper":
            call = "%s%s(%s)" % (P, s.helper.name, self.expr(s.arg))
            if s.target:
                out.append("%s%s = %s" % (ind, s.target, call))
            else:
                out.append('%sfmt.Println("%s", %s)' % (ind, s.label, call))
        elif k == "panic":
            out.append("%spanic(%s)" % (ind, self.panic_value(s)))
        elif k == "recover":
            if s.variant == "if":
                out.append("%sif %s := recover(); %s != nil {" % (ind, s.rname, s.rname))
                self.stmts(s.body, ind + "\t", out)
                out.append(ind + "}")
            elif s.variant == "print":
                out.append('%sfmt.Println("%s recover:", recover())' % (ind, s.label))
            else:
                out.append("%srecover()" % ind)
        elif k == "print_recovered":
            out.append('%sfmt.Println("%s recovered:", %s)' % (ind, s.label, s.rname))
        elif k == "repanic":
            out.append("%spanic(%s)" % (ind, s.rname))
        elif k == "wrap":
            out.append('%spanic(fmt.Sprint("%s:", %s))' % (ind, s.label, s.rname))
        elif k == "goexit":
            out.append("%sruntime.Goexit()" % ind)
        elif k == "return":
            if s.expr is not None:
                out.append("%sreturn %s" % (ind, self.expr(s.expr)))
            else:
                out.append("%sreturn" % ind)
        else:
            raise ValueError(k)

    def program(self, p):
        out = ["// program %d" % p.seed]
        for h in p.helpers:
            out.append("func %s%s(a int) (n int) {" % (self.prefix, h.name))
            out.append("\t_, _ = a, n")
            self.stmts(h.body, "\t", out)
            out.append("\treturn")
            out.append("}")
            out.append("")
        out.append("func %smain() {" % self.prefix)
        self.stmts(p.main, "\t", out)
        out.append("}")
        out.append("")
        return "\n".join(out)


GO_HEADER = """// Generated by tests/differential/gen.py: random Go programs of the differential test.
package main

import (
\t"errors"
\t"fmt"
\t"os"
\t"runtime"
\t"strconv"
\t"time"
)

var _ = errors.New
var _ = fmt.Sprint

// waitGoroutines waits until the goroutines started since NumGoroutine() was n have ended.
// A goroutine that crashes never ends: the process exits with the report first, so main can
// never finish early (a deferred wg.Done() would wake main before the crash report).
func waitGoroutines(n int) {
\tfor runtime.NumGoroutine() > n {
\t\ttime.Sleep(20 * time.Microsecond)
\t}
}
"""


def go_source(progs):
    """One Go program holding `progs`; `./prog SEED` runs program SEED."""
    out = [GO_HEADER]
    for p in progs:
        out.append(GoEmitter("p%d_" % p.seed).program(p))
    out.append("func main() {")
    out.append("\tseed, _ := strconv.Atoi(os.Args[1])")
    out.append("\tswitch seed {")
    for p in progs:
        out.append("\tcase %d:" % p.seed)
        out.append("\t\tp%d_main()" % p.seed)
    out.append("\tdefault:")
    out.append('\t\tfmt.Fprintln(os.Stderr, "no program", seed)')
    out.append("\t\tos.Exit(100)")
    out.append("\t}")
    out.append("}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# C++


class CppEmitter:
    def __init__(self):
        self.frames = []  # the frame variable of each enclosing function (None: no run)
        self.nframe = 0

    def expr(self, e):
        if e[0] == "const":
            return str(e[1])
        if e[0] == "var":
            return e[1]
        if e[0] == "add":
            return "%s + %d" % (e[1], e[2])
        return "%s(%s)" % (e[1].name, self.expr(e[2]))

    def println(self, label, args):
        parts = ['"%s"' % label] + [self.expr(a) for a in args]
        return "gd::Println(%s)" % ", ".join(parts)

    def stmts(self, lst, ind, out):
        for s in lst:
            self.stmt(s, ind, out)

    def function_body(self, lst, ind, out, declared=()):
        """The body of a Go function, at indent ind: locals first, then run if it defers."""
        vs = [v for v in declared_vars(lst) if v not in declared]
        if vs:
            out.append("%sint %s;" % (ind, ", ".join("%s = 0" % v for v in vs)))
        if has_defer(lst):
            self.nframe += 1
            fr = "fr%d" % self.nframe
            out.append("%sgodefer::run([&](godefer::frame& %s) {" % (ind, fr))
            self.frames.append(fr)
            self.stmts(lst, ind + "    ", out)
            self.frames.pop()
            out.append("%s});" % ind)
        else:
            self.frames.append(None)
            self.stmts(lst, ind, out)
            self.frames.pop()

    def lit_lambda(self, lit, ind, out, head, tail):
        """[&](int q) { body } with `head` before and `tail` after the closing brace."""
        param = "int %s" % lit.param if lit.param else ""
        out.append("%s%s[&](%s) {" % (ind, head, param))
        self.function_body(lit.body, ind + "    ", out)
        out.append("%s}%s" % (ind, tail))

    def panic_stmt(self, s):
        lab = s.label
        if s.pkind == "str":
            return 'godefer::panic("%s");' % lab
        if s.pkind == "strf":
            return 'godefer::panic("%s-" + std::to_string(%s));' % (lab, s.var)
        if s.pkind == "int":
            return "godefer::panic(%s);" % ("%d" % s.k if s.var is None else "%s + %d" % (s.var, s.k))
        if s.pkind == "err":
            return 'godefer::panic(std::runtime_error("%s"));' % lab
        if s.pkind == "errf":
            return 'godefer::panic(std::runtime_error("%s-" + std::to_string(%s)));' % (lab, s.var)
        return 'throw std::runtime_error("%s");' % lab  # foreign

    def stmt(self, s, ind, out):
        k = s.kind
        fr = self.frames[-1] if self.frames else None
        if k == "print":
            out.append(ind + self.println(s.label, s.args) + ";")
        elif k in ("decl", "assign"):
            out.append("%s%s = %s;" % (ind, s.var, self.expr(s.expr)))
        elif k == "if":
            out.append("%sif (%s %s %d) {" % (ind, s.var, s.op, s.k))
            self.stmts(s.body, ind + "    ", out)
            out.append(ind + "}")
        elif k == "loop":
            out.append("%sfor (%s = 0; %s < %d; %s++) {" % (ind, s.var, s.var, s.count, s.var))
            self.stmts(s.body, ind + "    ", out)
            out.append(ind + "}")
        elif k == "defer_print":
            parts = ["gd::Println", '"%s"' % s.label] + [self.expr(a) for a in s.args]
            out.append("%s%s.defer(%s);" % (ind, fr, ", ".join(parts)))
        elif k == "defer_lit":
            tail = ", %s);" % self.expr(s.lit.arg) if s.lit.arg is not None else ");"
            self.lit_lambda(s.lit, ind, out, "%s.defer(" % fr, tail)
        elif k == "call_lit":
            self.lit_lambda(s.lit, ind, out, "", "();")
        elif k == "go_lit":
            out.append("%s{" % ind)
            self.lit_lambda(s.lit, ind + "    ", out, "std::thread %s = godefer::go(" % s.tag, ");")
            out.append("%s    %s.join();" % (ind, s.tag))
            out.append("%s}" % ind)
        elif k == "go_helper":
            out.append("%s{" % ind)
            out.append("%s    std::thread %s = godefer::go(%s, %s);"
                       % (ind, s.tag, s.helper.name, self.expr(s.arg)))
            out.append("%s    %s.join();" % (ind, s.tag))
            out.append("%s}" % ind)
        elif k == "defer_helper":
            out.append("%s%s.defer(%s, %s);" % (ind, fr, s.helper.name, self.expr(s.arg)))
        elif k == "call_helper":
            call = "%s(%s)" % (s.helper.name, self.expr(s.arg))
            if s.target:
                out.append("%s%s = %s;" % (ind, s.target, call))
            else:
                out.append('%sgd::Println("%s", %s);' % (ind, s.label, call))
        elif k == "panic":
            out.append(ind + self.panic_stmt(s))
        elif k == "recover":
            if s.variant == "if":
                out.append("%sif (godefer::panic_value %s = godefer::recover()) {" % (ind, s.rname))
                self.stmts(s.body, ind + "    ", out)
                out.append(ind + "}")
            elif s.variant == "print":
                out.append('%sgd::Println("%s recover:", godefer::recover());' % (ind, s.label))
            else:
                out.append("%s(void)godefer::recover();" % ind)
        elif k == "print_recovered":
            out.append('%sgd::Println("%s recovered:", %s);' % (ind, s.label, s.rname))
        elif k == "repanic":
            out.append("%s%s.repanic();" % (ind, s.rname))
        elif k == "wrap":
            out.append('%sgodefer::panic("%s:" + %s.message());' % (ind, s.label, s.rname))
        elif k == "goexit":
            out.append("%sgodefer::goexit();" % ind)
        elif k == "return":
            if s.expr is not None:
                out.append("%sn = %s;" % (ind, self.expr(s.expr)))
            out.append("%sreturn;" % ind)
        else:
            raise ValueError(k)

    def program(self, p):
        out = ["// program %d" % p.seed, "namespace p%d {" % p.seed]
        for h in p.helpers:
            out.append("int %s(int a) {" % h.name)
            out.append("    int n = 0;")
            vs = declared_vars(h.body)
            if vs:
                out.append("    int %s;" % ", ".join("%s = 0" % v for v in vs))
            self.nframe += 1
            fr = "fr%d" % self.nframe
            out.append("    godefer::run([&](godefer::frame& %s) {" % fr)
            out.append("        (void)%s;" % fr)
            self.frames.append(fr)
            self.stmts(h.body, "        ", out)
            self.frames.pop()
            out.append("    });")
            out.append("    return n;")
            out.append("}")
        out.append("int main_() {")
        vs = declared_vars(p.main)
        if vs:
            out.append("    int %s;" % ", ".join("%s = 0" % v for v in vs))
        self.nframe += 1
        fr = "fr%d" % self.nframe
        out.append("    return godefer::main([&](godefer::frame& %s) {" % fr)
        out.append("        (void)%s;" % fr)
        self.frames.append(fr)
        self.stmts(p.main, "        ", out)
        self.frames.pop()
        out.append("    });")
        out.append("}")
        out.append("}  // namespace p%d" % p.seed)
        out.append("")
        return "\n".join(out)


CPP_HEADER = """// Generated by tests/differential/gen.py: the C++ translations of random Go programs.
#include "prelude.hpp"
"""


def cpp_source(progs, with_main=True, entry=None):
    """C++ for `progs`, with a function `entry(long seed, int* status)` that runs program `seed`
    (false for an unknown seed) and, with_main, a main() running the program named by argv[1]."""
    out = [CPP_HEADER]
    for p in progs:
        out.append(CppEmitter().program(p))
    name = "main_of_seed" if entry is None else entry
    out.append("bool %s(long seed, int* status) {" % name)
    out.append("    switch (seed) {")
    for p in progs:
        out.append("        case %d: *status = p%d::main_(); return true;" % (p.seed, p.seed))
    out.append("        default: return false;")
    out.append("    }")
    out.append("}")
    if with_main:
        out.append("int main(int argc, char** argv) {")
        out.append("    int status = 100;")
        out.append("    if (argc < 2 || !%s(std::atol(argv[1]), &status)) {" % name)
        out.append('        std::fprintf(stderr, "no program %s\\n", argc > 1 ? argv[1] : "");')
        out.append("        return 100;")
        out.append("    }")
        out.append("    return status;")
        out.append("}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("seed", type=int)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--go", action="store_true")
    g.add_argument("--cpp", action="store_true")
    a = ap.parse_args()
    p = generate(a.seed)
    sys.stdout.write(go_source([p]) if a.go else cpp_source([p]))


if __name__ == "__main__":
    main()
