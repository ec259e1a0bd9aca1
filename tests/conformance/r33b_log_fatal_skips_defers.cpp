// R33b: log.Fatal = print on stderr + exit(1): the deferred calls do not run, exit status 1.
#include <cstdlib>
#include <iostream>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(fmt::Println, "main defer (never printed)");
        std::cerr << "fatal: giving up\n";  // log.Fatal("fatal: giving up") with no flags
        std::exit(1);
    });
}
