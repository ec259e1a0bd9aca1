// R16: a deferred call that panics while a panic is in flight REPLACES it: the remaining defers
// of this frame and of the outer frames still run, and recover returns the NEW value. The old
// panic is aborted: once the new one is recovered, a later recover returns an empty value.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

void inner() {
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "inner defer 1 runs");
        f.defer([] {
            fmt::Println("inner defer 2: panicking with B");
            godefer::panic("B");
        });
        f.defer(fmt::Println, "inner defer 3 runs");
        godefer::panic("A");
    });
}

void outer() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { fmt::Println("outer defer 1: recover() =", godefer::recover()); });
        f.defer([] { fmt::Println("outer defer 2: recover() =", godefer::recover()); });
        f.defer(fmt::Println, "outer defer 3 runs");
        inner();
    });
}

int main() {
    return godefer::main([] {
        outer();
        fmt::Println("main: outer returned normally");
    });
}
