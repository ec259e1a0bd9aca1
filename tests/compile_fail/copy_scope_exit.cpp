// A guard cannot be copied: its action would run twice.
// expect-error: deleted
#include <godefer/scope_exit.hpp>

void f() {
    godefer::scope_exit a{[] {}};
    auto b = a;
}
