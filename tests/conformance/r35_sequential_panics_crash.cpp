// R35: panics that were fully recovered earlier do not appear in a later crash report; only the
// panics still in flight do.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([] {
        godefer::run([](godefer::frame& outer) {
            outer.defer([] { fmt::Println("outer recover:", godefer::recover()); });
            godefer::run([](godefer::frame& inner) {
                inner.defer([] { godefer::panic("second panic"); });
                inner.defer([] { fmt::Println("inner recover:", godefer::recover()); });
                godefer::panic("first panic");
            });
        });
        godefer::panic("third panic");
    });
}
