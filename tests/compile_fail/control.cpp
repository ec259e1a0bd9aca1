// The control case: correct uses of everything the other cases misuse. It must compile
// (warning-free), which shows that the harness flags and include paths are right.
#include <memory>
#include <system_error>
#include <utility>

#include <godefer/scope.hpp>

void close_it(int) {}
void g() {}
bool yes() {
    return true;
}
struct functor {
    void operator()() const noexcept {}
};
struct deleter {
    void operator()(int) const noexcept {}
};
struct traits {
    static int make_default() noexcept { return -1; }
    static bool is_allocated(int r) noexcept { return r >= 0; }
};

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
    static functor kept;
    godefer::scope_exit<functor&> i{kept};  // an lvalue reference
    godefer::scope_exit j(g, yes);          // a condition
    godefer::scope_fail k{[] {}, [] { return false; }};
    godefer::scope_success l{[] {}, true};
    godefer::scope_exit<void (*)()> m(&g, false);
    int err = 0;
    std::error_code ec;
    godefer::scope_exit n([] {}, godefer::check_error_code(err), true);
    godefer::scope_fail o{[] {}, godefer::check_error_code(ec)};
    int state = 0;
    auto capturing = [&state](int) { ++state; };
    godefer::unique_resource t{1, capturing};
    auto u = std::move(t);
    godefer::unique_resource<int, void (*)(int)> v{2, &close_it};
    godefer::unique_resource<int, void (*)(int)> w;
    w = std::move(v);
    godefer::unique_resource<int, deleter, traits> x(3);
    godefer::unique_fd y(-1);
    GODEFER_SCOPE_EXIT{};
    GODEFER_SCOPE_FAIL{};
    GODEFER_SCOPE_SUCCESS{};
}
