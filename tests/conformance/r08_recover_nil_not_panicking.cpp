// R8: recover returns an empty value (and does nothing) when the thread is not panicking: in
// ordinary code and in a deferred call run by a normal return.
#include <godefer/go.hpp>

#include "go_fmt.hpp"

void normalReturn() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { fmt::Println("defer on normal return: recover() =", godefer::recover()); });
        fmt::Println("normalReturn body");
    });
}

int main() {
    return godefer::main([] {
        fmt::Println("plain call: recover() =", godefer::recover());
        normalReturn();
        fmt::Println("main end");
    });
}
