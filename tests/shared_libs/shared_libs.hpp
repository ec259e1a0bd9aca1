// The functions that the libraries of the shared-library test export (see main.cpp).
#ifndef GODEFER_TESTS_SHARED_LIBS_HPP
#define GODEFER_TESTS_SHARED_LIBS_HPP

#include <cstddef>

#define SHARED_LIBS_API extern "C" __attribute__((visibility("default")))

SHARED_LIBS_API void a_panic(const char* message);
SHARED_LIBS_API void a_run_deferring(void (*call)(), const char* message);
SHARED_LIBS_API bool a_capture();
SHARED_LIBS_API void a_foreign_over_a_panic();
SHARED_LIBS_API unsigned long a_goroutine_id();
SHARED_LIBS_API bool b_recover(char* out, std::size_t size);

#endif  // GODEFER_TESTS_SHARED_LIBS_HPP
