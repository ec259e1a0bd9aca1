// recover1.cpp: C++ translation of Go's test/recover1.go ("Test of recover during recursive
// panics. Here be dragons."; the Go program is go/recover1.go); `recover1 testN` runs one test.
// The tests check themselves and die (runtime.Breakpoint) on the first wrong recover, printing
// why on stderr. A func literal with defers is a nested run; `defer recover()` is
// f.defer(godefer::recover).
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

void mustNotRecover();

void mustRecover(int x) {
    mustNotRecover();  // because it's not a defer call
    panic_value v = recover();
    if (!v) {
        println("missing recover");
        die();  // panic is useless here
    }
    if (!is(v, x)) {
        println("wrong value", v, x);
        die();
    }

    // the value should be gone now regardless
    v = recover();
    if (v) {
        println("recover didn't recover");
        die();
    }
}

void mustNotRecover() {
    panic_value v = recover();
    if (v) {
        println("spurious recover");
        die();
    }
}

void withoutRecover() {
    mustNotRecover();  // because it's a sub-call
}

void test1() {
    // Easy nested recursive panic.
    run([](frame& f) {
        f.defer(mustRecover, 1);
        f.defer([] {
            run([](frame& g) {
                g.defer(mustRecover, 2);
                panic(2);
            });
        });
        panic(1);
    });
}

void test2() {
    // Sequential panic.
    run([](frame& f) {
        f.defer(mustNotRecover);
        f.defer([] {
            run([](frame& g) {
                panic_value v = recover();
                if (!v || !is(v, 2)) {
                    println("wrong value", v, 2);
                    die();
                }
                g.defer(mustRecover, 3);
                panic(3);
            });
        });
        panic(2);
    });
}

void test3() {
    // Sequential panic - like test2 but less picky.
    run([](frame& f) {
        f.defer(mustNotRecover);
        f.defer([] {
            run([](frame& g) {
                recover();
                g.defer(mustRecover, 3);
                panic(3);
            });
        });
        panic(2);
    });
}

void test4() {
    // Single panic.
    run([](frame& f) {
        f.defer(mustNotRecover);
        f.defer([] { recover(); });
        panic(4);
    });
}

void test5() {
    // Single panic but recover called via defer
    run([](frame& f) {
        f.defer(mustNotRecover);
        f.defer([] { run([](frame& g) { g.defer(recover); }); });
        panic(5);
    });
}

void test6() {
    // Sequential panic.
    // Like test3, but changed recover to defer (same change as test4 → test5).
    run([](frame& f) {
        f.defer(mustNotRecover);
        f.defer([] {
            run([](frame& g) {
                g.defer(recover);  // like a normal call from this func; runs because mustRecover
                                   // stops the panic
                g.defer(mustRecover, 3);
                panic(3);
            });
        });
        panic(2);
    });
}

void test7() {
    // Like test6, but swapped defer order.
    // The recover in "defer recover()" is now a no-op,
    // because it runs called from panic, not from the func,
    // and therefore cannot see the panic of 2.
    // (Alternately, it cannot see the panic of 2 because
    // there is an active panic of 3.  And it cannot see the
    // panic of 3 because it is at the wrong level (too high on the stack).)
    run([](frame& f) {
        f.defer(mustRecover, 2);
        f.defer([] {
            run([](frame& g) {
                g.defer(mustRecover, 3);
                g.defer(recover);  // now a no-op, unlike in test6.
                panic(3);
            });
        });
        panic(2);
    });
}

int main(int argc, char** argv) {
    return upstream::dispatch(argc, argv,
                              {
                                  {"test1", test1},
                                  {"test2", test2},
                                  {"test3", test3},
                                  {"test4", test4},
                                  {"test5", test5},
                                  {"test6", test6},
                                  {"test7", test7},
                              });
}
