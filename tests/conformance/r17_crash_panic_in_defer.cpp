// R17: an unrecovered panic B raised by a deferred call while panic A runs: the remaining defers
// still run, then the report lists BOTH panics, oldest first, the newer one after a tab.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

void f_() {  // Go's f
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "f defer 1 still runs");
        f.defer([] {
            fmt::Println("f defer 2: panicking with B");
            godefer::panic("B");
        });
        godefer::panic("A");
    });
}

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(fmt::Println, "main defer still runs");
        f_();
    });
}
