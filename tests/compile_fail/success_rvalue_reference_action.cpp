// A guard cannot store an rvalue reference to its action.
// expect-error: godefer::scope_success: the action cannot be an rvalue reference
#include <godefer/scope_success.hpp>

struct action {
    void operator()() const noexcept {}
};

void f() {
    godefer::scope_success<action&&> g{action{}};
}
