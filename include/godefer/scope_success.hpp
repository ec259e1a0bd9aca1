// godefer/scope_success.hpp: run an action only when the enclosing block is left normally.
//
//   #include <godefer/scope_success.hpp>
//
//   void save(const Document& doc, const std::string& path) {
//       std::string tmp = path + ".tmp";
//       write_file(tmp, doc.serialize());               // throws: `path` is untouched
//       godefer::scope_success publish{[&] { std::rename(tmp.c_str(), path.c_str()); }};
//       fsync_file(tmp);                                // throws: nothing is renamed
//   }                                                   // returns: tmp replaces path
//
// Or, without a name (captures by reference):
//
//   GODEFER_SCOPE_SUCCESS { std::rename(tmp.c_str(), path.c_str()); };
//
// The action may throw: it runs during a normal exit, so its exception simply leaves the scope
// (the destructor is noexcept(false) when the action may throw). If storing the callable throws,
// the callable is not called: the scope has not succeeded.
//
// "Left normally" is decided with std::uncaught_exceptions(); the coroutine caveat of scope_fail
// applies (see godefer/scope_fail.hpp).
#ifndef GODEFER_SCOPE_SUCCESS_HPP
#define GODEFER_SCOPE_SUCCESS_HPP

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
// runs if the guard is armed and cond() is false ("succeeded"). The default, exception_checker,
// is true when the scope is left by an exception; check_error_code(ec) is true when ec is set.
template <class F, class C = exception_checker>
class [[nodiscard]] scope_success
    : public detail::basic_scope_guard<scope_success<F, C>, F, C, detail::on_store_failure::skip,
                                       false> {
    static_assert(!std::is_rvalue_reference_v<F>,
                  "godefer::scope_success: the action cannot be an rvalue reference; store the "
                  "callable itself, or an lvalue reference to it.");
    static_assert(detail::action_invocable_v<F>,
                  "godefer::scope_success: the action must be callable without arguments; wrap it "
                  "in a lambda.");
    static_assert(detail::condition_v<C>,
                  "godefer::scope_success: the condition must be callable without arguments and "
                  "return bool; to arm or disarm the guard pass exactly true or false.");

    using base =
        detail::basic_scope_guard<scope_success<F, C>, F, C, detail::on_store_failure::skip, false>;

  public:
    // Constructors (G: the argument the action is made from; CC: the condition's):
    //   explicit scope_success(G&& f)
    //     Requires: F is constructible from f; C is default-constructible.
    //     Effects:  stores the action from f (moved when that cannot throw, otherwise copied; a
    //               move-only callable whose move may throw is moved) and arms the guard. If
    //               storing throws, nothing is called (the scope has not succeeded) and the
    //               exception goes on.
    //     Throws:   what storing the action throws.
    //   scope_success(G&& f, bool active)
    //     As scope_success(f), armed only if `active`. `active` must be exactly bool: an int, a
    //     pointer or a function is rejected, never read as "armed".
    //   scope_success(G&& f, CC&& cond, bool active = true)
    //     Requires: F is constructible from f, C from cond.
    //     Effects:  stores the condition from cond, then the action from f; armed if `active`.
    //               If storing throws, nothing is called and the exception goes on.
    //     Throws:   what storing the condition or the action throws.
    //   scope_success(G&&, X&&) = delete, scope_success(G&&, CC&&, X&&) = delete
    //     A second argument that is neither exactly bool nor a condition for C (an int, a
    //     pointer, a function that does not return bool...), or an active flag after the
    //     condition that is not exactly bool: rejected. Write `p != nullptr` for a flag, or give
    //     the condition's type: scope_success<F, C>.
    //   scope_success(scope_success&& other)
    //     Requires: F and C are movable (nothrow, or by copy, or move-only).
    //     Effects:  takes the condition, the action and the armed state of `other`, then
    //               disarms `other`. If moving throws, `other` keeps its action armed.
    //     Throws:   what copying (or a throwing move of) the action or the condition throws.
    //   Not copyable, not assignable; `new` of a guard does not compile.
    // ~scope_success()
    //     Effects:  if the guard is armed and cond() is false (the scope succeeded), calls the
    //               action.
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

GODEFER_DETAIL_SCOPE_GUARD_DEDUCTION_GUIDES(scope_success)

// make_scope_success(f, active = true), make_scope_success(f, cond, active = true): the guard, as
// Boost.Scope's factories (CTAD, `godefer::scope_success g{f}`, does the same). `active` is exactly
// bool.
inline constexpr detail::guard_factory<scope_success, exception_checker> make_scope_success{};

}  // namespace godefer

// GODEFER_SCOPE_SUCCESS { statements; };
// Runs the statements when the enclosing block is left normally. Captures by reference.
#define GODEFER_SCOPE_SUCCESS GODEFER_DETAIL_SCOPE_GUARD(::godefer::scope_success)

#endif  // GODEFER_SCOPE_SUCCESS_HPP
