// godefer/detail/stack_trace.hpp: stack traces captured at the panic site, resolved when printed.
//
//   stack_trace t;
//   t.capture(__builtin_return_address(0));   // raw return addresses only: cheap
//   std::string text = t.format();             // resolved now: Go's two lines per frame
//
// Capture stores return addresses only, no symbol lookup and no allocation. It walks the stack
// with libunwind's unw_backtrace when the library is installed (libunwind8: it caches what it
// learns of each function, about ten times faster than glibc's backtrace()), loaded at the first
// capture with dlopen(RTLD_LOCAL) so that it never replaces the C++ runtime's own unwinder for
// exceptions; otherwise, and in programs built with a sanitizer, with glibc's backtrace(). The
// frames above the panic site (godefer's own) are cut by address: the capture knows the return
// address of the call that panicked.
//
// format() resolves the addresses (detail/symbolizer.hpp) into Go's form, innermost first:
//
//   parse(std::string const&)
//   	/src/config.cpp:12
//   load_config()::{lambda#1}              (a lambda, named after its function)
//   	/src/config.cpp:20
//   std::vector<int>::at(unsigned long) const (inlined)
//
// leaving out godefer's frames, the std::invoke and std::thread plumbing and the C library's
// frames, and stopping after `main`; a trace longer than the capture ends with Go's
// "...additional frames elided...". Without a symbolizer each frame reads
// `function+0xOFF` (the exported symbol, or ??) and `\tmodule+0xOFF`, which addr2line takes.
#ifndef GODEFER_DETAIL_STACK_TRACE_HPP
#define GODEFER_DETAIL_STACK_TRACE_HPP

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <godefer/detail/config.hpp>
#include <godefer/detail/message.hpp>
#include <godefer/detail/symbolizer.hpp>

#if GODEFER_DETAIL_HAS_EXECINFO
#include <dlfcn.h>
#include <execinfo.h>
#endif

namespace godefer::detail {

// On by default: a crash report without the stack is of little use, and a panic is already the
// slow path (the cost is measured by the benchmarks and documented in the README).
GODEFER_DETAIL_SHARED inline std::atomic<bool> g_capture_stacktrace{true};

// Set at the first throw recorded by the companion target godefer::throw_trace (the reports then
// know it is linked).
GODEFER_DETAIL_SHARED inline std::atomic<bool> g_throw_trace_linked{false};

#if GODEFER_DETAIL_HAS_EXECINFO
using backtrace_fn = int (*)(void**, int);

// libunwind's unw_backtrace when libunwind.so.8 can be loaded, else glibc's backtrace.
// Under a sanitizer, glibc's: LeakSanitizer (GCC 12's, with glibc 2.36) crashes at exit while it
// scans the thread-local storage of a library loaded by dlopen, such as libunwind's.
inline backtrace_fn load_backtrace() noexcept {
    if (GODEFER_DETAIL_SANITIZED)
        return &::backtrace;
    if (void* lib = ::dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL)) {
        if (void* fn = ::dlsym(lib, "unw_backtrace")) {
            backtrace_fn f = nullptr;
            static_assert(sizeof f == sizeof fn,
                          "godefer::detail::load_backtrace: a function pointer must be the size "
                          "of void*; port the capture to this platform.");
            std::memcpy(&f, &fn, sizeof f);
            return f;
        }
    }
    return &::backtrace;
}

GODEFER_DETAIL_SHARED inline backtrace_fn the_backtrace() noexcept {
    static const backtrace_fn fn = load_backtrace();
    return fn;
}
#endif

struct stack_trace {
    static constexpr int kMaxFrames = 64;
    void* frames[kMaxFrames];
    int depth = 0;

    // Records the stack. `site` is the return address of the call that panicked (the frame that
    // called godefer's code): the frames above it are dropped at once. Null keeps every frame
    // below this function.
    GODEFER_DETAIL_NOINLINE void capture(const void* site = nullptr) noexcept {
#if GODEFER_DETAIL_HAS_EXECINFO
        if (!g_capture_stacktrace.load(std::memory_order_relaxed))
            return;
        const int n = the_backtrace()(frames, kMaxFrames);
        int first = n > 0 ? 1 : 0;  // this function's own frame
        if (site != nullptr) {
            for (int i = 0; i < n; ++i) {
                if (frames[i] == site) {
                    first = i;
                    break;
                }
            }
        }
        depth = 0;
        for (int i = first; i < n; ++i) frames[depth++] = frames[i];
#else
        (void)site;
#endif
    }

    bool empty() const noexcept {
        return depth == 0;
    }

    // The frames resolved to source, program frames only; empty when no symbolizer is built in.
    std::vector<source_frame> resolve() const {
        std::vector<source_frame> all;
        std::vector<source_frame> shown;
        if (depth == 0 || !symbolize(frames, depth, all))
            return shown;
        for (source_frame& f : all) {
            if (f.machinery || f.system_entry)  // godefer, std::invoke, std::thread, the C library
                continue;
            const bool is_main = f.function == "main";
            shown.push_back(std::move(f));
            if (is_main)
                break;
        }
        // Below the program's frames, the runtime's start routines without names (std::thread's).
        while (!shown.empty() && shown.back().function.empty() && shown.back().file.empty())
            shown.pop_back();
        return shown;
    }

    // Go's form (see the file comment); an empty string when nothing was captured. `resolved`
    // tells whether the frames were resolved to source (the first one is then the panic site).
    std::string format(bool* resolved = nullptr) const {
        std::string out;
        if (resolved != nullptr)
            *resolved = false;
        if (depth == 0)
            return out;
        std::vector<source_frame> shown = resolve();
        if (!shown.empty()) {
            if (resolved != nullptr)
                *resolved = true;
            for (const source_frame& f : shown) {
                out += f.function.empty() ? std::string("??") : f.function;
                if (f.inlined)
                    out += " (inlined)";
                out += "\n\t";
                if (f.file.empty() && !f.module.empty()) {
                    char buf[32];
                    std::snprintf(buf, sizeof buf, "+0x%zx", static_cast<std::size_t>(f.offset));
                    out += f.module;
                    out += buf;
                } else if (f.file.empty()) {
                    out += '?';
                } else {
                    out += f.file;
                    out += ':';
                    out += std::to_string(f.line);
                }
                out += '\n';
            }
            if (depth == kMaxFrames)
                out += "...additional frames elided...\n";
            return out;
        }
#if GODEFER_DETAIL_HAS_EXECINFO
        char buf[64];
        for (int i = 0; i < depth; ++i) {
            Dl_info info{};
            const auto pc = reinterpret_cast<std::uintptr_t>(frames[i]);
            if (::dladdr(frames[i], &info) != 0 && info.dli_sname != nullptr) {
                out += simplify_function_name(demangle(info.dli_sname));
                std::snprintf(buf, sizeof buf, "+0x%zx",
                              static_cast<std::size_t>(
                                  pc - reinterpret_cast<std::uintptr_t>(info.dli_saddr)));
                out += buf;
            } else {
                out += "??";
            }
            out += "\n\t";
            out += info.dli_fname != nullptr ? info.dli_fname : "?";
            std::snprintf(
                buf, sizeof buf, "+0x%zx",
                static_cast<std::size_t>(pc - reinterpret_cast<std::uintptr_t>(info.dli_fbase)));
            out += buf;
            out += '\n';
        }
#endif
        return out;
    }
};

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_STACK_TRACE_HPP
