// The action must be callable with no arguments.
// expect-error: godefer::scope_exit: the action must be callable without arguments
#include <godefer/scope_exit.hpp>

void f() {
    godefer::scope_exit g{42};
}
