// R19b: re-panic with the recovered value and nobody recovers it: the report prints go1.19's two
// lines, "panic: boom [recovered]" then "\tpanic: boom".
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            fmt::Println("recovered", r, "- re-panicking");
            r.repanic();
        });
        godefer::panic("boom");
    });
}
