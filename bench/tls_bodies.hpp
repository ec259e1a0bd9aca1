// The bodies of the TLS measurement (bench/callgrind_tls.cpp), copied from bench/bodies.hpp. This
// header is included once per copy: in the probe program itself and in each shared library of
// bench/CMakeLists.txt (tls_lib.cpp), with GODEFER_TLS_NAME giving every copy its own names, so
// that the same source is measured compiled into the executable and into a library.
//
// Every function is extern "C", not inlined, and exported (the libraries are built with
// -fvisibility=hidden, as a user's library would be).
#ifndef GODEFER_TLS_NAME
#error "define GODEFER_TLS_NAME(name) before including tls_bodies.hpp"
#endif

#include <cstdint>

#include <godefer/frame.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

#define GODEFER_TLS_FN extern "C" __attribute__((noinline, visibility("default")))

// The loop and call around every body (what an empty body costs).
GODEFER_TLS_FN void GODEFER_TLS_NAME(empty)(std::int64_t* counter, std::int64_t) {
    ++*counter;
}

// godefer::run with a body that only defers one call.
GODEFER_TLS_FN void GODEFER_TLS_NAME(run_one_call)(std::int64_t* counter, std::int64_t) {
    godefer::run([counter](godefer::frame& f) { f.defer([counter] { ++*counter; }); });
}

// The same body with a local frame.
GODEFER_TLS_FN void GODEFER_TLS_NAME(local_frame_one_call)(std::int64_t* counter, std::int64_t) {
    godefer::frame f;
    f.defer([counter] { ++*counter; });
}

// One deferred call capturing state (a reference and a value).
GODEFER_TLS_FN void GODEFER_TLS_NAME(frame_capture_one)(std::int64_t* counter, std::int64_t i) {
    std::int64_t& c = *counter;
    godefer::frame f;
    f.defer([&c, i] { c += i; });
}

// A deferred call the optimiser cannot see through (a call to a function that is not inlined, as
// most real cleanups are: fclose, unlock, a log line): the thread-local context cannot be cached
// or dropped across it.
GODEFER_TLS_FN void GODEFER_TLS_NAME(add)(std::int64_t* counter, std::int64_t v) {
    *counter += v;
}

GODEFER_TLS_FN void GODEFER_TLS_NAME(run_opaque_call)(std::int64_t* counter, std::int64_t) {
    godefer::run([counter](godefer::frame& f) { f.defer(&GODEFER_TLS_NAME(add), counter, 1); });
}

GODEFER_TLS_FN void GODEFER_TLS_NAME(local_frame_opaque_call)(std::int64_t* counter, std::int64_t) {
    godefer::frame f;
    f.defer(&GODEFER_TLS_NAME(add), counter, 1);
}

// A panic recovered by a deferred call of the same run frame (the caller turns the stack capture
// off).
GODEFER_TLS_FN void GODEFER_TLS_NAME(panic_recover)(std::int64_t* counter, std::int64_t) {
    godefer::run([counter](godefer::frame& f) {
        f.defer([counter] {
            if (godefer::panic_value r = godefer::recover())
                ++*counter;
        });
        godefer::panic("boom");
    });
}
