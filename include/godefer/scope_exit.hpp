// godefer/scope_exit.hpp: run an action when the enclosing block ends, however it ends.
//
//   #include <godefer/scope_exit.hpp>
//
//   bool copy_file(const char* from, const char* to) {
//       std::FILE* in = std::fopen(from, "rb");
//       if (!in) return false;                          // nothing to close yet
//       godefer::scope_exit close_in{[&] { std::fclose(in); }};
//
//       std::FILE* out = std::fopen(to, "wb");
//       if (!out) return false;                         // closes `in`
//       GODEFER_SCOPE_EXIT { std::fclose(out); };       // same thing, without a name
//
//       char buf[4096];
//       while (std::size_t n = std::fread(buf, 1, sizeof buf, in)) {
//           if (std::fwrite(buf, 1, n, out) != n) return false;   // closes `out`, then `in`
//       }
//       return true;                                    // closes `out`, then `in`
//   }                                                   // an exception also closes both
//
// Guards run in reverse order of declaration, at the end of their *block* (C++ RAII). For Go's
// function-scoped `defer` (calls that accumulate in loops and run when the function returns),
// see godefer::frame and godefer::run.
//
// With a condition (Boost.Scope's shape), the action runs only if the condition, evaluated when
// the block ends, is true:
//
//   godefer::scope_exit undo{[&] { remove(tmp); }, godefer::check_error_code(ec)};
//
// F is the decayed type of the callable: a lambda, a function pointer or reference, a functor
// (move-only ones too, passed as rvalues), a std::function, a functor callable only as an rvalue.
// An action that throws makes the destructor throw (its noexcept follows the action's). If it
// throws while an exception is already unwinding, the program ends in std::terminate, as for any
// destructor. godefer::run (Go's semantics: a later panic replaces the earlier one) has no such
// limit.
#ifndef GODEFER_SCOPE_EXIT_HPP
#define GODEFER_SCOPE_EXIT_HPP

#include <cstddef>
#include <type_traits>
#include <utility>

#include <godefer/detail/box.hpp>
#include <godefer/detail/scope_guard.hpp>
#include <godefer/detail/scope_guard_macro.hpp>
#include <godefer/scope_condition.hpp>

namespace godefer {

// F: the action, called as f() (as an rvalue if it can only be called so); its result is
// discarded. C: the condition, called as cond() when the guard is destroyed; the action runs if
// the guard is armed and cond() is true.
template <class F, class C = always_true>
class [[nodiscard]] scope_exit {
    static_assert(!std::is_rvalue_reference_v<F>,
                  "godefer::scope_exit: the action cannot be an rvalue reference; store the "
                  "callable itself, or an lvalue reference to it.");
    static_assert(detail::action_invocable_v<F>,
                  "godefer::scope_exit: the action must be callable without arguments; wrap it "
                  "in a lambda.");
    static_assert(detail::condition_v<C>,
                  "godefer::scope_exit: the condition must be callable without arguments and "
                  "return bool; to arm or disarm the guard pass exactly true or false.");

    using state = detail::scope_guard<F, C>;
    static constexpr detail::store_policy<detail::on_store_failure::ask_condition> policy{};

    template <class G>
    static constexpr bool is_action_v =
        !std::is_same_v<detail::remove_cvref_t<G>, scope_exit> && detail::box_storable_v<F, G>;

  public:
    // Requires: F is constructible from f (see "Effects"), C is default-constructible.
    // Effects:  stores the action from f: moved when that cannot throw, otherwise copied (a
    //           move-only callable whose move may throw is moved), and arms the guard. If storing
    //           throws, calls f() at once when f is itself callable as the action (when the action
    //           is constructed from f, as `scope_exit<closer> g(fd)`, there is nothing to call),
    //           then the exception goes on.
    // Throws:   what storing the action throws.
    template <class G,
              std::enable_if_t<is_action_v<G> && std::is_default_constructible_v<C>, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 explicit scope_exit(G&& f) noexcept(
        state::template nothrow_storable_from<G, C>)
        : state_(policy, std::forward<G>(f), C(), true) {}

    // As scope_exit(f), armed only if `active`. `active` must be exactly bool: an int, a pointer
    // or a function is rejected, never read as "armed".
    template <
        class G, class B,
        std::enable_if_t<
            is_action_v<G> && detail::is_flag_v<B> && std::is_default_constructible_v<C>, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 scope_exit(G&& f, B active) noexcept(
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
    GODEFER_DETAIL_CONSTEXPR20 scope_exit(G&& f, CC&& cond, B active = true) noexcept(
        state::template nothrow_storable_from<G, CC>)
        : state_(policy, std::forward<G>(f), std::forward<CC>(cond), active) {}

    // Rejected: a second argument that is neither exactly bool nor a condition for C (an int, a
    // pointer, a function that does not return bool...): it is never read as "armed". Write
    // `p != nullptr` or `n != 0` for a flag, or give the condition's type: scope_exit<F, C>.
    template <class G, class X,
              std::enable_if_t<is_action_v<G> && !detail::is_flag_v<X> &&
                                   !detail::is_condition_argument_v<C, X>,
                               int> = 0>
    scope_exit(G&&, X&&) = delete;

    // Rejected: an active flag after the condition that is not exactly bool.
    template <class G, class CC, class X,
              std::enable_if_t<is_action_v<G> && !detail::is_flag_v<X>, int> = 0>
    scope_exit(G&&, CC&&, X&&) = delete;

    // Requires: F and C are movable (nothrow, or by copy, or move-only).
    // Effects:  takes the condition, the action and the armed state of `other`, then disarms
    //           `other`. The action is moved when that cannot throw, otherwise copied; the
    //           condition is copied when the action's move may throw. If that throws, `other`
    //           keeps its action armed, so it still runs.
    // Throws:   what copying (or a throwing move of) the action or the condition throws.
    template <bool Movable = state::movable, std::enable_if_t<Movable, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 scope_exit(scope_exit&& other) noexcept(state::nothrow_movable)
        : state_(std::move(other.state_)) {}

    scope_exit(const scope_exit&) = delete;
    scope_exit& operator=(const scope_exit&) = delete;
    scope_exit& operator=(scope_exit&&) = delete;

    // Guards live on the stack: `new` of a guard does not compile.
    static void* operator new(std::size_t) = delete;
    static void* operator new[](std::size_t) = delete;

    // Effects:  if the guard is armed and cond() is true, calls the action.
    // Throws:   what the condition or the action throws. The destructor is noexcept exactly when
    //           both are nothrow-invocable. One that throws while an exception is already being
    //           unwound ends in std::terminate (the C++ rule for any destructor).
    GODEFER_DETAIL_CONSTEXPR20 ~scope_exit() noexcept(state::nothrow_exit) { state_.exit(true); }

    // Effects:  disarms the guard: the action will not run. (P0052 name.)
    constexpr void release() noexcept { state_.set_active(false); }

    // Effects:  arms (true) or disarms (false) the guard. (Boost.Scope name.)
    constexpr void set_active(bool active) noexcept { state_.set_active(active); }

    // Returns:  whether the guard is armed.
    constexpr bool active() const noexcept { return state_.active(); }

    // Effects:  disarms the guard, then, if it was armed and cond() is true, calls the action
    //           (absl's Invoke). The action is kept: set_active(true) arms it again.
    // Throws:   what the condition or the action throws; the guard stays disarmed.
    GODEFER_DETAIL_CONSTEXPR20 void run_now() noexcept(state::nothrow_exit) {
        state_.run_now(true);
    }

  private:
    state state_;
};

template <class F>
scope_exit(F) -> scope_exit<F>;
template <class F>
scope_exit(F, bool) -> scope_exit<F>;
template <class F, class C>
scope_exit(F, C) -> scope_exit<F, C>;
template <class F, class C>
scope_exit(F, C, bool) -> scope_exit<F, C>;

// Returns:  scope_exit<std::decay_t<F>>(std::forward<F>(f), active) (Boost.Scope's factory; CTAD,
//           `godefer::scope_exit g{f}`, does the same). `active` is exactly bool.
template <class F, class B = bool, std::enable_if_t<detail::is_flag_v<B>, int> = 0>
GODEFER_DETAIL_CONSTEXPR20 scope_exit<std::decay_t<F>>
make_scope_exit(F&& f, B active = true) noexcept(
    std::is_nothrow_constructible_v<scope_exit<std::decay_t<F>>, F, bool>) {
    return scope_exit<std::decay_t<F>>(std::forward<F>(f), active);
}

// Returns:  scope_exit<std::decay_t<F>, std::decay_t<C>>(std::forward<F>(f), std::forward<C>(cond),
//           active). `active` is exactly bool.
template <class F, class C, class B = bool,
          std::enable_if_t<!detail::is_flag_v<C> && detail::is_flag_v<B>, int> = 0>
GODEFER_DETAIL_CONSTEXPR20 scope_exit<std::decay_t<F>, std::decay_t<C>>
make_scope_exit(F&& f, C&& cond, B active = true) noexcept(
    std::is_nothrow_constructible_v<scope_exit<std::decay_t<F>, std::decay_t<C>>, F, C, bool>) {
    return scope_exit<std::decay_t<F>, std::decay_t<C>>(std::forward<F>(f), std::forward<C>(cond),
                                                        active);
}

}  // namespace godefer

// GODEFER_SCOPE_EXIT { statements; };
// Runs the statements when the enclosing block ends, however it ends. Captures by reference;
// `return` inside the braces leaves the action, not the function.
#define GODEFER_SCOPE_EXIT GODEFER_DETAIL_SCOPE_GUARD(::godefer::scope_exit)

#endif  // GODEFER_SCOPE_EXIT_HPP
