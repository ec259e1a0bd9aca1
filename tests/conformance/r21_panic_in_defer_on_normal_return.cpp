// R21: a deferred call that panics while its function returns NORMALLY starts a panic there: the
// remaining defers still run, then the panic goes to the caller. If an older defer of the same
// frame recovers it, the function returns normally with the result set by the return.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int f_() {  // Go's f() (n int)
    int n = 0;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { fmt::Println("f defer 1 runs; n =", n); });
        f.defer([] {
            fmt::Println("f defer 2: panicking during normal return");
            godefer::panic("late");
        });
        n = 5;  // return 5
    });
    return n;
}

void callF() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { fmt::Println("callF recovered:", godefer::recover()); });
        int v = f_();
        fmt::Println("callF got", v, "(unreachable)");
    });
}

int g() {  // Go's g() (n int)
    int n = 0;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { fmt::Println("g defer 1 recovered:", godefer::recover(), "n =", n); });
        f.defer([] { godefer::panic("late-g"); });
        n = 5;  // return 5
    });
    return n;
}

int main() {
    return godefer::main([] {
        callF();
        fmt::Println("g() =", g());
    });
}
