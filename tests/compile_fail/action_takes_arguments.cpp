// An action that needs arguments is refused with the same message.
// expect-error: godefer::scope_success: the action must be callable without arguments
#include <godefer/scope_success.hpp>

void f() {
    godefer::scope_success g{[](int fd) { static_cast<void>(fd); }};
}
