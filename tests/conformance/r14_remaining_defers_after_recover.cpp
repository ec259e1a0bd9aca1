// R14: after a recover, the SAME frame's older defers still run, in LIFO order, then the frame
// returns to its caller, which goes on normally. Execution does not resume at the panic point.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

void f_() {  // Go's f
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "f defer 1 (registered first, runs last)");
        f.defer([] { fmt::Println("f defer 2 recovers:", godefer::recover()); });
        f.defer(fmt::Println, "f defer 3 (runs first)");
        fmt::Println("f: panicking");
        godefer::panic("P");
        fmt::Println("f: unreachable");
    });
}

void caller() {
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "caller defer (normal return)");
        f_();
        fmt::Println("caller: f returned normally");
    });
}

int main() {
    return godefer::main([] {
        caller();
        fmt::Println("main end");
    });
}
