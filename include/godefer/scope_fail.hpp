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
// Synopsis (members are documented in godefer/detail/scope_guard.hpp):
//
//   template <class F> class [[nodiscard]] scope_fail {
//     public:
//       template <class G> explicit scope_fail(G&& f, bool active = true);
//       scope_fail(scope_fail&&);                   // the moved-from guard is disarmed
//       ~scope_fail() noexcept(std::is_nothrow_invocable_v<F&>);
//       void release() noexcept;
//       void set_active(bool) noexcept;
//       bool active() const noexcept;
//   };
//
// If storing the callable throws, it is called at once (the scope is failing) and the exception
// goes on.
#ifndef GODEFER_SCOPE_FAIL_HPP
#define GODEFER_SCOPE_FAIL_HPP

#include "godefer/detail/scope_guard.hpp"
#include "godefer/detail/scope_guard_macro.hpp"

namespace godefer {

template <class F>
class [[nodiscard]] scope_fail : public detail::scope_guard<F, detail::run_on_failure> {
    using base = detail::scope_guard<F, detail::run_on_failure>;

  public:
    using base::base;
};

template <class F>
scope_fail(F) -> scope_fail<F>;
template <class F>
scope_fail(F, bool) -> scope_fail<F>;

}  // namespace godefer

// GODEFER_SCOPE_FAIL { statements; };
// Runs the statements when the enclosing block is left by an exception. Captures by reference.
#define GODEFER_SCOPE_FAIL GODEFER_DETAIL_SCOPE_GUARD(::godefer::scope_fail)

#endif  // GODEFER_SCOPE_FAIL_HPP
