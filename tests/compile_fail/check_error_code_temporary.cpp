// The checker refers to the error code: a temporary would be gone before the scope ends.
// expect-error: deleted
#include <system_error>

#include <godefer/scope_condition.hpp>

void f() {
    auto c = godefer::check_error_code(std::error_code{});
}
