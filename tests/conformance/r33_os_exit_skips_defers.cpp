// R33: std::exit (os.Exit) ends the process at once with the given status: it does not unwind,
// so no deferred call of any frame or thread runs (what was printed before stays).
#include <cstdlib>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

void f_() {  // Go's f
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "f defer (never printed)");
        fmt::Println("calling os.Exit(3)");
        std::exit(3);
    });
}

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(fmt::Println, "main defer (never printed)");
        f_();
    });
}
