// godefer/scope_fail.hpp: run an action only when the enclosing block is left by an exception.
//
//   #include <godefer/scope_fail.hpp>
//
//   void transfer(Account& from, Account& to, Money amount) {
//       from.withdraw(amount);                          // throws: nothing to undo
//       godefer::scope_fail refund{[&] { from.deposit(amount); }};
//       to.deposit(amount);                             // throws: the money goes back to `from`
//       audit_log.record(from, to, amount);             // throws: the money goes back to `from`
//   }                                                   // returns: nothing runs
//
// Or, without a name (captures by reference):
//
//   GODEFER_SCOPE_FAIL { from.deposit(amount); };
//
// "Left by an exception" is decided with std::uncaught_exceptions(): the count at destruction is
// compared with the count at construction. Caveat for coroutines: a guard that lives across a
// co_await measures the thread it was created on; if the coroutine is resumed or destroyed while
// a different number of exceptions is in flight (for example, destroyed from a destructor during
// unwinding), the guard can misjudge. Do not keep scope_fail or scope_success alive across a
// suspension point.
//
// The action normally should not throw: it runs while an exception is being unwound, and a
// destructor that throws then ends the program in std::terminate. godefer::run handles a
// throwing deferred call the Go way (the new panic replaces the old one).
//
// If storing the callable throws, it is called at once (the scope is failing) and the exception
// goes on.
#ifndef GODEFER_SCOPE_FAIL_HPP
#define GODEFER_SCOPE_FAIL_HPP

#include <cstddef>
#include <type_traits>
#include <utility>

#include <godefer/detail/box.hpp>
#include <godefer/detail/scope_guard.hpp>
#include <godefer/detail/scope_guard_macro.hpp>
#include <godefer/scope_condition.hpp>

namespace godefer {

// F: the action, called as f() (as an rvalue if it can only be called so); its result is
// discarded. C: the failure condition, called as cond() when the guard is destroyed; the action
// runs if the guard is armed and cond() is true ("failed"). The default, exception_checker, is
// true when the scope is left by an exception; check_error_code(ec) is true when ec is set.
template <class F, class C = exception_checker>
class [[nodiscard]] scope_fail {
    static_assert(!std::is_rvalue_reference_v<F>,
                  "godefer::scope_fail: the action cannot be an rvalue reference; store the "
                  "callable itself, or an lvalue reference to it.");
    static_assert(detail::action_invocable_v<F>,
                  "godefer::scope_fail: the action must be callable without arguments; wrap it "
                  "in a lambda.");
    static_assert(detail::condition_v<C>,
                  "godefer::scope_fail: the condition must be callable without arguments and "
                  "return bool; to arm or disarm the guard pass exactly true or false.");

    using state = detail::scope_guard<F, C>;
    static constexpr detail::store_policy<std::is_same_v<C, exception_checker>
                                              ? detail::on_store_failure::call
                                              : detail::on_store_failure::ask_condition>
        policy{};

    template <class G>
    static constexpr bool is_action_v =
        !std::is_same_v<detail::remove_cvref_t<G>, scope_fail> && detail::box_storable_v<F, G>;

  public:
    // Requires: F is constructible from f (see "Effects"), C is default-constructible.
    // Effects:  stores the action from f: moved when that cannot throw, otherwise copied (a
    //           move-only callable whose move may throw is moved), and arms the guard. If storing
    //           throws, the scope is failing: calls f() at once when f is itself callable as the
    //           action (when the action is constructed from f, as `scope_fail<closer> g(fd)`,
    //           there is nothing to call), then the exception goes on.
    // Throws:   what storing the action throws.
    template <class G,
              std::enable_if_t<is_action_v<G> && std::is_default_constructible_v<C>, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 explicit scope_fail(G&& f) noexcept(
        state::template nothrow_storable_from<G, C>)
        : state_(policy, std::forward<G>(f), C(), true) {}

    // As scope_fail(f), armed only if `active`. `active` must be exactly bool: an int, a pointer
    // or a function is rejected, never read as "armed".
    template <
        class G, class B,
        std::enable_if_t<
            is_action_v<G> && detail::is_flag_v<B> && std::is_default_constructible_v<C>, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 scope_fail(G&& f, B active) noexcept(
        state::template nothrow_storable_from<G, C>)
        : state_(policy, std::forward<G>(f), C(), active) {}

    // Requires: F is constructible from f, C from cond.
    // Effects:  stores the condition from cond, then the action from f (each moved when that
    //           cannot throw, otherwise copied), armed if `active` (exactly bool). If storing
    //           throws and `active` is true, asks the condition (the stored one, or cond when it
    //           is itself a condition) and calls f() if it says true (at once, when there is
    //           nothing to ask), then the exception goes on.
    // Throws:   what storing the condition or the action throws.
    template <class G, class CC, class B = bool,
              std::enable_if_t<is_action_v<G> && detail::is_condition_argument_v<C, CC> &&
                                   detail::is_flag_v<B>,
                               int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 scope_fail(G&& f, CC&& cond, B active = true) noexcept(
        state::template nothrow_storable_from<G, CC>)
        : state_(policy, std::forward<G>(f), std::forward<CC>(cond), active) {}

    // Rejected: a second argument that is neither exactly bool nor a condition for C (an int, a
    // pointer, a function that does not return bool...): it is never read as "armed". Write
    // `p != nullptr` or `n != 0` for a flag, or give the condition's type: scope_fail<F, C>.
    template <class G, class X,
              std::enable_if_t<is_action_v<G> && !detail::is_flag_v<X> &&
                                   !detail::is_condition_argument_v<C, X>,
                               int> = 0>
    scope_fail(G&&, X&&) = delete;

    // Rejected: an active flag after the condition that is not exactly bool.
    template <class G, class CC, class X,
              std::enable_if_t<is_action_v<G> && !detail::is_flag_v<X>, int> = 0>
    scope_fail(G&&, CC&&, X&&) = delete;

    // Requires: F and C are movable (nothrow, or by copy, or move-only).
    // Effects:  takes the condition, the action and the armed state of `other`, then disarms
    //           `other`. The action is moved when that cannot throw, otherwise copied; the
    //           condition is copied when the action's move may throw. If that throws, `other`
    //           keeps its action armed, so it still runs.
    // Throws:   what copying (or a throwing move of) the action or the condition throws.
    template <bool Movable = state::movable, std::enable_if_t<Movable, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 scope_fail(scope_fail&& other) noexcept(state::nothrow_movable)
        : state_(std::move(other.state_)) {}

    scope_fail(const scope_fail&) = delete;
    scope_fail& operator=(const scope_fail&) = delete;
    scope_fail& operator=(scope_fail&&) = delete;

    // Guards live on the stack: `new` of a guard does not compile.
    static void* operator new(std::size_t) = delete;
    static void* operator new[](std::size_t) = delete;

    // Effects:  if the guard is armed and cond() is true (the scope failed), calls the action.
    // Throws:   what the condition or the action throws. The destructor is noexcept exactly when
    //           both are nothrow-invocable. One that throws while an exception is already being
    //           unwound ends in std::terminate (the C++ rule for any destructor).
    GODEFER_DETAIL_CONSTEXPR20 ~scope_fail() noexcept(state::nothrow_exit) { state_.exit(true); }

    // Effects:  disarms the guard: the action will not run. (P0052 name.)
    constexpr void release() noexcept { state_.set_active(false); }

    // Effects:  arms (true) or disarms (false) the guard. (Boost.Scope name.)
    constexpr void set_active(bool active) noexcept { state_.set_active(active); }

    // Returns:  whether the guard is armed.
    constexpr bool active() const noexcept { return state_.active(); }

  private:
    state state_;
};

template <class F>
scope_fail(F) -> scope_fail<F>;
template <class F>
scope_fail(F, bool) -> scope_fail<F>;
template <class F, class C>
scope_fail(F, C) -> scope_fail<F, C>;
template <class F, class C>
scope_fail(F, C, bool) -> scope_fail<F, C>;

// Returns:  scope_fail<std::decay_t<F>>(std::forward<F>(f), active) (Boost.Scope's factory; CTAD,
//           `godefer::scope_fail g{f}`, does the same). `active` is exactly bool.
template <class F, class B = bool, std::enable_if_t<detail::is_flag_v<B>, int> = 0>
GODEFER_DETAIL_CONSTEXPR20 scope_fail<std::decay_t<F>>
make_scope_fail(F&& f, B active = true) noexcept(
    std::is_nothrow_constructible_v<scope_fail<std::decay_t<F>>, F, bool>) {
    return scope_fail<std::decay_t<F>>(std::forward<F>(f), active);
}

// Returns:  scope_fail<std::decay_t<F>, std::decay_t<C>>(std::forward<F>(f), std::forward<C>(cond),
//           active). `active` is exactly bool.
template <class F, class C, class B = bool,
          std::enable_if_t<!detail::is_flag_v<C> && detail::is_flag_v<B>, int> = 0>
GODEFER_DETAIL_CONSTEXPR20 scope_fail<std::decay_t<F>, std::decay_t<C>>
make_scope_fail(F&& f, C&& cond, B active = true) noexcept(
    std::is_nothrow_constructible_v<scope_fail<std::decay_t<F>, std::decay_t<C>>, F, C, bool>) {
    return scope_fail<std::decay_t<F>, std::decay_t<C>>(std::forward<F>(f), std::forward<C>(cond),
                                                        active);
}

}  // namespace godefer

// GODEFER_SCOPE_FAIL { statements; };
// Runs the statements when the enclosing block is left by an exception. Captures by reference.
#define GODEFER_SCOPE_FAIL GODEFER_DETAIL_SCOPE_GUARD(::godefer::scope_fail)

#endif  // GODEFER_SCOPE_FAIL_HPP
