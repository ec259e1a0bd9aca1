// A deferred call panics while a panic unwinds: both panics are listed, and the stack is the one
// of the newest panic, raised inside the deferred call.
#include <cstdio>

#include <godefer/godefer.hpp>

void close_all() {
    godefer::panic("close failed");
}

void serve() {
    godefer::run([](godefer::frame& f) {
        f.defer(close_all);
        godefer::panic("request failed");
    });
}

int main() {
    return godefer::main([] { serve(); });
}
