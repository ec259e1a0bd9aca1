// R27: deferring a null function pointer. Go accepts `defer nilf()` and panics when the call runs
// at function exit; godefer refuses it AT the defer call with a panic (godefer::defer_error), so
// nothing after the defer call runs. Either way the panic is recoverable.
#include <cstdio>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int x = 0;

void f_() {  // Go's f
    godefer::run([](godefer::frame& f) {
        void (*nilf)() = nullptr;
        f.defer(fmt::Println, "f defer 1 runs (registered before the nil one)");
        f.defer(nilf);
        x = 1;
        fmt::Println("after `defer nilf()`: no panic yet, x =", x);
    });
}

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            bool isDeferError = r.get_if<godefer::defer_error>() != nullptr;  // r.(runtime.Error)
            std::printf("main recovered: %s | godefer::defer_error=%s\n", fmt::v(r).c_str(),
                        fmt::v(isDeferError).c_str());
        });
        f_();
        fmt::Println("unreachable");
    });
}
