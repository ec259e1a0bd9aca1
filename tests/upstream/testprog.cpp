// testprog.cpp: C++ translation of the panic, recover and Goexit programs of Go's
// src/runtime/testdata/testprog (deadlock.go, crash.go) that src/runtime/crash_test.go runs
// (TestGoexitDeadlock, TestRecursivePanic..5, TestGoexitCrash, TestGoexitInPanic,
// TestPanicAfterGoexit, TestRecoveredPanicAfterGoexit, TestRecoverBeforePanicAfterGoexit(2),
// TestPanicTraceback, TestPanicDeadlockGosched, TestPanicDeadlockSyscall, TestMainGoroutineID,
// TestDoublePanic, TestPanicWhilePanicking). The Go program is go/testprog.go; run as
// `testprog NAME`.
//
// Every Go function that defers is a godefer::run body, a func literal called inline a nested
// run. Go's main waits for every goroutine before it reports the Goexit deadlock; godefer::main
// does not wait (docs/go-differences.md, R26), so main joins its threads before goexit().
#include <array>
#include <chrono>
#include <exception>
#include <ostream>
#include <string>
#include <thread>

#include <godefer/go.hpp>

#include "upstream.hpp"

using upstream::println;

// --- deadlock.go ---

void GoexitDeadlock() {
    auto F = [] {
        for (int i = 0; i < 10; i++) {
        }
    };

    std::thread a = godefer::go(F);
    std::thread b = godefer::go(F);
    a.join();  // Go's main waits for them before it reports the deadlock
    b.join();
    godefer::goexit();
}

void RecursivePanic() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { fmt::Println(godefer::recover()); });
        std::array<char, 8192> x{};
        [](std::array<char, 8192> y) {
            godefer::run([&](godefer::frame& g) {
                g.defer([] {
                    if (auto err = godefer::recover())
                        godefer::panic("wrap: " + upstream::as<std::string>(err));
                });
                (void)y;
                godefer::panic("bad");
            });
        }(x);
    });
    godefer::panic("again");
}

// Same as RecursivePanic, but do the first recover and the second panic in
// separate defers, and make sure they are executed in the correct order.
void RecursivePanic2() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { fmt::Println(godefer::recover()); });
        std::array<char, 8192> x{};
        [](std::array<char, 8192> y) {
            godefer::run([&](godefer::frame& g) {
                g.defer([] { godefer::panic("second panic"); });
                g.defer([] { fmt::Println(godefer::recover()); });
                (void)y;
                godefer::panic("first panic");
            });
        }(x);
    });
    godefer::panic("third panic");
}

// Make sure that the first panic finished as a panic, even though the second
// panic was recovered
void RecursivePanic3() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::run([](godefer::frame& g) {
                g.defer([] { godefer::recover(); });
                godefer::panic("second panic");
            });
        });
        godefer::panic("first panic");
    });
}

// Test case where a single defer recovers one panic but starts another panic. If
// the second panic is never recovered, then the recovered first panic will still
// appear on the panic stack (labeled '[recovered]') and the runtime stack.
void RecursivePanic4() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::recover();
            godefer::panic("second panic");
        });
        godefer::panic("first panic");
    });
}

// Test case where we have an open-coded defer higher up the stack (in two), and
// in the current function (three) we recover in a defer while we still have
// another defer to be processed.
void one();
void two();
void three();

void RecursivePanic5() {
    one();
    godefer::panic("third panic");
}

void one() {
    two();
}

void two() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {});

        three();
    });
}

void three() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {});

        f.defer([] { fmt::Println(godefer::recover()); });

        f.defer([] {
            fmt::Println(godefer::recover());
            godefer::panic("second panic");
        });

        godefer::panic("first panic");
    });
}

// Trimmed as the Go program: no finalizer, no runtime.GC().
void GoexitExit() {
    println("t1");
    std::thread t = godefer::go([] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); });
    int i = 0;
    (void)i;
    println("t2");
    println("t3");
    println("t4");
    t.join();  // Go's main waits for it before it reports the deadlock
    godefer::goexit();
}

void MainGoroutineID() {
    godefer::panic("test");
}

void GoexitInPanic() {
    std::thread t = godefer::go([] {
        godefer::run([](godefer::frame& f) {
            f.defer([] { godefer::goexit(); });
            godefer::panic("hello");
        });
    });
    t.join();  // Go's main waits for it before it reports the deadlock
    godefer::goexit();
}

struct errorThatGosched : std::exception {
    const char* what() const noexcept override {
        std::this_thread::yield();  // runtime.Gosched()
        return "errorThatGosched";
    }
};

void GoschedInPanic() {
    godefer::panic(errorThatGosched{});
}

struct errorThatPrint : std::exception {
    const char* what() const noexcept override {
        fmt::Println("1");
        fmt::Println("2");
        return "3";
    }
};

void SyscallInPanic() {
    godefer::panic(errorThatPrint{});
}

void PanicAfterGoexit() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { godefer::panic("hello"); });
        godefer::goexit();
    });
}

void RecoveredPanicAfterGoexit() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::run([](godefer::frame& g) {
                g.defer([] {
                    auto r = godefer::recover();
                    if (!r)
                        godefer::panic("bad recover");
                });
                godefer::panic("hello");
            });
        });
        godefer::goexit();
    });
}

void RecoverBeforePanicAfterGoexit() {
    // 1. defer a function that recovers
    // 2. defer a function that panics
    // 3. call goexit
    // Goexit runs the #2 defer. Its panic
    // is caught by the #1 defer.  For Goexit, we explicitly
    // resume execution in the Goexit loop, instead of resuming
    // execution in the caller (which would make the Goexit disappear!)
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            auto r = godefer::recover();
            if (!r)
                godefer::panic("bad recover");
        });
        f.defer([] { godefer::panic("hello"); });
        godefer::goexit();
    });
}

void RecoverBeforePanicAfterGoexit2() {
    godefer::run([](godefer::frame& f) {
        for (int i = 0; i < 2; i++) {
            f.defer([] {});
        }
        // 1. defer a function that recovers
        // 2. defer a function that panics
        // 3. call goexit
        // (as in RecoverBeforePanicAfterGoexit)
        f.defer([] {
            auto r = godefer::recover();
            if (!r)
                godefer::panic("bad recover");
        });
        f.defer([] { godefer::panic("hello"); });
        godefer::goexit();
    });
}

void pt1();
void pt2();

void PanicTraceback() {
    pt1();
}

void pt1() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { godefer::panic("panic pt1"); });
        pt2();
    });
}

void pt2() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { godefer::panic("panic pt2"); });
        godefer::panic("hello");
    });
}

// --- crash.go ---

// type P string, with a String method (the upstream one also runs the collector).
struct P {
    std::string s;
};
std::ostream& operator<<(std::ostream& os, const P& p) {
    return os << p.s;
}

// Test that panic message is not clobbered.
// See issue 30150.
void DoublePanic() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { godefer::panic(P{"YYY"}); });
        godefer::panic(P{"XXX"});
    });
}

// Test that panic while panicking discards error message
// See issue 52257
struct exampleStringer {};
std::ostream& operator<<(std::ostream&, const exampleStringer&) {
    godefer::panic("important stringer message");
}

void StringerPanic() {
    godefer::panic(exampleStringer{});
}

struct examplePanicStringer {};
std::ostream& operator<<(std::ostream&, const examplePanicStringer&) {
    godefer::panic(exampleStringer{});
}

void DoubleStringerPanic() {
    godefer::panic(examplePanicStringer{});
}

void StringPanic() {
    godefer::panic("important string message");
}

void NilPanic() {
    godefer::panic(nullptr);
}

int main(int argc, char** argv) {
    return upstream::dispatch(
        argc, argv,
        {
            {"GoexitDeadlock", GoexitDeadlock},
            {"RecursivePanic", RecursivePanic},
            {"RecursivePanic2", RecursivePanic2},
            {"RecursivePanic3", RecursivePanic3},
            {"RecursivePanic4", RecursivePanic4},
            {"RecursivePanic5", RecursivePanic5},
            {"GoexitExit", GoexitExit},
            {"MainGoroutineID", MainGoroutineID},
            {"GoexitInPanic", GoexitInPanic},
            {"PanicAfterGoexit", PanicAfterGoexit},
            {"RecoveredPanicAfterGoexit", RecoveredPanicAfterGoexit},
            {"RecoverBeforePanicAfterGoexit", RecoverBeforePanicAfterGoexit},
            {"RecoverBeforePanicAfterGoexit2", RecoverBeforePanicAfterGoexit2},
            {"PanicTraceback", PanicTraceback},
            {"GoschedInPanic", GoschedInPanic},
            {"SyscallInPanic", SyscallInPanic},
            {"DoublePanic", DoublePanic},
            {"StringerPanic", StringerPanic},
            {"DoubleStringerPanic", DoubleStringerPanic},
            {"StringPanic", StringPanic},
            {"NilPanic", NilPanic},
        });
}
