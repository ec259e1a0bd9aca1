// Hazard: a captureless lambda as second argument converts to bool (a function pointer), but it
// is a condition here, and one that does not return bool is rejected.
// expect-error: godefer::scope_fail: the condition must be callable without arguments and return
// bool
#include <godefer/scope_fail.hpp>

void f() {
    godefer::scope_fail g{[] {}, [] {}};
}
