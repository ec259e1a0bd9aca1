// godefer/detail/message.hpp: the text of a panic value (panic_value::message() and the report).
//
// Rules, the first that applies: strings as they are; bool as true/false; char as the character;
// other integers (signed char and unsigned char included) as numbers; floating point in the
// shortest round-trip form; enums as their number; std::exception::what(); error_code::message();
// anything with operator<<; otherwise the demangled type name.
#ifndef GODEFER_DETAIL_MESSAGE_HPP
#define GODEFER_DETAIL_MESSAGE_HPP

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include <godefer/detail/config.hpp>

#if GODEFER_DETAIL_HAS_CXXABI
#include <cxxabi.h>
#endif

namespace godefer::detail {

inline std::string demangle(const char* mangled) {
#if GODEFER_DETAIL_HAS_CXXABI
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> out{
        abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free};
    if (status == 0 && out)
        return out.get();
#endif
    return mangled;
}

// The std::type_info of T, or null when the build cannot name it. With -fno-rtti, the exception
// runtime still has the type_info of every thrown type: that of T* names T as its pointee.
template <class T>
const std::type_info* type_info_of() noexcept {
#if GODEFER_HAS_RTTI
    return &typeid(T);
#elif GODEFER_HAS_EXCEPTIONS && GODEFER_DETAIL_HAS_CXXABI && defined(__GLIBCXX__)
    static const std::type_info* const info = []() noexcept -> const std::type_info* {
        try {
            const std::type_info* p =
                std::make_exception_ptr(static_cast<T*>(nullptr)).__cxa_exception_type();
            return p ? static_cast<const abi::__pointer_type_info*>(p)->__pointee : nullptr;
        } catch (...) {
            return nullptr;
        }
    }();
    return info;
#else
    return nullptr;
#endif
}

#if !GODEFER_HAS_RTTI
// The type_info that panic_value::type() returns when the build cannot name any type.
inline const std::type_info& unknown_type_info() noexcept {
    struct unknown final : std::type_info {
        unknown() noexcept : std::type_info("unknown type") {}
    };
    static const unknown info;
    return info;
}
#endif

// T's name: demangled from its type_info, else from the compiler's signature of this function.
template <class T>
std::string type_name() {
#if GODEFER_HAS_RTTI
    return demangle(typeid(T).name());
#else
    if (const std::type_info* t = type_info_of<T>())
        return demangle(t->name());
#if defined(__clang__) || defined(__GNUC__)
    const std::string_view sig = __PRETTY_FUNCTION__;
    const std::string_view key = "T = ";
    const std::size_t at = sig.find(key);
    if (at != std::string_view::npos) {
        std::string_view name = sig.substr(at + key.size());
        name = name.substr(0, name.find_first_of(";]"));
        return std::string(name);
    }
#endif
    return "unknown type";
#endif
}

template <class T, class = void>
struct has_ostream_insert : std::false_type {};
template <class T>
struct has_ostream_insert<
    T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};

template <class F>
std::string float_text(F v) {
    char buf[64];
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    if (r.ec == std::errc{})
        return std::string(buf, r.ptr);
#endif
    // Without floating-point to_chars (e.g. libc++ before 17): the shortest %g that reads back.
    const long double x = static_cast<long double>(v);
    for (int precision = 1; precision <= 21; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*Lg", precision, x);
        if (static_cast<F>(std::strtold(buf, nullptr)) == v)
            break;
    }
    return buf;
}

template <class T>
std::string to_message(const T& v) {
    if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return std::string(std::string_view(v));
    } else if constexpr (std::is_same_v<T, bool>) {
        return v ? "true" : "false";
    } else if constexpr (std::is_same_v<T, char>) {
        return std::string(1, v);
    } else if constexpr (std::is_integral_v<T>) {
        if constexpr (std::is_signed_v<T>)
            return std::to_string(static_cast<long long>(v));
        else
            return std::to_string(static_cast<unsigned long long>(v));
    } else if constexpr (std::is_floating_point_v<T>) {
        return float_text(v);
    } else if constexpr (std::is_enum_v<T>) {
        return to_message(static_cast<std::underlying_type_t<T>>(v));
    } else if constexpr (std::is_base_of_v<std::exception, T>) {
        return v.what();
    } else if constexpr (std::is_same_v<T, std::error_code> ||
                         std::is_same_v<T, std::error_condition>) {
        return v.message();
    } else if constexpr (has_ostream_insert<T>::value) {
        std::ostringstream os;
        os << v;
        return os.str();
    } else {
        return type_name<T>();
    }
}

// The text of an exception that godefer did not raise: what() for std::exception, strings as
// they are, error_code::message(), otherwise the exception's type name when the runtime knows it.
inline std::string describe_exception(const std::exception_ptr& ep) {
#if GODEFER_HAS_EXCEPTIONS
    if (!ep)
        return "<no exception>";
    try {
        std::rethrow_exception(ep);
    } catch (const std::exception& e) {
        return e.what();
    } catch (const std::string& s) {
        return s;
    } catch (const char* s) {
        return s ? s : "(null)";
    } catch (const std::error_code& c) {
        return c.message();
    } catch (...) {
#if GODEFER_DETAIL_HAS_CXXABI && defined(__GLIBCXX__)
        if (const std::type_info* t = abi::__cxa_current_exception_type())
            return demangle(t->name());
#endif
        return "unknown exception";
    }
#else
    (void)ep;
    return "<no exception>";
#endif
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_MESSAGE_HPP
