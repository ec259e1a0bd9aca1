// Resource traits run in reset() and moves, which cannot fail: they must be noexcept.
// expect-error: godefer::unique_resource: Traits needs static noexcept make_default\(\) and
// is_allocated\(r\)
#include <godefer/unique_resource.hpp>

struct deleter {
    void operator()(int) const noexcept {}
};
struct throwing_traits {
    static int make_default() noexcept { return -1; }
    static bool is_allocated(int r) { return r >= 0; }  // may throw
};

void f() {
    godefer::unique_resource<int, deleter, throwing_traits> r(3);
}
