// A move-only callable passed as an lvalue cannot be stored (it would have to be copied).
// expect-error: no matching
#include <godefer/scope_exit.hpp>
#include <memory>

void f() {
    auto action = [p = std::make_unique<int>(1)] { static_cast<void>(p); };
    godefer::scope_exit g{action};
}
