// The cost of godefer's thread-local state in shared libraries: the bodies of bench/tls_bodies.hpp
// compiled into this program and into shared libraries built with -fPIC -fvisibility=hidden
// (bench/tls_lib.cpp; see bench/CMakeLists.txt), counted with callgrind as in
// bench/callgrind_core.cpp.
//
//   godefer_callgrind_tls VARIANT.BODY ARG N   runs the body N times inside measured_loop, after a
//                                              few warm-up calls outside it
//   godefer_callgrind_tls --list               prints the cases
//
// VARIANT: exe (compiled into this program), so (a linked library), gnu2 (the same library built
// with -mtls-dialect=gnu2; absent when the compiler lacks that option), dlopen (the same library
// built as a module, loaded with dlopen(RTLD_NOW | RTLD_LOCAL)), ie (a linked library built with
// GODEFER_TLS_INITIAL_EXEC=1), dlopen_ie (that module built with GODEFER_TLS_INITIAL_EXEC=1: it
// loads because this program holds godefer's state, in static TLS). BODY: empty, run_one_call,
// local_frame_one_call, frame_capture_one, panic_recover.
//
// Instructions per call = callgrind's total Ir / N. The stack-trace capture is off in every case.
#include <dlfcn.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#define GODEFER_TLS_NAME(name) exe_##name
#include "tls_bodies.hpp"

#define GODEFER_TLS_DECLARE(prefix)                                               \
    extern "C" void prefix##empty(std::int64_t*, std::int64_t);                   \
    extern "C" void prefix##run_one_call(std::int64_t*, std::int64_t);            \
    extern "C" void prefix##local_frame_one_call(std::int64_t*, std::int64_t);    \
    extern "C" void prefix##frame_capture_one(std::int64_t*, std::int64_t);       \
    extern "C" void prefix##run_opaque_call(std::int64_t*, std::int64_t);         \
    extern "C" void prefix##local_frame_opaque_call(std::int64_t*, std::int64_t); \
    extern "C" void prefix##panic_recover(std::int64_t*, std::int64_t);
GODEFER_TLS_DECLARE(so_)
#if GODEFER_TLS_HAVE_GNU2
GODEFER_TLS_DECLARE(gnu2_)
#endif
GODEFER_TLS_DECLARE(ie_)

namespace {

using counted = void (*)(std::int64_t*, std::int64_t);

const char* const kBodies[] = {"empty",
                               "run_one_call",
                               "local_frame_one_call",
                               "frame_capture_one",
                               "run_opaque_call",
                               "local_frame_opaque_call",
                               "panic_recover"};
constexpr int kBodyCount = sizeof kBodies / sizeof kBodies[0];

struct variant {
    const char* name;
    counted fns[kBodyCount];  // in the order of kBodies
};

#define GODEFER_TLS_FNS(prefix)                                                                  \
    {                                                                                            \
        prefix##empty, prefix##run_one_call, prefix##local_frame_one_call,                       \
            prefix##frame_capture_one, prefix##run_opaque_call, prefix##local_frame_opaque_call, \
            prefix##panic_recover                                                                \
    }

const variant kLinked[] = {
    {"exe", GODEFER_TLS_FNS(exe_)},
    {"so", GODEFER_TLS_FNS(so_)},
#if GODEFER_TLS_HAVE_GNU2
    {"gnu2", GODEFER_TLS_FNS(gnu2_)},
#endif
    {"ie", GODEFER_TLS_FNS(ie_)},
};

// A module's copy of a body, loaded with dlopen.
counted load_module_body(const char* path, const char* body) {
    void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        std::fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
        std::exit(2);
    }
    const std::string name = std::string("mod_") + body;
    void* sym = dlsym(lib, name.c_str());
    if (sym == nullptr) {
        std::fprintf(stderr, "dlsym %s: %s\n", name.c_str(), dlerror());
        std::exit(2);
    }
    counted fn;
    static_assert(sizeof fn == sizeof sym, "function and object pointers differ in size");
    std::memcpy(&fn, &sym, sizeof fn);
    return fn;
}

counted find(const char* name) {
    const char* dot = std::strchr(name, '.');
    if (dot == nullptr)
        return nullptr;
    const std::string v(name, dot);
    const char* body = dot + 1;
    for (int b = 0; b < kBodyCount; ++b) {
        if (std::strcmp(body, kBodies[b]) != 0)
            continue;
        if (v == "dlopen")
            return load_module_body(GODEFER_TLS_MODULE, body);
        if (v == "dlopen_ie")
            return load_module_body(GODEFER_TLS_MODULE_IE, body);
        for (const variant& l : kLinked)
            if (v == l.name)
                return l.fns[b];
    }
    return nullptr;
}

}  // namespace

extern "C" __attribute__((noinline)) void measured_loop(counted fn, std::int64_t* counter,
                                                        std::int64_t arg, long n) {
    for (long i = 0; i < n; ++i) fn(counter, arg);
}

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
        for (const variant& l : kLinked)
            for (const char* b : kBodies) std::printf("%s.%s\n", l.name, b);
        for (const char* v : {"dlopen", "dlopen_ie"})
            for (const char* b : kBodies) std::printf("%s.%s\n", v, b);
        return 0;
    }
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s VARIANT.BODY ARG N | --list\n", argv[0]);
        return 2;
    }
    const counted fn = find(argv[1]);
    if (fn == nullptr) {
        std::fprintf(stderr, "unknown case %s\n", argv[1]);
        return 2;
    }
    const std::int64_t arg = std::atoll(argv[2]);
    const long n = std::atol(argv[3]);
    godefer::set_stacktrace_capture(false);
    std::int64_t counter = 0;
    for (int i = 0; i < 3; ++i) fn(&counter, arg);  // warm-up: lazy binding, first allocations
    measured_loop(fn, &counter, arg, n);
    std::printf("%s %lld %ld %lld\n", argv[1], static_cast<long long>(arg), n,
                static_cast<long long>(counter));
    return 0;
}
