// R29: an unrecovered panic: the deferred calls run first, then stderr gets "panic: <value>", a
// blank line, "goroutine 1 [running]:" and a trace; exit status 2.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        fmt::Println("start");
        f.defer(fmt::Println, "deferred 1");
        godefer::panic("boom");
    });
}
