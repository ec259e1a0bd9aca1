// 06 — a panic inside a deferred call replaces the panic in flight; the remaining deferred calls
// still run (of this frame and of every outer frame); unrecovered, the crash report lists the
// whole chain, oldest first. This program exits with status 2.
//
//   Go:  func f() {
//            defer fmt.Println("f defer 1 still runs")
//            defer func() { panic("B") }()  // replaces A: A is aborted, B goes on
//            panic("A")
//        }
//        // stderr:  panic: A
//        //          	panic: B
//        //
//        //          goroutine 1 [running]:
//
// A common belief is that a panicking deferred call stops the other deferred calls: it does not,
// in Go or in godefer::run. Only the rest of that one call's body is skipped. recover() then sees
// the newest panic, and panic_value::aborted() the one it replaced. (A local godefer::frame, or a
// C++ destructor, that throws while an exception unwinds ends in std::terminate instead: use
// godefer::run for deferred calls that can fail.)
#include <iostream>

#include <godefer/godefer.hpp>

namespace {

void say(const char* line) {
    std::cout << line << '\n';
}

// Part 1: B replaces A, and an outer frame recovers B.
void inner() {
    godefer::run([](godefer::frame& f) {
        f.defer(say, "  inner defer 1 still runs");
        f.defer([] {
            say("  inner defer 2: panicking with B");
            godefer::panic("B");
        });
        f.defer(say, "  inner defer 3 runs");
        say("  inner: panicking with A");
        godefer::panic("A");
    });
}

void outer() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            std::cout << "  outer defer 1: recover() = " << r << " (A is gone)\n";
        });
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            std::cout << "  outer defer 2: recover() = " << r << ", which aborted " << r.aborted()
                      << '\n';
        });
        f.defer(say, "  outer defer 3 runs");
        inner();
        say("  outer: not reached");
    });
}

// Part 2: the same chain, unrecovered.
void crash() {
    godefer::run([](godefer::frame& f) {
        f.defer(say, "  crash defer 1 still runs");
        f.defer([] {
            say("  crash defer 2: panicking with B");
            godefer::panic("B");
        });
        say("  crash: panicking with A");
        godefer::panic("A");
    });
}

}  // namespace

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(say, "main defer runs before the crash report");
        say("part 1: recovered");
        outer();
        say("main: outer() returned normally");
        say("part 2: unrecovered (the report goes to stderr, exit status 2)");
        crash();
        say("main: not reached");
    });
}
