// Hazard: with the guard's type spelled out, an int as second argument is rejected (the
// constructor for it is deleted), not converted to "armed".
// expect-error: deleted
#include <godefer/scope_exit.hpp>

void action() {}

void f() {
    godefer::scope_exit<void (*)()> g(&action, 1);
}
