// A guard cannot store an rvalue reference to its action.
// expect-error: godefer::scope_fail: the action cannot be an rvalue reference
#include <godefer/scope_fail.hpp>

struct action {
    void operator()() const noexcept {}
};

void f() {
    godefer::scope_fail<action&&> g{action{}};
}
