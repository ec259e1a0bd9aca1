// Hazard: a function pointer that is not a condition for C is rejected, not read as "armed".
// expect-error: deleted
#include <godefer/scope_success.hpp>

void action() {}

void f() {
    godefer::scope_success<void (*)()> g(&action, &action);
}
