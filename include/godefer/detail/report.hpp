// godefer/detail/report.hpp: the Go-style crash report of an unrecovered panic.
//
//   panic: A [recovered]          one line per panic still on the chain, oldest first
//   	panic: B                    (later lines start with a tab; goexits are not listed)
//
//   goroutine 1 [running]:        the thread of work (1: godefer::main, 2...: godefer::go)
//   parse(std::string const&)     the stack captured at the panic site, innermost first: the
//   	src/config.cpp:42           function, then file:line (detail/stack_trace.hpp); without
//   load_config()                 capture or debug information, the panic site, then the
//   	src/config.cpp:57           frames as module+offset
#ifndef GODEFER_DETAIL_REPORT_HPP
#define GODEFER_DETAIL_REPORT_HPP

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/thread_state.hpp>

namespace godefer::detail {

// "panic: ..." lines of the chain that ends in `newest`, oldest first.
inline std::string panic_lines(const panic_record& newest) {
    std::vector<const panic_record*> chain;
    for (const panic_record* p = &newest; p != nullptr; p = p->older.get())
        if (!p->is_goexit())
            chain.push_back(p);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (it != chain.rbegin())
            out += '\t';
        out += "panic: ";
        for (char c : (*it)->message()) {
            out += c;
            if (c == '\n')
                out += '\t';  // keep a multi-line value inside its entry
        }
        if ((*it)->recovered)
            out += " [recovered]";
        out += '\n';
    }
    return out;
}

// `raised_on`: the thread of work that raised the panic (see panic_record::thread), or 0.
inline std::string thread_line(unsigned long raised_on = 0) {
    const unsigned long id = raised_on != 0 ? raised_on : this_thread_state().id;
    if (id != 0)
        return "goroutine " + std::to_string(id) + " [running]:\n";
    std::ostringstream os;
    os << "thread " << std::this_thread::get_id() << " [running]:\n";
    return os.str();
}

inline std::string report_text(const panic_record& newest) {
    std::string out = panic_lines(newest);
    out += '\n';
    const panic_record* top = &newest;
    while (top != nullptr && top->is_goexit()) top = top->older.get();
    out += thread_line(top != nullptr ? top->thread : 0);
    if (top == nullptr)
        return out;
    bool resolved = false;
    const std::string trace = top->trace.format(&resolved);
    if (!resolved && top->site.known()) {  // the trace's first frame is the site when resolved
        out += top->site.function;
        out += "\n\t";
        out += top->site.file;
        out += ':';
        out += std::to_string(top->site.line);
        out += '\n';
    } else if (!resolved && top->foreign()) {
        out += g_throw_trace_linked.load(std::memory_order_relaxed)
                   ? "(a C++ exception: the stack of its throw was not recorded)\n"
                   : "(a C++ exception: its throw site is not recorded; link "
                     "godefer::throw_trace)\n";
    }
    out += trace;
    return out;
}

// The blank line and the thread line of a report.
inline std::string thread_report(unsigned long raised_on = 0) {
    // Appended, not "\n" + line: GCC 12 at -O3 warns (-Wrestrict, a false positive) on the insert
    // at the front of a temporary string, which would fail a user's -Werror build.
    std::string out = "\n";
    out += thread_line(raised_on);
    return out;
}

// Writes s to stderr whole (NUL bytes included).
inline void write_stderr(const char* s, std::size_t n) noexcept {
    std::fwrite(s, 1, n, stderr);
}
inline void write_stderr(const char* s) noexcept {
    write_stderr(s, std::strlen(s));
}

// The report when it cannot be formatted (out of memory): written piece by piece, allocating
// nothing but what a message that is not computed yet needs (and left out if that fails).
inline void write_report_unformatted(const panic_record* newest) noexcept {
    const panic_record* chain[64];
    std::size_t n = 0;
    for (const panic_record* p = newest; p != nullptr && n < 64; p = p->older.get())
        if (!p->is_goexit())
            chain[n++] = p;
    for (std::size_t i = n; i-- > 0;) {
        write_stderr(i + 1 == n ? "panic: " : "\tpanic: ");
#if GODEFER_HAS_EXCEPTIONS
        try {
            const std::string& m = chain[i]->message();
            write_stderr(m.data(), m.size());
        } catch (...) {
            write_stderr("(the message could not be formatted: out of memory)");
        }
#else
        const std::string& m = chain[i]->message();
        write_stderr(m.data(), m.size());
#endif
        if (chain[i]->recovered)
            write_stderr(" [recovered]");
        write_stderr("\n");
    }
    char line[64];
    const unsigned long id =
        newest != nullptr && newest->thread != 0 ? newest->thread : this_thread_state().id;
    if (id != 0)
        std::snprintf(line, sizeof line, "\ngoroutine %lu [running]:\n", id);
    else
        std::snprintf(line, sizeof line, "\nthread [running]:\n");
    write_stderr(line);
}

// Flushes the program's output first, so that everything deferred calls printed comes before it.
// `fatal`, when not empty, is the line that replaces the panic lines (see report_panic).
inline void print_report(const panic_record& newest, const std::string& fatal = {}) noexcept {
#if GODEFER_HAS_EXCEPTIONS
    try {
        std::cout.flush();
    } catch (...) {
    }
    std::fflush(stdout);
    try {
        const std::string text =
            fatal.empty() ? report_text(newest) : fatal + thread_report(newest.thread);
        write_stderr(text.data(), text.size());
    } catch (...) {
        write_report_unformatted(&newest);
    }
#else
    std::cout.flush();
    std::fflush(stdout);
    const std::string text =
        fatal.empty() ? report_text(newest) : fatal + thread_report(newest.thread);
    write_stderr(text.data(), text.size());
#endif
    std::fflush(stderr);
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_REPORT_HPP
