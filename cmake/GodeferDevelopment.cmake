# Settings for the project's own targets only (tests, examples, benchmarks); never exported.
include_guard(GLOBAL)

# godefer_dev: the library plus the warnings we hold ourselves to.
add_library(godefer_dev INTERFACE)
target_link_libraries(godefer_dev INTERFACE godefer::godefer)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(godefer_dev INTERFACE
    -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)
endif()

set(GODEFER_SANITIZE "" CACHE STRING "Sanitizers for the project's own targets: address,undefined | thread | empty")
if(GODEFER_SANITIZE)
  target_compile_options(godefer_dev INTERFACE
    -fsanitize=${GODEFER_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(godefer_dev INTERFACE -fsanitize=${GODEFER_SANITIZE})
endif()

option(GODEFER_COVERAGE "Instrument the project's own targets for line coverage" OFF)
if(GODEFER_COVERAGE)
  # Atomic counters: the tests panic on many threads at once, and racy counters come out wrong
  # (even negative, which gcovr refuses to read).
  target_compile_options(godefer_dev INTERFACE --coverage -fprofile-update=atomic -O0)
  target_link_options(godefer_dev INTERFACE --coverage)
endif()

# Link with -rdynamic so that stack traces printed in crash reports can name functions.
target_link_options(godefer_dev INTERFACE -rdynamic)
