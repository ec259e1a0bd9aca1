// godefer/detail/report.hpp: the Go-style crash report of an unrecovered panic.
//
//   panic: A [recovered]          one line per panic still on the chain, oldest first
//   	panic: B                    (later lines start with a tab; goexits are not listed)
//
//   goroutine 1 [running]:        the thread of work (1: godefer::main, 2...: godefer::go)
//   load_config                   the panic site: function, then file:line
//   	src/config.cpp:42
//   	#0 0x... load_config()+0x4d (./app)    the stack captured at the panic, when enabled
#ifndef GODEFER_DETAIL_REPORT_HPP
#define GODEFER_DETAIL_REPORT_HPP

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/thread_state.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>
#include <sstream>

namespace godefer::detail {

// "panic: ..." lines of the chain that ends in `newest`, oldest first.
inline std::string panic_lines(const panic_record& newest) {
    std::vector<const panic_record*> chain;
    for (const panic_record* p = &newest; p != nullptr; p = p->older.get())
        if (!p->is_goexit()) chain.push_back(p);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (it != chain.rbegin()) out += '\t';
        out += "panic: ";
        for (char c : (*it)->message()) {
            out += c;
            if (c == '\n') out += '\t';  // keep a multi-line value inside its entry
        }
        if ((*it)->recovered) out += " [recovered]";
        out += '\n';
    }
    return out;
}

inline std::string thread_line() {
    unsigned long id = this_thread_state().id;
    if (id != 0) return "goroutine " + std::to_string(id) + " [running]:\n";
    std::ostringstream os;
    os << "thread " << std::this_thread::get_id() << " [running]:\n";
    return os.str();
}

inline std::string report_text(const panic_record& newest) {
    std::string out = panic_lines(newest);
    out += '\n';
    out += thread_line();
    const panic_record* top = &newest;
    while (top != nullptr && top->is_goexit()) top = top->older.get();
    if (top == nullptr) return out;
    if (top->site.known()) {
        out += top->site.function;
        out += "\n\t";
        out += top->site.file;
        out += ':';
        out += std::to_string(top->site.line);
        out += '\n';
    } else if (top->foreign()) {
        out += "(a C++ exception: its throw site is not recorded)\n";
    }
    out += top->trace.format();
    return out;
}

// Flushes the program's output first, so that everything deferred calls printed comes before it.
inline void print_report(const panic_record& newest) noexcept {
    std::string text;
#if GODEFER_HAS_EXCEPTIONS
    try {
        text = report_text(newest);
    } catch (...) {
        text = "panic: (the report could not be formatted)\n";
    }
    try {
        std::cout.flush();
    } catch (...) {
    }
#else
    text = report_text(newest);
    std::cout.flush();
#endif
    std::fflush(stdout);
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_REPORT_HPP
