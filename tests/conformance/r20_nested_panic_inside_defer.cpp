// R20: a deferred call may itself defer (in a run frame of its own) and panic. A panic raised AND
// recovered inside a deferred call leaves the original panic in flight. A call deferred inside a
// deferred call cannot see the outer panic (recover returns an empty value).
#include <godefer/go.hpp>

#include "go_fmt.hpp"

void f_() {  // Go's f
    godefer::run([](godefer::frame& f) {
        f.defer([] { fmt::Println("f defer 1: recover() =", godefer::recover()); });
        f.defer([] {
            godefer::run([](godefer::frame& d2) {
                d2.defer([] {
                    fmt::Println("  f defer 2's own defer: recover() =", godefer::recover());
                });
                fmt::Println("f defer 2: panicking with B");
                godefer::panic("B");
            });
        });
        f.defer([] {
            godefer::run([](godefer::frame& d3) {
                d3.defer([] {
                    fmt::Println("  f defer 3's own defer: recover() =", godefer::recover());
                });
                fmt::Println("f defer 3: returns normally");
            });
        });
        godefer::panic("A");
    });
}

int main() {
    return godefer::main([] {
        f_();
        fmt::Println("main: f returned normally");
    });
}
