// deferprint.cpp: C++ translation of Go's test/deferprint.go ("Test that we can defer the
// predeclared functions print and println"; the Go program is go/deferprint.go). print and
// println are upstream.hpp's copies of Go's builtins (stderr, the runtime's formats); Go's nil
// chan, map and func are null pointers, a nil slice an empty std::vector.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <godefer/go.hpp>

#include "upstream.hpp"

using godefer::frame;
using godefer::run;
using upstream::print;
using upstream::println;

struct chan_int;  // chan int

void deferprint() {
    run([](frame& f) {
        f.defer(println, 42, true, false, true, 1.5, "world", static_cast<chan_int*>(nullptr),
                std::vector<int>(), static_cast<std::map<std::string, int>*>(nullptr),
                static_cast<void (*)()>(nullptr), std::uint8_t{255});
        f.defer(println, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
        // Disabled so the test doesn't crash but left here for reference.
        // f.defer([] { godefer::panic("dead"); });
        f.defer(print, "printing: ");
    });
}

int main(int argc, char** argv) {
    return upstream::dispatch(argc, argv, {{"main", deferprint}});
}
