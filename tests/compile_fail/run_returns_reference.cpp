// run cannot return a reference.
// expect-error: godefer::run: the body cannot return a reference, since run returns a
// value-initialised result after a recovered panic; return a pointer, std::reference_wrapper or
// std::optional instead\.
#include <godefer/run.hpp>

int global = 0;

void f() {
    godefer::run([]() -> int& { return global; });
}
