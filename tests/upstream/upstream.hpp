// upstream.hpp: what the ports of the Go team's tests need besides godefer: Go's print/println
// builtins, runtime.Breakpoint, Go's `any` comparisons with a recovered value, the case
// dispatcher of each program, and a small stand-in for Go's `testing` package.
//
//   upstream::println("spurious recover", v);   // Go: println(...) — stderr, Go's format
//   if (!upstream::is(godefer::recover(), 7))    // Go: if recover() != 7
//   return upstream::dispatch(argc, argv, {{"test1", test1}, {"test2", test2}});
//
// A program runs the case named by argv[1] or, when it has no argument, by the part of its own
// name after the first '-' (CTest runs bin/recover-test1, a link to bin/recover).
#ifndef GODEFER_UPSTREAM_HPP
#define GODEFER_UPSTREAM_HPP

#include <cxxabi.h>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/panic_value.hpp>

#include "go_fmt.hpp"

namespace upstream {

// --- Go's print and println builtins (stderr, the runtime's formats) ----------------------------

inline std::string hex(std::uintptr_t p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%" PRIxPTR, p);
    return buf;
}

inline std::string builtin(const std::string& s) {
    return s;
}
inline std::string builtin(const char* s) {
    return s;
}
inline std::string builtin(bool b) {
    return b ? "true" : "false";
}
template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
std::string builtin(I n) {
    if constexpr (std::is_same_v<I, char>)
        return std::to_string(static_cast<int>(n));
    else
        return std::to_string(n);
}
// runtime.printfloat: +d.dddddde+ddd
inline std::string builtin(double d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%+.6e", d);
    std::string s = buf;
    std::size_t e = s.find('e');
    std::string exp = s.substr(e + 2);
    while (exp.size() < 3) exp.insert(exp.begin(), '0');
    return s.substr(0, e + 2) + exp;
}
// A pointer (a nil chan, map or func is a null pointer): its address, 0x0 when null.
template <class T>
std::string builtin(T* p) {
    return hex(reinterpret_cast<std::uintptr_t>(p));
}
inline std::string builtin(std::nullptr_t) {
    return "0x0";
}
// A slice: [len/cap]array.
template <class T>
std::string builtin(const std::vector<T>& s) {
    return "[" + std::to_string(s.size()) + "/" + std::to_string(s.capacity()) + "]" +
           hex(reinterpret_cast<std::uintptr_t>(s.data()));
}
// An interface value (eface): (type,data), (0x0,0x0) when nil.
inline std::string builtin(const godefer::panic_value& v) {
    if (!v)
        return "(0x0,0x0)";
    return "(" + hex(reinterpret_cast<std::uintptr_t>(&v.type())) + "," +
           hex(reinterpret_cast<std::uintptr_t>(v.record().get())) + ")";
}

// print: operands without separators; println: separated by spaces, then a newline. Function
// objects, so that `f.defer(upstream::println, args...)` copies the arguments now.
struct print_fn {
    template <class... A>
    void operator()(const A&... a) const {
        std::string line;
        ((line += builtin(a)), ...);
        std::fflush(stdout);
        std::fputs(line.c_str(), stderr);
    }
};
inline constexpr print_fn print{};

struct println_fn {
    template <class... A>
    void operator()(const A&... a) const {
        std::string line;
        bool first = true;
        ((line += (first ? "" : " ") + builtin(a), first = false), ...);
        line += '\n';
        std::fflush(stdout);
        std::fputs(line.c_str(), stderr);
    }
};
inline constexpr println_fn println{};

// runtime.Breakpoint(): the process dies of SIGTRAP, which Go reports with this line and exit
// status 2.
[[noreturn]] inline void breakpoint() {
    std::cout.flush();
    std::fflush(stdout);
    std::fputs("SIGTRAP: trace trap\n", stderr);
    std::_Exit(2);
}

// --- Go's `any` ------------------------------------------------------------------------------

// Go's `v == x` for an interface holding the recovered value and a constant of type T.
template <class T>
bool is(const godefer::panic_value& v, const T& x) {
    const T* p = v.get_if<T>();
    return p != nullptr && *p == x;
}
inline bool is(const godefer::panic_value& v, const char* x) {
    return is(v, std::string(x));
}

inline std::string demangle(const char* name) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> d{abi::__cxa_demangle(name, nullptr, nullptr, &status),
                                             std::free};
    return status == 0 ? d.get() : name;
}

// Go's `v.(T)` on a recovered value: the value, or a panic as Go's type assertion makes.
template <class T>
const T& as(const godefer::panic_value& v) {
    if (const T* p = v.get_if<T>())
        return *p;
    godefer::panic(std::string("interface conversion: interface {} is ") + fmt::T(v) + ", not " +
                   demangle(typeid(T).name()));
}

// --- Dispatch --------------------------------------------------------------------------------

inline std::string case_name(int argc, char** argv) {
    if (argc >= 2)
        return argv[1];
    std::string self = argc >= 1 ? argv[0] : "";
    std::size_t slash = self.rfind('/');
    if (slash != std::string::npos)
        self.erase(0, slash + 1);
    std::size_t dash = self.find('-');
    return dash == std::string::npos ? std::string() : self.substr(dash + 1);
}

using case_table = std::map<std::string, std::function<void()>>;

// Runs the named case as godefer::main's body (Go's main.main) and returns its exit status.
inline int dispatch(int argc, char** argv, const case_table& cases) {
    const std::string name = case_name(argc, argv);
    auto it = cases.find(name);
    if (it == cases.end()) {
        std::fprintf(stderr, "unknown case: %s\n", name.c_str());
        return 1;
    }
    const std::function<void()>& f = it->second;
    return godefer::main([&] { f(); });
}

// --- A stand-in for Go's testing package -------------------------------------------------------
//
// As in Go, a test runs on a goroutine of its own (a godefer::go thread); t->Fatal prints its
// message, marks the test failed and calls goexit, which runs the test's deferred calls;
// t->Errorf only marks it failed. run_test prints `=== RUN`, then `--- PASS` or `--- FAIL`
// (the Go side prints the same lines); a failed test makes the program exit with status 1.

struct T {
    bool failed = false;
    void Helper() {}
    void Logf(const std::string&) {}
    void Errorf(const std::string& msg) {
        fmt::Println("    " + msg);
        failed = true;
    }
    [[noreturn]] void Fatal(const std::string& msg) {
        fmt::Println("    " + msg);
        failed = true;
        godefer::goexit();
    }
    [[noreturn]] void Fatalf(const std::string& msg) { Fatal(msg); }
};

inline void run_test(const std::string& name, void (*test)(T*)) {
    T t;
    fmt::Println("=== RUN  ", name);
    godefer::go(test, &t).join();
    if (t.failed) {
        fmt::Println("--- FAIL:", name);
        std::cout.flush();
        std::exit(1);
    }
    fmt::Println("--- PASS:", name);
}

}  // namespace upstream

#endif  // GODEFER_UPSTREAM_HPP
