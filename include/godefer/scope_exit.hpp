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
class [[nodiscard]] scope_exit
    : public detail::basic_scope_guard<scope_exit<F, C>, F, C,
                                       detail::on_store_failure::ask_condition, true> {
    static_assert(!std::is_rvalue_reference_v<F>,
                  "godefer::scope_exit: the action cannot be an rvalue reference; store the "
                  "callable itself, or an lvalue reference to it.");
    static_assert(detail::action_invocable_v<F>,
                  "godefer::scope_exit: the action must be callable without arguments; wrap it "
                  "in a lambda.");
    static_assert(detail::condition_v<C>,
                  "godefer::scope_exit: the condition must be callable without arguments and "
                  "return bool; to arm or disarm the guard pass exactly true or false.");

    using base = detail::basic_scope_guard<scope_exit<F, C>, F, C,
                                           detail::on_store_failure::ask_condition, true>;

  public:
    // Constructors (G: the argument the action is made from; CC: the condition's):
    //   explicit scope_exit(G&& f)
    //     Requires: F is constructible from f; C is default-constructible.
    //     Effects:  stores the action from f (moved when that cannot throw, otherwise copied; a
    //               move-only callable whose move may throw is moved) and arms the guard. If
    //               storing throws, calls f() at once when f is itself callable as the action
    //               (when the action is constructed from f, as `scope_exit<closer> g(fd)`, there
    //               is nothing to call), then the exception goes on.
    //     Throws:   what storing the action throws.
    //   scope_exit(G&& f, bool active)
    //     As scope_exit(f), armed only if `active`. `active` must be exactly bool: an int, a
    //     pointer or a function is rejected, never read as "armed".
    //   scope_exit(G&& f, CC&& cond, bool active = true)
    //     Requires: F is constructible from f, C from cond.
    //     Effects:  stores the condition from cond, then the action from f; armed if `active`.
    //               If storing throws and `active` is true, asks the condition (the stored one,
    //               or cond when it is itself a condition) and calls f() if it says true, then
    //               the exception goes on.
    //     Throws:   what storing the condition or the action throws.
    //   scope_exit(G&&, X&&) = delete, scope_exit(G&&, CC&&, X&&) = delete
    //     A second argument that is neither exactly bool nor a condition for C (an int, a
    //     pointer, a function that does not return bool...), or an active flag after the
    //     condition that is not exactly bool: rejected. Write `p != nullptr` for a flag, or give
    //     the condition's type: scope_exit<F, C>.
    //   scope_exit(scope_exit&& other)
    //     Requires: F and C are movable (nothrow, or by copy, or move-only).
    //     Effects:  takes the condition, the action and the armed state of `other`, then
    //               disarms `other`. If moving throws, `other` keeps its action armed.
    //     Throws:   what copying (or a throwing move of) the action or the condition throws.
    //   Not copyable, not assignable; `new` of a guard does not compile.
    // ~scope_exit()
    //     Effects:  if the guard is armed and cond() is true, calls the action.
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

    // Effects:  disarms the guard, then, if it was armed and cond() is true, calls the action
    //           (absl's Invoke). The action is kept: set_active(true) arms it again.
    // Throws:   what the condition or the action throws; the guard stays disarmed.
    GODEFER_DETAIL_CONSTEXPR20 void run_now() noexcept(base::state::nothrow_exit) {
        this->state_.run_now(true);
    }
};

GODEFER_DETAIL_SCOPE_GUARD_DEDUCTION_GUIDES(scope_exit)

// make_scope_exit(f, active = true), make_scope_exit(f, cond, active = true): the guard, as
// Boost.Scope's factories (CTAD, `godefer::scope_exit g{f}`, does the same). `active` is exactly
// bool.
inline constexpr detail::guard_factory<scope_exit, always_true> make_scope_exit{};

}  // namespace godefer

// GODEFER_SCOPE_EXIT { statements; };
// Runs the statements when the enclosing block ends, however it ends. Captures by reference;
// `return` inside the braces leaves the action, not the function.
#define GODEFER_SCOPE_EXIT GODEFER_DETAIL_SCOPE_GUARD(::godefer::scope_exit)

#endif  // GODEFER_SCOPE_EXIT_HPP
