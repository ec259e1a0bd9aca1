// An action that needs arguments is refused with the same message.
// expect-error: must be callable with no arguments
#include <godefer/scope_success.hpp>

void f() { godefer::scope_success g{[](int fd) { static_cast<void>(fd); }}; }
