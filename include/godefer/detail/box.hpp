// godefer/detail/box.hpp: store a value, and call a handler if storing it throws.
//
// Every owner in godefer (the scope guards, unique_resource) keeps its callable or resource in a
// `box` so that the P0052 construction rule is written once:
//
//   * the value is moved from its source when that cannot throw; otherwise it is copied, so that
//     a failed store leaves the source intact and still usable; a value that cannot be copied
//     (move-only, or constructible from an rvalue only) is moved even if that may throw, and the
//     source is then as the failed move left it (intact, for a move with the strong guarantee);
//   * if storing throws, `on_fail()` is called, then the exception goes on (a cleanup that was
//     handed over is never lost).
//
// When storing cannot throw, the handler is dead code and compiles to nothing.
//
// GODEFER_DETAIL_CONSTEXPR20 is `constexpr` where C++20 allows constexpr destructors and try
// blocks in constexpr functions: the guards are then usable in constant expressions.
#ifndef GODEFER_DETAIL_BOX_HPP
#define GODEFER_DETAIL_BOX_HPP

#include <type_traits>
#include <utility>

#include <godefer/detail/config.hpp>

#if defined(__cpp_constexpr) && __cpp_constexpr >= 201907L
#define GODEFER_DETAIL_CONSTEXPR20 constexpr
#else
#define GODEFER_DETAIL_CONSTEXPR20
#endif

namespace godefer::detail {

template <class T>
using remove_cvref_t = std::remove_cv_t<std::remove_reference_t<T>>;

// What a box initialises its value from, given a source of type U: the rvalue when constructing
// T from it is nothrow, or when T cannot be made from the lvalue (move-only, rvalue-only);
// otherwise the lvalue (a copy, which leaves the source intact if it throws).
template <class T, class U>
using box_source_t =
    std::conditional_t<std::is_nothrow_constructible_v<T, U> || !std::is_constructible_v<T, U&>,
                       U&&, U&>;

// True when a box<T> can be initialised from a U under that rule.
template <class T, class U>
inline constexpr bool box_storable_v = std::is_constructible_v<T, box_source_t<T, U>>;

template <class T, class U>
inline constexpr bool box_nothrow_storable_v =
    std::is_nothrow_constructible_v<T, box_source_t<T, U>>;

// T initialised from static_cast<box_source_t<T, U>>(u) (returned as a prvalue: no copy or
// move of T); if that throws, calls on_fail() and rethrows.
template <class T, class U, class OnFail>
GODEFER_DETAIL_CONSTEXPR20 T make_or_fail(U&& u, [[maybe_unused]] OnFail& on_fail) {
#if GODEFER_HAS_EXCEPTIONS
    if constexpr (!box_nothrow_storable_v<T, U>) {
        try {
            return static_cast<T>(static_cast<box_source_t<T, U>>(u));
        } catch (...) {
            on_fail();
            throw;
        }
    }
#endif
    return static_cast<T>(static_cast<box_source_t<T, U>>(u));
}

template <class T>
struct box {
    T value;

    // Value-initialises the value (used by unique_resource's default constructor only).
    constexpr box() noexcept(std::is_nothrow_default_constructible_v<T>) : value() {}

    // Requires: box_storable_v<T, U>.
    // Effects:  initialises `value` from static_cast<box_source_t<T, U>>(u); if that throws,
    //           calls on_fail() and rethrows.
    // Throws:   what the initialisation of `value` (or on_fail) throws.
    template <class U, class OnFail>
    GODEFER_DETAIL_CONSTEXPR20 box(U&& u, OnFail&& on_fail) noexcept(box_nothrow_storable_v<T, U>)
        : value(make_or_fail<T>(std::forward<U>(u), on_fail)) {}
};

// A handler for stores that need none.
struct no_fail_handler {
    constexpr void operator()() const noexcept {}
};

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_BOX_HPP
