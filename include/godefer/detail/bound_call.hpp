// godefer/detail/bound_call.hpp: a deferred call with its arguments copied at defer time, and how
// frame::defer stages its parts before storing them.
//
//   bound_call<void (*)(int), int> c{&show, 1};   // like std::thread: decayed copies,
//   c();                                           // passed as rvalues when called
#ifndef GODEFER_DETAIL_BOUND_CALL_HPP
#define GODEFER_DETAIL_BOUND_CALL_HPP

#include <cstddef>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include <godefer/detail/config.hpp>

namespace godefer::detail {

template <class F, class... A>
struct bound_call {
    template <class G, class... B>
    explicit bound_call(G&& g, B&&... b) : fn(std::forward<G>(g)), args(std::forward<B>(b)...) {}
    void operator()() {
        std::apply([this](A&... a) { std::invoke(std::move(fn), std::move(a)...); }, args);
    }
    F fn;
    std::tuple<A...> args;
};

template <class F>
struct bound_call<F> {
    template <class G>
    explicit bound_call(G&& g) : fn(std::forward<G>(g)) {}
    void operator()() { std::invoke(std::move(fn)); }
    F fn;
};

// The argument to build a stored copy from when some part of the call may throw while being
// stored: an lvalue (a copy, the original stays intact) unless the type can only be moved.
template <class T>
constexpr decltype(auto) keep_original(std::remove_reference_t<T>& x) noexcept {
    using D = std::decay_t<T>;
    if constexpr (std::is_constructible_v<D, std::remove_reference_t<T>&>)
        return static_cast<std::remove_reference_t<T>&>(x);
    else
        return static_cast<T&&>(x);
}

// The parts of a call staged before it is stored: copies of what can be copied, references to
// (untouched) originals that can only be moved.
template <class T>
using staged_t =
    std::conditional_t<std::is_constructible_v<std::decay_t<T>, std::remove_reference_t<T>&>,
                       std::decay_t<T>, T&&>;
template <class F, class... A>
using staged_call = std::tuple<staged_t<F>, staged_t<A>...>;
template <class F, class... A>
inline constexpr bool has_move_only_part_v =
    !(std::is_constructible_v<std::decay_t<F>, std::remove_reference_t<F>&> && ... &&
      std::is_constructible_v<std::decay_t<A>, std::remove_reference_t<A>&>);

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_BOUND_CALL_HPP
