// A guard cannot store an rvalue reference to its action.
// expect-error: godefer::scope_exit: the action cannot be an rvalue reference
#include <godefer/scope_exit.hpp>

struct action {
    void operator()() const noexcept {}
};

void f() {
    godefer::scope_exit<action&&> g{action{}};
}
