// R27b: an unrecovered panic from deferring a null function pointer: godefer raises it at the
// defer call (Go: when the call runs, with a nil-dereference runtime error).
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        void (*nilf)() = nullptr;
        f.defer(fmt::Println, "main defer 1 runs");
        f.defer(nilf);
        fmt::Println("body done");
    });
}
