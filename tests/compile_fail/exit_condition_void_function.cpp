// Hazard: a function as second argument is a condition, never "armed": one that does not return
// bool is rejected (Boost.Scope code that passes a condition keeps its meaning).
// expect-error: godefer::scope_exit: the condition must be callable without arguments and return
// bool
#include <godefer/scope_exit.hpp>

void action() {}
void other_action() {}

void f() {
    godefer::scope_exit g(action, other_action);
}
