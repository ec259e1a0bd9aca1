// godefer/detail/box.hpp: store a value, and call a handler if storing it throws.
//
// Every owner in godefer (the scope guards, unique_resource) keeps its callable or resource in a
// `box` so that the P0052 construction rule is written once:
//
//   * the value is moved from its source only when that cannot throw, otherwise it is copied
//     (so a failed store leaves the source intact and still usable);
//   * if storing throws, `on_fail()` is called, then the exception goes on (a cleanup that was
//     handed over is never lost).
//
// When storing cannot throw, the handler is dead code and compiles to nothing.
#ifndef GODEFER_DETAIL_BOX_HPP
#define GODEFER_DETAIL_BOX_HPP

#include <type_traits>

#include "godefer/detail/config.hpp"

namespace godefer {
namespace detail {

// What a box initialises its value from, given a source of type U: an rvalue only when
// constructing T from it is nothrow, otherwise an lvalue (a copy).
template <class T, class U>
using box_source_t = std::conditional_t<std::is_nothrow_constructible_v<T, U>, U&&, U&>;

// True when a box<T> can be initialised from a U under that rule.
template <class T, class U>
inline constexpr bool box_storable_v =
    std::is_nothrow_constructible_v<T, U> || std::is_constructible_v<T, U&>;

template <class T, class U>
inline constexpr bool box_nothrow_storable_v =
    std::is_nothrow_constructible_v<T, U> || std::is_nothrow_constructible_v<T, U&>;

template <class T>
struct box {
    T value;

    // Value-initialises the value (used by unique_resource's default constructor only).
    box() noexcept(std::is_nothrow_default_constructible_v<T>) : value() {}

    // Requires: box_storable_v<T, U>.
    // Effects:  initialises `value` from std::forward<U>(u) if that is nothrow, else from the
    //           lvalue `u`; if that throws, calls on_fail() and rethrows.
    // Throws:   what the initialisation of `value` (or on_fail) throws.
    template <class U, class OnFail>
    box(U&& u, OnFail&& on_fail) noexcept(box_nothrow_storable_v<T, U>)
#if GODEFER_HAS_EXCEPTIONS
        try
#endif
        : value(static_cast<box_source_t<T, U>>(u)) {
#if !GODEFER_HAS_EXCEPTIONS
        static_cast<void>(on_fail);
#endif
    }
#if GODEFER_HAS_EXCEPTIONS
    catch (...) {
        on_fail();
        // The exception goes on: a constructor's function-try-block rethrows at its end.
    }
#endif
};

// A handler for stores that need none.
struct no_fail_handler {
    constexpr void operator()() const noexcept {}
};

}  // namespace detail
}  // namespace godefer

#endif  // GODEFER_DETAIL_BOX_HPP
