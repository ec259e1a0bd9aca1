// Hazard: an int as second argument is not the active flag (only exactly bool is).
// expect-error: godefer::scope_success: the condition must be callable without arguments and return
// bool
#include <godefer/scope_success.hpp>

void f() {
    godefer::scope_success g{[] {}, 1};
}
