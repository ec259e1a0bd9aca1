// godefer/detail/stack_trace.hpp: stack traces captured at the panic site, printed by the report.
//
// Capture stores return addresses only (glibc backtrace(), no symbol lookup, no allocation);
// symbols are looked up when the trace is printed (dladdr + demangling; link executables with
// -rdynamic for their own function names). The program-wide switch is an atomic flag.
#ifndef GODEFER_DETAIL_STACK_TRACE_HPP
#define GODEFER_DETAIL_STACK_TRACE_HPP

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include <godefer/detail/config.hpp>
#include <godefer/detail/message.hpp>

#if GODEFER_DETAIL_HAS_EXECINFO
#include <dlfcn.h>
#include <execinfo.h>
#endif

namespace godefer::detail {

// On by default: a crash report without the stack is of little use, and a panic is already the
// slow path (the cost is measured by the benchmarks and documented in the README).
GODEFER_DETAIL_SHARED inline std::atomic<bool> g_capture_stacktrace{true};

struct stack_trace {
    static constexpr int kMaxFrames = 32;
    void* frames[kMaxFrames];
    int depth = 0;

    GODEFER_DETAIL_NOINLINE void capture() noexcept {
#if GODEFER_DETAIL_HAS_EXECINFO
        if (g_capture_stacktrace.load(std::memory_order_relaxed))
            depth = ::backtrace(frames, kMaxFrames);
#endif
    }

    // One line per frame, "\t#N function+0xOFF (module+0xOFF)"; godefer's own frames on top of
    // the panic site are left out.
    std::string format() const {
        std::string out;
#if GODEFER_DETAIL_HAS_EXECINFO
        bool skipping = true;
        int n = 0;
        for (int i = 0; i < depth; ++i) {
            Dl_info info{};
            std::string name;
            std::uintptr_t offset = 0;
            std::uintptr_t module_offset = 0;
            const char* module = "?";
            const auto pc = reinterpret_cast<std::uintptr_t>(frames[i]);
            if (::dladdr(frames[i], &info) != 0) {
                if (info.dli_sname) {
                    name = demangle(info.dli_sname);
                    offset = pc - reinterpret_cast<std::uintptr_t>(info.dli_saddr);
                }
                if (info.dli_fname)
                    module = info.dli_fname;
                module_offset = pc - reinterpret_cast<std::uintptr_t>(info.dli_fbase);
            }
            if (skipping && name.find("godefer::") != std::string::npos)
                continue;
            skipping = false;
            char buf[64];
            std::snprintf(buf, sizeof buf, "\t#%d ", n++);
            out += buf;
            if (!name.empty()) {
                std::snprintf(buf, sizeof buf, "+0x%zx", static_cast<std::size_t>(offset));
                out += name;
                out += buf;
            } else {
                out += "??";
            }
            // module+offset is what `addr2line -f -C -e MODULE OFFSET` takes.
            std::snprintf(buf, sizeof buf, "+0x%zx", static_cast<std::size_t>(module_offset));
            out += " (";
            out += module;
            out += buf;
            out += ")\n";
        }
#endif
        return out;
    }
};

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_STACK_TRACE_HPP
