// The action must be callable with no arguments.
// expect-error: must be callable with no arguments
#include <godefer/scope_exit.hpp>

void f() { godefer::scope_exit g{42}; }
