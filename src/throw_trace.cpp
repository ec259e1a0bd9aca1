// The companion target godefer::throw_trace: records the stack of every C++ throw of the program,
// so that a C++ exception reaching a godefer::run frame (std::out_of_range from vector::at, say)
// is reported with the stack of its throw, like a godefer::panic.
//
//   target_link_libraries(app PRIVATE godefer::godefer godefer::throw_trace)   # executables only
//
// It defines __cxa_throw, the C++ runtime's entry point of every throw expression (also of those
// inside the standard library), records the stack (detail/throw_trace.hpp), then calls the
// runtime's own __cxa_throw; and __cxa_free_exception, to forget the stack of a freed exception.
// Cost: one stack capture per throw (about 0.15 µs with libunwind, 2 µs with glibc's backtrace).
// Link it into the executable only: one definition per program.
#include <dlfcn.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <godefer/detail/throw_trace.hpp>

namespace {

using cxa_throw_fn = void (*)(void*, void*, void (*)(void*));
using cxa_free_fn = void (*)(void*);

template <class Fn>
Fn runtime_function(const char* name) noexcept {
    void* f = ::dlsym(RTLD_NEXT, name);
    Fn out = nullptr;
    std::memcpy(&out, &f, sizeof out);
    if (out == nullptr) {
        std::fprintf(stderr, "godefer::throw_trace: the C++ runtime's %s was not found\n", name);
        std::abort();
    }
    return out;
}

}  // namespace

// Declared under another C++ name and given the runtime's symbol: a translation unit that throws
// already has the compiler's own declaration of __cxa_throw, with other parameter types.
extern "C" [[noreturn]] void godefer_detail_cxa_throw(
    void* object, void* type, void (*destroy)(void*)) __asm__("__cxa_throw");

extern "C" [[noreturn]] void godefer_detail_cxa_throw(void* object, void* type,
                                                      void (*destroy)(void*)) {
    godefer::detail::record_throw(object, __builtin_return_address(0));
    static const cxa_throw_fn real = runtime_function<cxa_throw_fn>("__cxa_throw");
    real(object, type, destroy);
    __builtin_unreachable();
}

// Every exception object is freed through __cxa_free_exception: its recorded stack goes with it,
// so that an object allocated later at the same address is never given that stack.
extern "C" void godefer_detail_cxa_free_exception(void* object) noexcept
    __asm__("__cxa_free_exception");

extern "C" void godefer_detail_cxa_free_exception(void* object) noexcept {
    godefer::detail::forget_throw(object);
    static const cxa_free_fn real = runtime_function<cxa_free_fn>("__cxa_free_exception");
    real(object);
}
