// godefer/detail/scope_guard_macro.hpp: what GODEFER_SCOPE_EXIT, GODEFER_SCOPE_FAIL and
// GODEFER_SCOPE_SUCCESS expand to.
//
//   GODEFER_SCOPE_EXIT { std::fclose(f); };
//
// becomes
//
//   [[maybe_unused]] auto godefer_scope_guard_17 =
//       ::godefer::detail::scope_guard_maker<::godefer::scope_exit>{} + [&]() -> void
//       { std::fclose(f); };
//
// The braces that follow the macro are the lambda's body; `operator+` turns the lambda into the
// guard (guaranteed copy elision: no move). __COUNTER__ gives each guard its own name, so several
// may sit on consecutive lines, or on one line.
#ifndef GODEFER_DETAIL_SCOPE_GUARD_MACRO_HPP
#define GODEFER_DETAIL_SCOPE_GUARD_MACRO_HPP

#include <type_traits>
#include <utility>

#include <godefer/detail/box.hpp>

namespace godefer::detail {

// Guard is scope_exit, scope_fail or scope_success (their condition has a default).
template <template <class...> class Guard>
struct scope_guard_maker {
    template <class F>
    GODEFER_DETAIL_CONSTEXPR20 Guard<std::decay_t<F>> operator+(F&& f) const
        noexcept(noexcept(Guard<std::decay_t<F>>(std::forward<F>(f)))) {
        return Guard<std::decay_t<F>>(std::forward<F>(f));
    }
};

}  // namespace godefer::detail

#define GODEFER_DETAIL_CONCAT_IMPL(a, b) a##b
#define GODEFER_DETAIL_CONCAT(a, b) GODEFER_DETAIL_CONCAT_IMPL(a, b)

#if defined(__COUNTER__)
#define GODEFER_DETAIL_UNIQUE_NAME(prefix) GODEFER_DETAIL_CONCAT(prefix, __COUNTER__)
#else
#define GODEFER_DETAIL_UNIQUE_NAME(prefix) GODEFER_DETAIL_CONCAT(prefix, __LINE__)
#endif

#define GODEFER_DETAIL_SCOPE_GUARD(Guard)                                    \
    [[maybe_unused]] auto GODEFER_DETAIL_UNIQUE_NAME(godefer_scope_guard_) = \
        ::godefer::detail::scope_guard_maker<Guard>{} + [&]() -> void

#endif  // GODEFER_DETAIL_SCOPE_GUARD_MACRO_HPP
