// A guard cannot be assigned.
// expect-error: deleted
#include <godefer/scope_fail.hpp>

void f() {
    auto action = [] {};
    godefer::scope_fail a{action};
    godefer::scope_fail b{action};
    a = b;
}
