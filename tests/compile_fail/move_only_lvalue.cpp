// A move-only callable passed as an lvalue cannot be stored (it would have to be copied).
// expect-error: no matching
#include <memory>

#include <godefer/scope_exit.hpp>

void f() {
    auto action = [p = std::make_unique<int>(1)] { static_cast<void>(p); };
    godefer::scope_exit g{action};
}
