// R5: a return first evaluates its operand and keeps the result, then the deferred calls run,
// then the caller resumes. Every exit path runs the defers; a deferred call's result is dropped.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int operand(int v) {
    fmt::Println("evaluating return operand", v);
    return v;
}

int discarded() {
    fmt::Println("deferred func with a result runs");
    return 99;
}

int f_(bool early) {  // Go's f
    return godefer::run([&](godefer::frame& f) {
        f.defer(fmt::Println, "defer A");
        f.defer(discarded);
        if (early) {
            fmt::Println("early path");
            return operand(1);
        }
        fmt::Println("late path");
        return operand(2);
    });
}

void noReturn() {
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "defer at end of body");
        fmt::Println("falls off end");
    });
}

int main() {
    return godefer::main([] {
        fmt::Println("got", f_(true));
        fmt::Println("got", f_(false));
        noReturn();
        fmt::Println("main end");
    });
}
