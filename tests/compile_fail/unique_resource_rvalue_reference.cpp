// R and D cannot be rvalue references.
// expect-error: godefer::unique_resource: R and D cannot be rvalue references
#include <godefer/unique_resource.hpp>

void close_it(int) {}

void f() {
    godefer::unique_resource<int&&, void (*)(int)> r;
}
