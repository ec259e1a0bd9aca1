// Helpers of the group tests: a named function for the stack traces the reports show.
#ifndef GODEFER_TESTS_GROUP_SUPPORT_HPP
#define GODEFER_TESTS_GROUP_SUPPORT_HPP

#include <string>

#include <godefer/panic.hpp>

namespace godefer_group_test {

// Panics with `message`; not inlined, so that it shows in the stack trace by name.
[[noreturn]] __attribute__((noinline)) inline void panic_in_named_function(
    const std::string& message) {
    godefer::panic(message);
}

}  // namespace godefer_group_test

#endif  // GODEFER_TESTS_GROUP_SUPPORT_HPP
