// godefer/detail/panic_site.hpp: godefer::panic_site, where a panic was raised (file, line,
// function). A public type, presented by <godefer/panic.hpp>; it is defined here because the panic
// records below the public API store it.
//
//   if (auto r = godefer::recover()) log(r.site().file, r.site().line, r.message());
//
// C++20 std::source_location is used when the library provides it; otherwise the
// __builtin_FILE/__builtin_LINE/__builtin_FUNCTION intrinsics of GCC and Clang, which work in
// C++17.
#ifndef GODEFER_DETAIL_PANIC_SITE_HPP
#define GODEFER_DETAIL_PANIC_SITE_HPP

#include <godefer/detail/config.hpp>

#if GODEFER_HAS_SOURCE_LOCATION
#include <source_location>
#endif

namespace godefer {

struct panic_site {
    const char* file = "";      // empty when unknown (a foreign C++ exception)
    unsigned line = 0;          // 0 when unknown
    const char* function = "";  // the enclosing function's name, as the compiler spells it

    constexpr bool known() const noexcept { return line != 0; }

#if GODEFER_HAS_SOURCE_LOCATION
    static constexpr panic_site current(
        std::source_location loc = std::source_location::current()) noexcept {
        return {loc.file_name(), static_cast<unsigned>(loc.line()), loc.function_name()};
    }
#else
    static constexpr panic_site current(const char* file = __builtin_FILE(),
                                        int line = __builtin_LINE(),
                                        const char* function = __builtin_FUNCTION()) noexcept {
        return {file, static_cast<unsigned>(line), function};
    }
#endif
};

}  // namespace godefer

#endif  // GODEFER_DETAIL_PANIC_SITE_HPP
