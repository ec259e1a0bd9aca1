// R18: a deferred call recovers A and then panics B: if B is never recovered, the report shows
// "panic: A [recovered]" followed by "\tpanic: B".
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(fmt::Println, "main defer 1 still runs");
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            fmt::Println("recovered", r, "then panicking with B");
            godefer::panic("B");
        });
        godefer::panic("A");
    });
}
