// The action must be callable with no arguments.
// expect-error: godefer::scope_fail: the action must be callable without arguments
#include <godefer/scope_fail.hpp>

void f() {
    godefer::scope_fail g{42};
}
