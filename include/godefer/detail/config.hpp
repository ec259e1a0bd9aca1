// godefer/detail/config.hpp: feature tests shared by every godefer header.
//
//   GODEFER_HAS_EXCEPTIONS       1 unless compiled with -fno-exceptions
//   GODEFER_HAS_RTTI             1 unless compiled with -fno-rtti (type names then come from the
//                                exception runtime or the compiler's function signature)
//   GODEFER_HAS_SOURCE_LOCATION  1 when <source_location> (C++20) is usable
//   GODEFER_DETAIL_HAS_CXXABI           1 when <cxxabi.h> gives demangling and abi::__forced_unwind
//   GODEFER_DETAIL_HAS_EXECINFO         1 when <execinfo.h> can capture stack traces (glibc)
//   GODEFER_DETAIL_SANITIZED            1 when compiled with AddressSanitizer, ThreadSanitizer,
//                                       MemorySanitizer or LeakSanitizer
//   GODEFER_DETAIL_NO_SANITIZE_NULL     on functions that catch abi::__forced_unwind (see below)
//   GODEFER_DETAIL_SHARED        on godefer's state and exception types: one copy per process,
//                                also across shared libraries built with -fvisibility=hidden
//   GODEFER_DETAIL_TLS           on godefer's thread-local variables: the TLS model chosen by
//                                GODEFER_TLS_INITIAL_EXEC (below)
//   GODEFER_DETAIL_TLS_PIN       1 when compiled for a shared library (-fPIC, not -fPIE) with the
//                                general-dynamic TLS model (see this_thread_context)
//   GODEFER_DETAIL_TRY / GODEFER_DETAIL_CATCH_ALL / GODEFER_DETAIL_RETHROW: try/catch that compile
//   away without exceptions (the catch block is then dead code).
#ifndef GODEFER_DETAIL_CONFIG_HPP
#define GODEFER_DETAIL_CONFIG_HPP

#if __cplusplus < 201703L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 201703L)
#error "godefer needs C++17 or later (-std=c++17)."
#endif

#include <version>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define GODEFER_HAS_EXCEPTIONS 1
#else
#define GODEFER_HAS_EXCEPTIONS 0
#endif

#if defined(__GXX_RTTI) || defined(__cpp_rtti)
#define GODEFER_HAS_RTTI 1
#else
#define GODEFER_HAS_RTTI 0
#endif

#if defined(__cpp_lib_source_location) && __cpp_lib_source_location >= 201907L
#define GODEFER_HAS_SOURCE_LOCATION 1
#else
#define GODEFER_HAS_SOURCE_LOCATION 0
#endif

#if defined(__has_include)
#if __has_include(<cxxabi.h>)
#define GODEFER_DETAIL_HAS_CXXABI 1
#endif
#if __has_include(<execinfo.h>)
#define GODEFER_DETAIL_HAS_EXECINFO 1
#endif
#endif
#ifndef GODEFER_DETAIL_HAS_CXXABI
#define GODEFER_DETAIL_HAS_CXXABI 0
#endif
#ifndef GODEFER_DETAIL_HAS_EXECINFO
#define GODEFER_DETAIL_HAS_EXECINFO 0
#endif

#if GODEFER_HAS_EXCEPTIONS
#define GODEFER_DETAIL_TRY try
#define GODEFER_DETAIL_CATCH_ALL catch (...)
#define GODEFER_DETAIL_RETHROW throw
#else
#define GODEFER_DETAIL_TRY if (true)
#define GODEFER_DETAIL_CATCH_ALL else
#define GODEFER_DETAIL_RETHROW ::std::abort()
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GODEFER_DETAIL_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer) || __has_feature(leak_sanitizer)
#define GODEFER_DETAIL_SANITIZED 1
#endif
#endif
#ifndef GODEFER_DETAIL_SANITIZED
#define GODEFER_DETAIL_SANITIZED 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define GODEFER_DETAIL_NOINLINE __attribute__((noinline))
#define GODEFER_DETAIL_ALWAYS_INLINE inline __attribute__((always_inline))
#define GODEFER_DETAIL_COLD __attribute__((cold, noinline))
// On functions with a catch (abi::__forced_unwind&) handler: glibc's cancellation has no C++
// object behind that reference, which UBSan's null check would report.
#define GODEFER_DETAIL_NO_SANITIZE_NULL __attribute__((no_sanitize("null")))
#define GODEFER_DETAIL_LIKELY(x) __builtin_expect(!!(x), 1)
#define GODEFER_DETAIL_UNLIKELY(x) __builtin_expect(!!(x), 0)
// Default visibility: the dynamic linker then binds every shared library and the executable to
// one definition of each inline variable (and of each function's static locals), whatever
// -fvisibility they were built with.
#define GODEFER_DETAIL_SHARED __attribute__((visibility("default")))
#else
#define GODEFER_DETAIL_SHARED
#define GODEFER_DETAIL_NOINLINE
#define GODEFER_DETAIL_ALWAYS_INLINE inline
#define GODEFER_DETAIL_COLD
#define GODEFER_DETAIL_NO_SANITIZE_NULL
#define GODEFER_DETAIL_LIKELY(x) (x)
#define GODEFER_DETAIL_UNLIKELY(x) (x)
#endif

// GODEFER_TLS_INITIAL_EXEC (define it to 1 for every file of a shared library, opt-in): the
// library reaches godefer's thread-local state with the initial-exec TLS model (an offset from
// the thread pointer, read from the GOT) instead of general-dynamic (a call to __tls_get_addr for
// each access the compiler does not merge). The library is then marked as needing static TLS:
// - linked to the program (loaded at startup), it is always safe;
// - loaded with dlopen, it is safe when the program or a library loaded at startup already holds
//   godefer's state (it uses godefer itself, or links a library that does, and exports that
//   state: a library, or an executable that a linked library refers to or that is linked with
//   -rdynamic). Otherwise the state is the dlopen'd library's own, and its whole thread-local
//   block (godefer's is over 2 KiB) must fit in what glibc keeps spare in the static TLS area,
//   which is small and shared by every such library: dlopen then fails with "cannot allocate
//   memory in static TLS block".
#if defined(GODEFER_TLS_INITIAL_EXEC) && GODEFER_TLS_INITIAL_EXEC && \
    (defined(__GNUC__) || defined(__clang__))
#define GODEFER_DETAIL_TLS __attribute__((tls_model("initial-exec")))
#else
#define GODEFER_DETAIL_TLS
#endif

// In a shared library without GODEFER_TLS_INITIAL_EXEC, each access to a thread-local variable of
// default visibility calls __tls_get_addr unless the compiler merges it with another one: GCC
// computes the address again after any call, Clang 14 in each basic block. A function that
// touches godefer's context more than once takes its address once (this_thread_context).
#if (defined(__GNUC__) || defined(__clang__)) && defined(__PIC__) && !defined(__PIE__) && \
    !(defined(GODEFER_TLS_INITIAL_EXEC) && GODEFER_TLS_INITIAL_EXEC)
#define GODEFER_DETAIL_TLS_PIN 1
#else
#define GODEFER_DETAIL_TLS_PIN 0
#endif

#endif  // GODEFER_DETAIL_CONFIG_HPP
