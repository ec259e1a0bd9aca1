// go_fmt.hpp: the few pieces of Go's fmt and runtime that the conformance programs print with.
//
//   f.defer(fmt::Println, "loop defer", i);     // Go: defer fmt.Println("loop defer", i)
//   std::printf("%s (%s)\n", fmt::v(r).c_str(), fmt::T(r).c_str());   // Go: "%v (%T)"
//
// Println separates its operands with a space and ends the line, like Go's fmt.Println; %v of
// an empty panic_value is <nil> (panic_value's operator<<), of a nil `error` too.
#ifndef GODEFER_CONFORMANCE_GO_FMT_HPP
#define GODEFER_CONFORMANCE_GO_FMT_HPP

#include <cxxabi.h>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <godefer/panic_value.hpp>

// Go's `error` where only its text matters: std::nullopt is nil.
using error = std::optional<std::string>;

namespace fmt {

// %v
inline std::string v(const std::string& s) {
    return s;
}
inline std::string v(const char* s) {
    return s;
}
inline std::string v(bool b) {
    return b ? "true" : "false";
}
template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
std::string v(I n) {
    return std::to_string(n);
}
inline std::string v(const godefer::panic_value& r) {
    std::ostringstream os;
    os << r;
    return os.str();
}
inline std::string v(const error& e) {
    return e ? *e : "<nil>";
}

// %q of a plain string
inline std::string q(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

// %T of a recovered value: the C++ type of the value (<nil> when empty).
inline std::string T(const godefer::panic_value& r) {
    if (!r)
        return "<nil>";
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name{
        abi::__cxa_demangle(r.type().name(), nullptr, nullptr, &status), std::free};
    return status == 0 ? name.get() : r.type().name();
}

struct println_fn {
    template <class... A>
    void operator()(const A&... a) const {
        std::string line;
        bool first = true;
        ((line += (first ? "" : " ") + v(a), first = false), ...);
        std::cout << line << '\n';
    }
};
// fmt.Println; a function object, so that `f.defer(fmt::Println, args...)` copies args now.
inline constexpr println_fn Println{};

// fmt.Errorf("<prefix>%w", inner): the text is prefix + inner's text, and inner stays reachable.
struct wrap_error : std::runtime_error {
    wrap_error(const std::string& prefix, std::shared_ptr<const std::exception> in)
        : std::runtime_error(prefix + in->what()), inner(std::move(in)) {}
    std::shared_ptr<const std::exception> inner;
};

}  // namespace fmt

namespace errors {
// errors.Is: e is target, or wraps it.
inline bool Is(const std::exception* e, const std::exception* target) {
    while (e != nullptr) {
        if (e == target)
            return true;
        const auto* w = dynamic_cast<const fmt::wrap_error*>(e);
        e = w ? w->inner.get() : nullptr;
    }
    return false;
}
}  // namespace errors

namespace go {
// Go's run-time check of an integer division: C++ has none (dividing by zero is undefined), so
// the programs make it explicitly and throw a C++ exception (a foreign exception is a panic).
inline int divide(int a, int b) {
    if (b == 0)
        throw std::domain_error("runtime error: integer divide by zero");
    return a / b;
}
}  // namespace go

#endif  // GODEFER_CONFORMANCE_GO_FMT_HPP
