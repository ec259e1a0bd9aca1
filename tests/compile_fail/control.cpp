// The control case: correct uses of everything the other cases misuse. It must compile
// (warning-free), which shows that the harness flags and include paths are right.
#include <godefer/scope.hpp>

#include <memory>
#include <utility>

void close_it(int) {}
void g() {}

void f() {
    godefer::scope_exit a{[] {}};
    auto b = std::move(a);
    auto action = [] {};
    godefer::scope_fail c{action};
    godefer::scope_success d{action};
    godefer::scope_exit e{&g};
    auto move_only = [p = std::make_unique<int>(1)] { static_cast<void>(p); };
    godefer::scope_exit h{std::move(move_only)};
    godefer::unique_resource r{3, &close_it};
    auto s = std::move(r);
    GODEFER_SCOPE_EXIT {};
    GODEFER_SCOPE_FAIL {};
    GODEFER_SCOPE_SUCCESS {};
}
