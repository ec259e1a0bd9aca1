// The deleter must be callable with the resource.
// expect-error: godefer::unique_resource: the deleter must be callable with the resource
#include <godefer/unique_resource.hpp>

void close_it(const char*) {}

void f() {
    godefer::unique_resource<int, void (*)(const char*)> r(3, &close_it);
}
