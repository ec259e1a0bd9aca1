// Library A of the shared-library test: built with hidden visibility, it raises panics, runs
// frames and starts threads of work with its own copy of godefer's headers.
#include <stdexcept>

#include <godefer/go.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

#include "shared_libs.hpp"

SHARED_LIBS_API void a_panic(const char* message) {
    godefer::panic(std::string(message));
}

SHARED_LIBS_API void a_run_deferring(void (*call)(), const char* message) {
    godefer::run([&](godefer::frame& f) {
        f.defer(call);
        godefer::panic(std::string(message));
    });
}

SHARED_LIBS_API bool a_capture() {
    return godefer::stacktrace_capture();
}

SHARED_LIBS_API void a_foreign_over_a_panic() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { throw std::runtime_error("X from A"); });
        godefer::panic("A1");
    });
}

SHARED_LIBS_API unsigned long a_goroutine_id() {
    unsigned long id = 0;
    godefer::go([&] { id = godefer::detail::this_thread_state().id; }).join();
    return id;
}
