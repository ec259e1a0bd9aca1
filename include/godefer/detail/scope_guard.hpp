// godefer/detail/scope_guard.hpp: the state shared by scope_exit, scope_fail and scope_success.
//
// A guard is a condition, an action and an armed flag. `scope_guard<F, C>` stores them under the
// P0052 rule (see box.hpp) and knows how to call them; the public class templates hold one and
// say when the action runs (their headers document every member):
//
//   scope_exit     armed and cond() is true  (default condition: always true)
//   scope_fail     armed and cond() is true  (default condition: the scope is left by an exception)
//   scope_success  armed and cond() is false (default condition: the same as scope_fail)
//
// With the action inlined, a guard compiles to the same instructions as a hand-written RAII
// struct: the armed flag is a constant the optimiser folds, and so is the default condition.
#ifndef GODEFER_DETAIL_SCOPE_GUARD_HPP
#define GODEFER_DETAIL_SCOPE_GUARD_HPP

#include <exception>
#include <type_traits>
#include <utility>

#include <godefer/detail/box.hpp>

namespace godefer::detail {

// --- Actions ------------------------------------------------------------------------------------
// An action is called as an lvalue when it can be, otherwise as an rvalue: an action callable only
// as an rvalue (`operator()() &&`) is fine, as a guard calls its action at most once.

template <class F>
inline constexpr bool action_invocable_v = std::is_invocable_v<F&> || std::is_invocable_v<F>;

template <class F>
inline constexpr bool action_nothrow_invocable_v =
    std::is_invocable_v<F&> ? std::is_nothrow_invocable_v<F&> : std::is_nothrow_invocable_v<F>;

template <class F>
GODEFER_DETAIL_CONSTEXPR20 void call_action(F& f) noexcept(action_nothrow_invocable_v<F>) {
    if constexpr (std::is_invocable_v<F&>) {
        static_cast<void>(f());
    } else {
        static_cast<void>(std::move(f)());
    }
}

// The argument a guard was constructed from, called when storing failed: only when it is itself
// callable as an action (an action *constructed from* an argument, such as a functor made from a
// descriptor, leaves nothing to call).
template <class G>
GODEFER_DETAIL_CONSTEXPR20 void call_original(G& g) {
    if constexpr (action_invocable_v<G>)
        call_action(g);
}

// --- Conditions ---------------------------------------------------------------------------------

template <class C>
inline constexpr bool condition_v = std::is_invocable_r_v<bool, C&>;

// The second constructor argument of a guard is either exactly `bool` (armed or not) or what the
// condition C is constructed from: never a function (or anything else) read as "armed".
template <class X>
inline constexpr bool is_flag_v = std::is_same_v<remove_cvref_t<X>, bool>;

template <class C, class X>
inline constexpr bool is_condition_argument_v = !is_flag_v<X> && box_storable_v<C, X>;

// std::uncaught_exceptions(), except in a constant expression, where no exception is in flight.
GODEFER_DETAIL_CONSTEXPR20 inline int uncaught_exceptions() noexcept {
#if defined(__cpp_lib_is_constant_evaluated) && __cpp_lib_is_constant_evaluated >= 201811L
    return std::is_constant_evaluated() ? 0 : std::uncaught_exceptions();
#else
    return std::uncaught_exceptions();
#endif
}

// --- The state of a guard -----------------------------------------------------------------------

// What a guard does when storing its condition or its action throws (if it is armed):
enum class on_store_failure {
    call,           // call the action (scope_fail with its default condition: the scope fails)
    ask_condition,  // call the action if the condition says so (scope_exit, scope_fail)
    skip,           // nothing (scope_success: the scope has not succeeded)
};

// The condition of a guard: a box, or, when C is empty, a base class (so that the default
// conditions take no room). Stored under the box rule, calling on_fail() if that throws.
template <class C, bool = std::is_empty_v<C> && !std::is_final_v<C>>
struct condition_store : box<C> {
    using box<C>::box;
    constexpr C& condition() noexcept { return this->value; }
};

template <class C>
struct condition_store<C, true> : C {
    template <class U, class OnFail>
    GODEFER_DETAIL_CONSTEXPR20 condition_store(U&& u, OnFail&& on_fail) noexcept(
        box_nothrow_storable_v<C, U>)
        : C(make_or_fail<C>(std::forward<U>(u), on_fail)) {}
    constexpr C& condition() noexcept { return *this; }
};

template <on_store_failure Policy>
using store_policy = std::integral_constant<on_store_failure, Policy>;

template <class F, class C>
class scope_guard : private condition_store<C> {
    using cond_ = condition_store<C>;

  public:
    template <class G, class CC>
    static constexpr bool nothrow_storable_from =
        box_nothrow_storable_v<C, CC>&& box_nothrow_storable_v<F, G>;

    // Moving: the condition is copied (not moved) when moving the action may throw, so that a
    // failed move leaves the source guard whole, armed, and still able to run. A guard whose
    // action's move may throw and whose condition cannot be copied is therefore not movable.
    using condition_source =
        std::conditional_t<box_nothrow_storable_v<F, F> || !std::is_copy_constructible_v<C>, C&&,
                           const C&>;
    static constexpr bool movable =
        box_storable_v<C, condition_source> && box_storable_v<F, F> &&
        (box_nothrow_storable_v<F, F> || std::is_copy_constructible_v<C>);
    static constexpr bool nothrow_movable =
        box_nothrow_storable_v<C, condition_source> && box_nothrow_storable_v<F, F>;

    static constexpr bool nothrow_exit =
        action_nothrow_invocable_v<F> && std::is_nothrow_invocable_r_v<bool, C&>;

    // Stores the condition, then the action; armed if `active`. If a store throws and the guard
    // is armed, does what `Policy` says with the original action, then the exception goes on.
    template <on_store_failure Policy, class G, class CC>
    GODEFER_DETAIL_CONSTEXPR20 scope_guard(store_policy<Policy>, G&& f, CC&& cond,
                                           bool active) noexcept(nothrow_storable_from<G, CC>)
        : cond_(std::forward<CC>(cond),
                [&] {
                    if constexpr (Policy == on_store_failure::ask_condition) {
                        // Nothing stored yet: ask the argument, if it is itself a condition.
                        if constexpr (condition_v<std::remove_reference_t<CC>>) {
                            if (active && static_cast<bool>(cond()))
                                call_original(f);
                        } else {
                            if (active)
                                call_original(f);
                        }
                    } else if constexpr (Policy == on_store_failure::call) {
                        if (active)
                            call_original(f);
                    }
                }),
          action_(std::forward<G>(f),
                  [&] {
                      if constexpr (Policy == on_store_failure::ask_condition) {
                          if (active && static_cast<bool>(this->condition()()))
                              call_original(f);
                      } else if constexpr (Policy == on_store_failure::call) {
                          if (active)
                              call_original(f);
                      }
                  }),
          active_(active) {}

    GODEFER_DETAIL_CONSTEXPR20 scope_guard(scope_guard&& other) noexcept(nothrow_movable)
        : cond_(static_cast<condition_source>(other.condition()), no_fail_handler{}),
          action_(std::forward<F>(other.action_.value), no_fail_handler{}),
          active_(other.active_) {
        other.active_ = false;
    }

    scope_guard(const scope_guard&) = delete;
    scope_guard& operator=(const scope_guard&) = delete;

    // Calls the action if the guard is armed and cond() == when.
    GODEFER_DETAIL_CONSTEXPR20 void exit(bool when) noexcept(nothrow_exit) {
        if (active_ && static_cast<bool>(this->condition()()) == when)
            call_action(action_.value);
    }

    // Disarms, then calls the action if the guard was armed and cond() == when.
    GODEFER_DETAIL_CONSTEXPR20 void run_now(bool when) noexcept(nothrow_exit) {
        if (active_) {
            active_ = false;
            if (static_cast<bool>(this->condition()()) == when)
                call_action(action_.value);
        }
    }

    constexpr void set_active(bool active) noexcept { active_ = active; }
    constexpr bool active() const noexcept { return active_; }

  private:
    box<F> action_;
    bool active_;
};

// What scope_exit, scope_fail and scope_success share: every constructor, the destructor and the
// members; each public guard derives from it, inherits its constructors, and documents the
// contracts for its own semantics. Derived: the public guard (its own type is never taken for an
// action). Policy: what happens when storing the action throws. When: the condition's value for
// which the action runs at scope exit (true for scope_exit and scope_fail, false for
// scope_success).
template <class Derived, class F, class C, on_store_failure Policy, bool When>
class basic_scope_guard {
  protected:
    using state = scope_guard<F, C>;
    static constexpr store_policy<Policy> policy{};

    template <class G>
    static constexpr bool is_action_v =
        !std::is_same_v<remove_cvref_t<G>, Derived> &&
        !std::is_same_v<remove_cvref_t<G>, basic_scope_guard> && box_storable_v<F, G>;

  public:
    template <class G,
              std::enable_if_t<is_action_v<G> && std::is_default_constructible_v<C>, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 explicit basic_scope_guard(G&& f) noexcept(
        state::template nothrow_storable_from<G, C>)
        : state_(policy, std::forward<G>(f), C(), true) {}

    template <class G, class B,
              std::enable_if_t<is_action_v<G> && is_flag_v<B> && std::is_default_constructible_v<C>,
                               int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 basic_scope_guard(G&& f, B active) noexcept(
        state::template nothrow_storable_from<G, C>)
        : state_(policy, std::forward<G>(f), C(), active) {}

    template <
        class G, class CC, class B = bool,
        std::enable_if_t<is_action_v<G> && is_condition_argument_v<C, CC> && is_flag_v<B>, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 basic_scope_guard(G&& f, CC&& cond, B active = true) noexcept(
        state::template nothrow_storable_from<G, CC>)
        : state_(policy, std::forward<G>(f), std::forward<CC>(cond), active) {}

    // A second argument that is neither exactly bool nor a condition for C is never read as
    // "armed"; nor is an active flag after the condition that is not exactly bool.
    template <class G, class X,
              std::enable_if_t<is_action_v<G> && !is_flag_v<X> && !is_condition_argument_v<C, X>,
                               int> = 0>
    basic_scope_guard(G&&, X&&) = delete;
    template <class G, class CC, class X,
              std::enable_if_t<is_action_v<G> && !is_flag_v<X>, int> = 0>
    basic_scope_guard(G&&, CC&&, X&&) = delete;

    template <bool Movable = state::movable, std::enable_if_t<Movable, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 basic_scope_guard(basic_scope_guard&& other) noexcept(
        state::nothrow_movable)
        : state_(std::move(other.state_)) {}

    basic_scope_guard(const basic_scope_guard&) = delete;
    basic_scope_guard& operator=(const basic_scope_guard&) = delete;
    basic_scope_guard& operator=(basic_scope_guard&&) = delete;

    static void* operator new(std::size_t) = delete;
    static void* operator new[](std::size_t) = delete;

    GODEFER_DETAIL_CONSTEXPR20 ~basic_scope_guard() noexcept(state::nothrow_exit) {
        state_.exit(When);
    }

    constexpr void release() noexcept { state_.set_active(false); }
    constexpr void set_active(bool active) noexcept { state_.set_active(active); }
    constexpr bool active() const noexcept { return state_.active(); }

  protected:
    state state_;
};

// The factories make_scope_exit, make_scope_fail, make_scope_success: Guard<F, Default>(f, active)
// and Guard<F, C>(f, cond, active), with decayed F and C.
template <template <class, class> class Guard, class Default>
struct guard_factory {
    template <class F, class B = bool, std::enable_if_t<is_flag_v<B>, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 Guard<std::decay_t<F>, Default> operator()(F&& f,
                                                                          B active = true) const
        noexcept(std::is_nothrow_constructible_v<Guard<std::decay_t<F>, Default>, F, bool>) {
        return Guard<std::decay_t<F>, Default>(std::forward<F>(f), active);
    }

    template <class F, class C, class B = bool,
              std::enable_if_t<!is_flag_v<C> && is_flag_v<B>, int> = 0>
    GODEFER_DETAIL_CONSTEXPR20 Guard<std::decay_t<F>, std::decay_t<C>> operator()(
        F&& f, C&& cond, B active = true) const
        noexcept(
            std::is_nothrow_constructible_v<Guard<std::decay_t<F>, std::decay_t<C>>, F, C, bool>) {
        return Guard<std::decay_t<F>, std::decay_t<C>>(std::forward<F>(f), std::forward<C>(cond),
                                                       active);
    }
};

}  // namespace godefer::detail

// The deduction guides of a guard: Guard g{f}, g{f, active}, g{f, cond}, g{f, cond, active}.
#define GODEFER_DETAIL_SCOPE_GUARD_DEDUCTION_GUIDES(Guard) \
    template <class F>                                     \
    Guard(F) -> Guard<F>;                                  \
    template <class F>                                     \
    Guard(F, bool) -> Guard<F>;                            \
    template <class F, class C>                            \
    Guard(F, C) -> Guard<F, C>;                            \
    template <class F, class C>                            \
    Guard(F, C, bool) -> Guard<F, C>;

#endif  // GODEFER_DETAIL_SCOPE_GUARD_HPP
