// frame::defer needs a callable invocable with the copied arguments.
// expect-error: godefer::frame::defer: the callable must be invocable with the decay-copied
// arguments passed as rvalues, as by std::thread; pass std::ref\(x\) to pass a reference\.
#include <godefer/frame.hpp>

void takes_ref(int&) {}

void f() {
    int x = 0;
    godefer::frame fr;
    fr.defer(takes_ref, x);
}
