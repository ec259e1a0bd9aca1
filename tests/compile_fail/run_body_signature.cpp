// run's body takes frame& or nothing.
// expect-error: godefer::run: the body must be callable as body\(godefer::frame&\) or body\(\);
// change its parameters\.
#include <godefer/run.hpp>

void f() {
    godefer::run([](int) {});
}
