// Hazard: a pointer as second argument is rejected, not read as "armed when non-null".
// expect-error: deleted
#include <godefer/scope_fail.hpp>

void action() {}

void f(int* p) {
    godefer::scope_fail<void (*)()> g(&action, p);
}
