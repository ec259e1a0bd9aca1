// run's result must be default-constructible.
// expect-error: godefer::run: the body's result type must be default-constructible, since run
// returns a value-initialised result after a recovered panic; return std::optional<T> instead\.
#include <godefer/run.hpp>

struct no_default {
    explicit no_default(int) {}
};

void f() {
    godefer::run([] { return no_default(1); });
}
