// A unique_resource whose deleter is a capturing lambda cannot be move-assigned (the lambda is
// not assignable); move construction works.
// expect-error: deleted
#include <utility>

#include <godefer/unique_resource.hpp>

void f() {
    int n = 0;
    auto deleter = [&n](int) { ++n; };
    godefer::unique_resource a{1, deleter};
    godefer::unique_resource b{2, deleter};
    a = std::move(b);
}
