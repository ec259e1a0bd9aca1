// A unique_resource cannot be copied.
// expect-error: deleted
#include <godefer/unique_resource.hpp>

void close_it(int) {}

void f() {
    godefer::unique_resource a{3, &close_it};
    auto b = a;
}
