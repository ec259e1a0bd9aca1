// Nor with new[].
// expect-error: deleted
#include <godefer/scope_fail.hpp>

void g() {}

void f() {
    auto* guards = new godefer::scope_fail<void (*)()>[1] {
        godefer::scope_fail<void (*)()> {
            &g
        }
    };
    static_cast<void>(guards);
}
