// R7: a panic stops the current function; its defers run, then the caller's, up to the thread's
// top function; then the program crashes (exit status 2) with the value on stderr. All deferred
// output comes before the "panic:" report.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

void b() {
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "b defer 1");
        f.defer(fmt::Println, "b defer 2");
        fmt::Println("b: about to panic");
        godefer::panic("boom");
        fmt::Println("b: unreachable");
    });
}

void a() {
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "a defer");
        b();
        fmt::Println("a: after b (not printed)");
    });
}

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(fmt::Println, "main defer");
        a();
        fmt::Println("main: after a (not printed)");
    });
}
