// A guard cannot be move-assigned either (only move-constructed).
// expect-error: deleted
#include <utility>

#include <godefer/scope_success.hpp>

void f() {
    auto action = [] {};
    godefer::scope_success a{action};
    godefer::scope_success b{action};
    a = std::move(b);
}
