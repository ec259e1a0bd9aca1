// A guard cannot be allocated with new: it belongs to a block.
// expect-error: deleted
#include <godefer/scope_exit.hpp>

void f() {
    auto* g = new godefer::scope_exit{[] {}};
    static_cast<void>(g);
}
