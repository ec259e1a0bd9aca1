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
#if GODEFER_HAS_EXCEPTIONS
        try
#endif
        : C(static_cast<box_source_t<C, U>>(u)) {
#if !GODEFER_HAS_EXCEPTIONS
        static_cast<void>(on_fail);
#endif
    }
#if GODEFER_HAS_EXCEPTIONS
    catch (...) {
        on_fail();
    }
#endif
    constexpr C& condition() noexcept {
        return *this;
    }
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

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_SCOPE_GUARD_HPP
