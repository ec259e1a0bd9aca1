// Hazard: the active flag after a condition must be exactly bool.
// expect-error: deleted
#include <godefer/scope_exit.hpp>

void f() {
    int err = 0;
    godefer::scope_exit g([] {}, godefer::check_error_code(err), 1);
}
