// R20b: the inner panic B is recovered inside the deferred call; the first panic A still crashes
// the program, and the report shows only "panic: A".
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer([] {
            godefer::run([](godefer::frame& d) {
                d.defer([] { fmt::Println("inner recover() =", godefer::recover()); });
                godefer::panic("B");
            });
        });
        godefer::panic("A");
    });
}
