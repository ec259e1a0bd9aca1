// R31b: unrecovered panic(nullptr): the report prints nil_panic_error's text (Go >= 1.21's
// PanicNilError), not go1.19's "panic: nil".
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(fmt::Println, "main defer runs");
        godefer::panic(nullptr);
    });
}
