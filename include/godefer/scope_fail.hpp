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
class [[nodiscard]] scope_fail
    : public detail::basic_scope_guard<scope_fail<F, C>, F, C,
                                       std::is_same_v<C, exception_checker>
                                           ? detail::on_store_failure::call
                                           : detail::on_store_failure::ask_condition,
                                       true> {
    static_assert(!std::is_rvalue_reference_v<F>,
                  "godefer::scope_fail: the action cannot be an rvalue reference; store the "
                  "callable itself, or an lvalue reference to it.");
    static_assert(detail::action_invocable_v<F>,
                  "godefer::scope_fail: the action must be callable without arguments; wrap it "
                  "in a lambda.");
    static_assert(detail::condition_v<C>,
                  "godefer::scope_fail: the condition must be callable without arguments and "
                  "return bool; to arm or disarm the guard pass exactly true or false.");

    using base = detail::basic_scope_guard<scope_fail<F, C>, F, C,
                                           std::is_same_v<C, exception_checker>
                                               ? detail::on_store_failure::call
                                               : detail::on_store_failure::ask_condition,
                                           true>;

  public:
    // Constructors (G: the argument the action is made from; CC: the condition's):
    //   explicit scope_fail(G&& f)
    //     Requires: F is constructible from f; C is default-constructible.
    //     Effects:  stores the action from f (moved when that cannot throw, otherwise copied; a
    //               move-only callable whose move may throw is moved) and arms the guard. If
    //               storing throws, the scope is failing: calls f() at once when f is itself
    //               callable as the action (when the action is constructed from f, as
    //               `scope_fail<closer> g(fd)`, there is nothing to call), then the exception
    //               goes on.
    //     Throws:   what storing the action throws.
    //   scope_fail(G&& f, bool active)
    //     As scope_fail(f), armed only if `active`. `active` must be exactly bool: an int, a
    //     pointer or a function is rejected, never read as "armed".
    //   scope_fail(G&& f, CC&& cond, bool active = true)
    //     Requires: F is constructible from f, C from cond.
    //     Effects:  stores the condition from cond, then the action from f; armed if `active`.
    //               If storing throws and `active` is true, asks the condition (the stored one,
    //               or cond when it is itself a condition) and calls f() if it says true (at
    //               once, when there is nothing to ask), then the exception goes on.
    //     Throws:   what storing the condition or the action throws.
    //   scope_fail(G&&, X&&) = delete, scope_fail(G&&, CC&&, X&&) = delete
    //     A second argument that is neither exactly bool nor a condition for C (an int, a
    //     pointer, a function that does not return bool...), or an active flag after the
    //     condition that is not exactly bool: rejected. Write `p != nullptr` for a flag, or give
    //     the condition's type: scope_fail<F, C>.
    //   scope_fail(scope_fail&& other)
    //     Requires: F and C are movable (nothrow, or by copy, or move-only).
    //     Effects:  takes the condition, the action and the armed state of `other`, then
    //               disarms `other`. If moving throws, `other` keeps its action armed.
    //     Throws:   what copying (or a throwing move of) the action or the condition throws.
    //   Not copyable, not assignable; `new` of a guard does not compile.
    // ~scope_fail()
    //     Effects:  if the guard is armed and cond() is true (the scope failed), calls the action.
    //     Throws:   what the condition or the action throws; the destructor is noexcept exactly
    //               when both are nothrow-invocable. One that throws while an exception is
    //               already being unwound ends in std::terminate (the C++ rule).
    using base::base;

    // Effects:  disarms the guard: the action will not run. (P0052 name.)
    using base::release;

    // Effects:  arms (true) or disarms (false) the guard. (Boost.Scope name.)
    using base::set_active;

    // Returns:  whether the guard is armed.
    using base::active;
};

GODEFER_DETAIL_SCOPE_GUARD_DEDUCTION_GUIDES(scope_fail)

// make_scope_fail(f, active = true), make_scope_fail(f, cond, active = true): the guard, as
// Boost.Scope's factories (CTAD, `godefer::scope_fail g{f}`, does the same). `active` is exactly
// bool.
inline constexpr detail::guard_factory<scope_fail, exception_checker> make_scope_fail{};

}  // namespace godefer

// GODEFER_SCOPE_FAIL { statements; };
// Runs the statements when the enclosing block is left by an exception. Captures by reference.
#define GODEFER_SCOPE_FAIL GODEFER_DETAIL_SCOPE_GUARD(::godefer::scope_fail)

#endif  // GODEFER_SCOPE_FAIL_HPP
