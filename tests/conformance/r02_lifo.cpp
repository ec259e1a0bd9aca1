// R2: deferred calls of one function run in LIFO order.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        fmt::Println("start");
        f.defer(fmt::Println, "defer 1");
        f.defer(fmt::Println, "defer 2");
        f.defer([] { fmt::Println("defer 3"); });
        fmt::Println("end of body");
    });
}
