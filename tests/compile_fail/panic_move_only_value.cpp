// A panic value must be copyable.
// expect-error: godefer::panic: the value must be copyable, since recover\(\) hands out copies and
// repanic\(\) raises it again; wrap a move-only value in a std::shared_ptr\.
#include <memory>

#include <godefer/panic.hpp>

void f() {
    godefer::panic(std::make_unique<int>(1));
}
