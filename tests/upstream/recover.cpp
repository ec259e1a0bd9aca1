// recover.cpp: C++ translation of Go's test/recover.go ("Test of basic recover functionality";
// the Go program is go/recover.go); `recover testN` runs one test. The tests check themselves and
// die (runtime.Breakpoint) on the first wrong recover, printing why on stderr.
//
// Go calls that evaluate several recover() as arguments (mustRecoverBody(doubleRecover(),
// recover(), recover(), x)) are sequenced into locals first: Go evaluates arguments left to
// right, C++ leaves the order unspecified. Go's interface methods are virtual functions; a
// deferred method call `defer i.M()` is f.defer(&I::M, i).
#include <any>
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <godefer/go.hpp>

#include "upstream.hpp"

using godefer::frame;
using godefer::panic;
using godefer::panic_value;
using godefer::recover;
using godefer::run;
using upstream::is;
using upstream::println;

[[noreturn]] void die() {
    upstream::breakpoint();  // can't depend on panic
}

void mustRecoverBody(const panic_value& v1, const panic_value& v2, const panic_value& v3, int x) {
    panic_value v = v1;
    if (v) {
        println("spurious recover", v);
        die();
    }
    v = v2;
    if (!v) {
        println("missing recover", x);
        die();  // panic is useless here
    }
    if (!is(v, x)) {
        println("wrong value", v, x);
        die();
    }

    // the value should be gone now regardless
    v = v3;
    if (v) {
        println("recover didn't recover");
        die();
    }
}

panic_value doubleRecover() {
    return recover();
}

void mustRecover(int x) {
    panic_value v1 = doubleRecover();
    panic_value v2 = recover();
    panic_value v3 = recover();
    mustRecoverBody(v1, v2, v3, x);
}

void mustNotRecover() {
    panic_value v = recover();
    if (v) {
        println("spurious recover", v);
        die();
    }
}

void withoutRecover() {
    mustNotRecover();  // because it's a sub-call
}

void withoutRecoverRecursive(int n) {
    if (n == 0) {
        withoutRecoverRecursive(1);
    } else {
        panic_value v = recover();
        if (v) {
            println("spurious recover (recursive)", v);
            die();
        }
    }
}

void test1() {
    run([](frame& f) {
        f.defer(mustNotRecover);              // because mustRecover will squelch it
        f.defer(mustRecover, 1);              // because of panic below
        f.defer(withoutRecover);              // should be no-op, leaving for mustRecover to find
        f.defer(withoutRecoverRecursive, 0);  // ditto
        panic(1);
    });
}

// Repeat test1 with closures instead of standard function.
// Interesting because recover bases its decision
// on the frame pointer of its caller, and a closure's
// frame pointer is in the middle of its actual arguments
// (after the hidden ones for the closed-over variables).
void test1WithClosures() {
    run([](frame& f) {
        f.defer([] {
            panic_value v = recover();
            if (v) {
                println("spurious recover in closure");
                die();
            }
        });
        f.defer(
            [](int x) {
                mustNotRecover();
                panic_value v = recover();
                if (!v) {
                    println("missing recover", x);
                    die();
                }
                if (!is(v, x)) {
                    println("wrong value", v, x);
                    die();
                }
            },
            1);
        f.defer([] { mustNotRecover(); });
        panic(1);
    });
}

void test2() {
    // Recover only sees the panic argument
    // if it is called from a deferred call.
    // It does not see the panic when called from a call within a deferred call (too late)
    // nor does it see the panic when it *is* the deferred call (too early).
    run([](frame& f) {
        f.defer(mustRecover, 2);
        f.defer(recover);  // should be no-op
        panic(2);
    });
}

void test3() {
    run([](frame& f) {
        f.defer(mustNotRecover);
        f.defer([] {
            recover();  // should squelch
        });
        panic(3);
    });
}

void test4() {
    // Equivalent to test3 but using defer to make the call.
    run([](frame& f) {
        f.defer(mustNotRecover);
        f.defer([] {
            run([](frame& g) {
                g.defer(recover);  // should squelch
            });
        });
        panic(4);
    });
}

// Go's x.(V) on an interface{} that holds a recovered value or a plain one.
template <class V>
V assert_type(const std::any& x) {
    if (const auto* v = std::any_cast<panic_value>(&x))
        return upstream::as<V>(*v);
    return std::any_cast<V>(x);
}

// Check that closures can set output arguments.
// Run g().  If it panics, return x; else return deflt.
std::any try_(const std::function<void()>& g, const std::any& deflt) {
    std::any x;  // the named result
    run([&](frame& f) {
        f.defer([&x] {
            if (panic_value v = recover()) {
                x = v;
            }
        });
        f.defer(g);
        x = deflt;  // return deflt
    });
    return x;
}

// Check that closures can set output arguments.
// Run g().  If it panics, return x; else return deflt.
std::any try1(const std::function<void()>& g, const std::any& deflt) {
    std::any x;  // the named result
    run([&](frame& f) {
        f.defer([&x] {
            if (panic_value v = recover()) {
                x = v;
            }
        });
        f.defer(g);
        x = deflt;
    });
    return x;
}

void test5() {
    int v = assert_type<int>(try_([] { panic(5); }, 55));
    if (v != 5) {
        println("wrong value", v, 5);
        die();
    }

    std::string s = assert_type<std::string>(try_([] {}, std::string("hi")));
    if (s != "hi") {
        println("wrong value", s, "hi");
        die();
    }

    v = assert_type<int>(try1([] { panic(5); }, 55));
    if (v != 5) {
        println("try1 wrong value", v, 5);
        die();
    }

    s = assert_type<std::string>(try1([] {}, std::string("hi")));
    if (s != "hi") {
        println("try1 wrong value", s, "hi");
        die();
    }
}

// When a deferred big call starts, it must first
// create yet another stack segment to hold the
// giant frame for x.  Make sure that doesn't
// confuse recover.
void big(bool mustRecover_) {
    volatile int x[100000];
    x[0] = 1;
    x[99999] = 1;
    (void)x;

    panic_value v = recover();
    if (mustRecover_) {
        if (!v) {
            println("missing big recover");
            die();
        }
    } else {
        if (v) {
            println("spurious big recover");
            die();
        }
    }
}

void test6() {
    run([](frame& f) {
        f.defer(big, false);
        f.defer(big, true);
        panic(6);
    });
}

void test6WithClosures() {
    run([](frame& f) {
        f.defer([] {
            volatile int x[100000];
            x[0] = 1;
            x[99999] = 1;
            (void)x;
            if (recover()) {
                println("spurious big closure recover");
                die();
            }
        });
        f.defer([] {
            volatile int x[100000];
            x[0] = 1;
            x[99999] = 1;
            (void)x;
            if (!recover()) {
                println("missing big closure recover");
                die();
            }
        });
        panic("6WithClosures");
    });
}

void test7() {
    bool ok = false;
    run([&](frame& f) {
        // should panic, then call mustRecover 7, which stops the panic.
        // then should keep processing ordinary defers earlier than that one
        // before returning.
        // this test checks that the defer func on the next line actually runs.
        f.defer([&ok] { ok = true; });
        f.defer(mustRecover, 7);
        panic(7);
    });
    if (!ok) {
        println("did not run ok func");
        die();
    }
}

void varargs(int* s, const std::vector<int>& a) {
    *s = 0;
    for (int v : a) {
        *s += v;
    }
    if (recover()) {
        *s += 100;
    }
}

int test8a() {
    int r = 0;  // the named result
    run([&](frame& f) {
        f.defer(varargs, &r, std::vector<int>{1, 2, 3});
        panic(0);
    });
    return r;
}

int test8b() {
    int r = 0;  // the named result
    run([&](frame& f) { f.defer(varargs, &r, std::vector<int>{4, 5, 6}); });
    return r;
}

void test8() {
    if (test8a() != 106 || test8b() != 15) {
        println("wrong value");
        die();
    }
}

struct I {
    virtual void M() = 0;
    virtual ~I() = default;
};

// pointer receiver, so no wrapper in i.M()
struct T1 : I {
    void M() override {
        panic_value v1 = doubleRecover();
        panic_value v2 = recover();
        panic_value v3 = recover();
        mustRecoverBody(v1, v2, v3, 9);
    }
};

void test9() {
    T1 t1;
    I* i = &t1;
    run([&](frame& f) {
        f.defer(&I::M, i);
        panic(9);
    });
}

// word-sized value receiver, so no wrapper in i.M()
struct T2 : I {
    std::uintptr_t value = 0;
    void M() override {
        panic_value v1 = doubleRecover();
        panic_value v2 = recover();
        panic_value v3 = recover();
        mustRecoverBody(v1, v2, v3, 10);
    }
};

void test10() {
    T2 t2;
    I* i = &t2;
    run([&](frame& f) {
        f.defer(&I::M, i);
        panic(10);
    });
}

// tiny receiver, so basic wrapper in i.M()
struct T3 : I {
    void M() override {
        panic_value v1 = doubleRecover();
        panic_value v2 = recover();
        panic_value v3 = recover();
        mustRecoverBody(v1, v2, v3, 11);
    }
};

void test11() {
    T3 t3;
    I* i = &t3;
    run([&](frame& f) {
        f.defer(&I::M, i);
        panic(11);
    });
}

void badstate();

// tiny receiver, so basic wrapper in i.M()
struct T3deeper : I {
    void M() override {
        badstate();  // difference from T3
        panic_value v1 = doubleRecover();
        panic_value v2 = recover();
        panic_value v3 = recover();
        mustRecoverBody(v1, v2, v3, 111);
    }
};

void test111() {
    T3deeper t3;
    I* i = &t3;
    run([&](frame& f) {
        f.defer(&I::M, i);
        panic(111);
    });
}

struct Tiny : I {
    void M() override { panic(112); }
};

// i.M is a wrapper, and i.M panics.
//
// This is a torture test for an old implementation of recover that
// tried to deal with wrapper functions by doing some argument
// positioning math on both entry and exit. (See Go's test/recover.go.)
void badstate() {
    Tiny tiny;
    I* i = &tiny;
    run([&](frame& f) {
        f.defer([] { recover(); });
        i->M();
    });
}

// large receiver, so basic wrapper in i.M()
struct T4 : I {
    std::array<std::string, 2> value;
    void M() override {
        panic_value v1 = doubleRecover();
        panic_value v2 = recover();
        panic_value v3 = recover();
        mustRecoverBody(v1, v2, v3, 12);
    }
};

void test12() {
    T4 t4;
    I* i = &t4;
    run([&](frame& f) {
        f.defer(&I::M, i);
        panic(12);
    });
}

// enormous receiver, so wrapper splits stack to call M
struct T5 : I {
    std::array<std::uint8_t, 8192> value{};
    void M() override {
        panic_value v1 = doubleRecover();
        panic_value v2 = recover();
        panic_value v3 = recover();
        mustRecoverBody(v1, v2, v3, 13);
    }
};

void test13() {
    T5 t5;
    I* i = &t5;
    run([&](frame& f) {
        f.defer(&I::M, i);
        panic(13);
    });
}

// enormous receiver + enormous method frame, so wrapper splits stack to call M,
// and then M splits stack to allocate its frame.
// recover must look back two frames to find the panic.
std::uint8_t global;

struct T6 : I {
    std::array<std::uint8_t, 8192> value{};
    void M() override {
        std::array<std::uint8_t, 8192> x{};
        x[0] = 1;
        x[1] = 2;
        for (std::uint8_t b : x) {
            global = static_cast<std::uint8_t>(global + b);
        }
        panic_value v1 = doubleRecover();
        panic_value v2 = recover();
        panic_value v3 = recover();
        mustRecoverBody(v1, v2, v3, 14);
    }
};

void test14() {
    T6 t6;
    I* i = &t6;
    run([&](frame& f) {
        f.defer(&I::M, i);
        panic(14);
    });
}

int main(int argc, char** argv) {
    return upstream::dispatch(argc, argv,
                              {
                                  {"test1", test1},
                                  {"test1WithClosures", test1WithClosures},
                                  {"test2", test2},
                                  {"test3", test3},
                                  {"test4", test4},
                                  {"test5", test5},
                                  {"test6", test6},
                                  {"test6WithClosures", test6WithClosures},
                                  {"test7", test7},
                                  {"test8", test8},
                                  {"test9", test9},
                                  {"test10", test10},
                                  {"test11", test11},
                                  {"test111", test111},
                                  {"test12", test12},
                                  {"test13", test13},
                                  {"test14", test14},
                              });
}
