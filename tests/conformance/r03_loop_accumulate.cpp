// R3: defers in a loop accumulate; defer is function-scoped, not block-scoped: a defer inside a
// loop body or an inner block runs when the enclosing function (run) returns. A func literal
// called inline is its own frame.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

void loop() {
    godefer::run([](godefer::frame& f) {
        for (int i = 0; i < 4; i++) {
            f.defer(fmt::Println, "loop defer", i);
            fmt::Println("iteration", i, "done");
        }
        {
            f.defer(fmt::Println, "inner block defer");
            fmt::Println("leaving inner block");
        }
        godefer::run([](godefer::frame& lit) {
            lit.defer(fmt::Println, "func literal defer");
            fmt::Println("inside func literal");
        });
        fmt::Println("loop() body end");
    });
}

int main() {
    return godefer::main([] {
        loop();
        fmt::Println("main after loop()");
    });
}
