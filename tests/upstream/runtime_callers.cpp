// runtime_callers.cpp: C++ translation of the panic and recover cases of Go's
// src/runtime/callers_test.go (the Go program is go/runtime_callers.go, trimmed as it is: the
// stack inspection is out of scope); `runtime_callers TestName` runs one test through
// upstream.hpp's stand-in for Go's testing package.
#include <cstdint>
#include <functional>
#include <vector>

#include <godefer/go.hpp>

#include "upstream.hpp"

using godefer::frame;
using godefer::panic;
using godefer::recover;
using godefer::run;
using upstream::is;
using upstream::T;

std::vector<std::uintptr_t> f2(bool pan);
std::vector<std::uintptr_t> f3(bool pan);

std::vector<std::uintptr_t> f1(bool pan) {
    return f2(pan);  // line 15
}

std::vector<std::uintptr_t> f2(bool pan) {
    return f3(pan);  // line 19
}

std::vector<std::uintptr_t> f3(bool pan) {
    if (pan) {
        panic("f3");  // line 24
    }
    std::vector<std::uintptr_t> ret(20);
    return ret;  // trimmed: ret[:runtime.Callers(0, ret)]
}

void TestCallersPanic(T* t) {
    run([&](frame& f) {
        f.defer([t] {
            if (auto r = recover(); !r) {
                t->Fatal("did not panic");
            }
            // trimmed: the stack inspection
        });
        f1(true);
    });
}

void TestCallersDoublePanic(T* t) {
    run([&](frame& f) {
        f.defer([t] {
            run([t](frame& g) {
                g.defer([t] {
                    // trimmed: pcs := runtime.Callers(...)
                    if (!recover()) {
                        t->Fatal("did not panic");
                    }
                    // trimmed: testCallersEqual(t, pcs, want)
                });
                if (!recover()) {
                    t->Fatal("did not panic");
                }
                panic(2);
            });
        });
        panic(1);
    });
}

// Test that a defer after a successful recovery looks like it is called directly
// from the function with the defers.
void TestCallersAfterRecovery(T* t) {
    run([&](frame& f) {
        f.defer([] {
            // trimmed: the stack inspection
        });
        f.defer([t] {
            if (!recover()) {
                t->Fatal("did not recover from panic");
            }
        });
        panic(1);
    });
}

void TestCallersAbortedPanic(T* t) {
    run([&](frame& f) {
        f.defer([t] {
            auto r = recover();
            if (r) {
                t->Fatalf("should be no panic remaining to recover");
            }
        });

        f.defer([] {
            // panic2 was aborted/replaced by panic1, so when panic2 was
            // recovered, there is no remaining panic on the stack.
            // trimmed: the stack inspection
        });
        f.defer([t] {
            auto r = recover();
            if (!is(r, "panic2")) {
                t->Fatalf("got " + fmt::v(r) + ", wanted panic2");
            }
        });
        f.defer([] {
            // panic2 aborts/replaces panic1, because it is a recursive panic
            // that is not recovered within the defer function called by
            // panic1 panicking sequence
            panic("panic2");
        });
        panic("panic1");
    });
}

void TestCallersAbortedPanic2(T* t) {
    run([&](frame& f) {
        f.defer([t] {
            auto r = recover();
            if (r) {
                t->Fatalf("should be no panic remaining to recover");
            }
        });
        f.defer([] {
            // trimmed: the stack inspection
        });
        run([&](frame& g) {
            g.defer([t] {
                auto r = recover();
                if (!is(r, "panic2")) {
                    t->Fatalf("got " + fmt::v(r) + ", wanted panic2");
                }
            });
            run([](frame& h) {
                h.defer([] {
                    // Again, panic2 aborts/replaces panic1
                    panic("panic2");
                });
                panic("panic1");
            });
        });
    });
}

void TestCallersDeferNilFuncPanic(T* t) {
    // Make sure we don't have any extra frames on the stack. We cut off the check
    // at runtime.sigpanic, because non-open-coded defers (which may be used in
    // non-opt or race checker mode) include an extra 'deferreturn' frame (which is
    // where the nil pointer deref happens).
    int state = 1;

    run([&](frame& fr) {
        fr.defer([t, &state] {
            if (auto r = recover(); !r) {
                t->Fatal("did not panic");
            }
            // trimmed: the stack inspection
            if (state == 1) {
                t->Fatal("nil defer func panicked at defer time rather than function exit time");
            }
        });
        std::function<void()> f;
        fr.defer(f);
        // Use the value of 'state' to make sure nil defer func f causes panic at
        // function exit, rather than at the defer statement.
        state = 2;
    });
}

// Same test, but forcing non-open-coded defer by putting the defer in a loop.  See
// issue #36050
void TestCallersDeferNilFuncPanicWithLoop(T* t) {
    int state = 1;

    run([&](frame& fr) {
        fr.defer([t, &state] {
            if (auto r = recover(); !r) {
                t->Fatal("did not panic");
            }
            // trimmed: the stack inspection
            if (state == 1) {
                t->Fatal("nil defer func panicked at defer time rather than function exit time");
            }
        });

        for (int i = 0; i < 1; i++) {
            std::function<void()> f;
            fr.defer(f);
        }
        // Use the value of 'state' to make sure nil defer func f causes panic at
        // function exit, rather than at the defer statement.
        state = 2;
    });
}

int main(int argc, char** argv) {
    upstream::case_table cases;
    auto add = [&](const char* name, void (*test)(T*)) {
        cases[name] = [name, test] { upstream::run_test(name, test); };
    };
    add("TestCallersPanic", TestCallersPanic);
    add("TestCallersDoublePanic", TestCallersDoublePanic);
    add("TestCallersAfterRecovery", TestCallersAfterRecovery);
    add("TestCallersAbortedPanic", TestCallersAbortedPanic);
    add("TestCallersAbortedPanic2", TestCallersAbortedPanic2);
    add("TestCallersDeferNilFuncPanic", TestCallersDeferNilFuncPanic);
    add("TestCallersDeferNilFuncPanicWithLoop", TestCallersDeferNilFuncPanicWithLoop);
    return upstream::dispatch(argc, argv, cases);
}
