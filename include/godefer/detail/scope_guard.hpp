// godefer/detail/scope_guard.hpp: the one implementation behind scope_exit, scope_fail and
// scope_success.
//
// A guard is an action (a decayed copy of a callable), an armed flag, and a `Condition` that says,
// at the end of the scope, whether the action should run:
//
//   run_always       scope_exit     always
//   run_on_failure   scope_fail     when the scope is left by an exception
//   run_on_success   scope_success  when the scope is left normally
//
// The public class templates derive from `scope_guard<F, Condition>` and inherit its constructor,
// so everything below is written once. With the action inlined, a guard compiles to the same
// instructions as a hand-written RAII struct: the armed flag is a constant the optimiser folds.
#ifndef GODEFER_DETAIL_SCOPE_GUARD_HPP
#define GODEFER_DETAIL_SCOPE_GUARD_HPP

#include <cstddef>
#include <exception>
#include <type_traits>
#include <utility>

#include "godefer/detail/box.hpp"
#include "godefer/detail/config.hpp"

namespace godefer {
namespace detail {

template <class T>
using remove_cvref_t = std::remove_cv_t<std::remove_reference_t<T>>;

// --- Conditions ---------------------------------------------------------------------------------

struct run_always {
    // If storing the action throws, the action runs at once (nothing is lost).
    static constexpr bool run_if_store_fails = true;
    static constexpr bool should_run() noexcept { return true; }
};

// std::uncaught_exceptions() counts the exceptions being unwound on this thread. A guard compares
// the count at its destruction with the count at its construction: a larger count means that the
// scope is being left by an exception. (Caveat: a coroutine suspended in one count and destroyed
// or resumed in another misjudges; see the documentation of scope_fail.)
class run_on_failure {
  public:
    static constexpr bool run_if_store_fails = true;
    bool should_run() const noexcept { return std::uncaught_exceptions() > uncaught_on_creation_; }

  private:
    int uncaught_on_creation_ = std::uncaught_exceptions();
};

class run_on_success {
  public:
    // The scope has not succeeded yet: an action that was not stored does not run.
    static constexpr bool run_if_store_fails = false;
    bool should_run() const noexcept { return std::uncaught_exceptions() <= uncaught_on_creation_; }

  private:
    int uncaught_on_creation_ = std::uncaught_exceptions();
};

// --- The guard ----------------------------------------------------------------------------------

template <class F, class Condition>
class scope_guard : private Condition {
    static_assert(!std::is_rvalue_reference_v<F>,
                  "A godefer scope guard cannot store an rvalue reference: store the callable "
                  "itself (the default), or an lvalue reference to it.");
    static_assert(std::is_invocable_v<F&>,
                  "The action of a godefer scope guard must be callable with no arguments, as "
                  "f(); bind the arguments in a lambda: [&] { close(fd); }.");
    static_assert(std::is_destructible_v<F>,
                  "The action of a godefer scope guard must be destructible.");

    // The constructor from a callable: never for the guard itself (copies and moves), and only
    // for what the P0052 rule can store (a move-only callable must come as an rvalue).
    template <class G>
    using if_storable = std::enable_if_t<!std::is_base_of_v<scope_guard, remove_cvref_t<G>> &&
                                             std::is_constructible_v<F, G> &&
                                             box_storable_v<F, G>,
                                         int>;

  public:
    // Requires: F is constructible from G (from the rvalue if that is nothrow, else from the
    //           lvalue: a move-only callable must be passed as an rvalue).
    // Effects:  stores the action from `f` (moved if nothrow-movable, else copied) and arms the
    //           guard if `active`. If storing throws and `active` is true, scope_exit and
    //           scope_fail call f() at once; scope_success does not.
    // Throws:   what storing the action throws.
    template <class G, if_storable<G> = 0>
    explicit scope_guard(G&& f, bool active = true) noexcept(box_nothrow_storable_v<F, G>)
        : Condition(),
          action_(std::forward<G>(f),
                  [&] {
                      if constexpr (Condition::run_if_store_fails) {
                          if (active) f();
                      }
                  }),
          active_(active) {}

    // Effects:  takes the action and the armed state of `other` (the action is moved if that
    //           is nothrow, else copied), then disarms `other`. If that copy throws, `other`
    //           keeps its action armed, so it still runs.
    // Throws:   what copying the action throws.
    scope_guard(scope_guard&& other) noexcept(std::is_nothrow_move_constructible_v<F> ||
                                              std::is_nothrow_copy_constructible_v<F>)
        : Condition(static_cast<const Condition&>(other)),
          action_(std::forward<F>(other.action_.value), no_fail_handler{}),
          active_(other.active_) {
        static_assert(std::is_nothrow_move_constructible_v<F> || std::is_copy_constructible_v<F>,
                      "A godefer scope guard can be moved only when its action is "
                      "nothrow-move-constructible or copy-constructible.");
        other.release();
    }

    scope_guard(const scope_guard&) = delete;
    scope_guard& operator=(const scope_guard&) = delete;
    scope_guard& operator=(scope_guard&&) = delete;

    // Guards live on the stack: `new` of a guard does not compile.
    static void* operator new(std::size_t) = delete;
    static void* operator new[](std::size_t) = delete;

    // Effects:  if the guard is armed and its condition holds, calls the action.
    // Throws:   what the action throws. The destructor is noexcept exactly when the action is
    //           nothrow-invocable. An action that throws while an exception is already being
    //           unwound ends in std::terminate (the C++ rule for any destructor).
    ~scope_guard() noexcept(std::is_nothrow_invocable_v<F&>) {
        if (active_ && Condition::should_run()) action_.value();
    }

    // Effects:  disarms the guard: the action will not run. (P0052 name.)
    void release() noexcept { active_ = false; }

    // Effects:  arms (true) or disarms (false) the guard. (Boost.Scope name.)
    void set_active(bool active) noexcept { active_ = active; }

    // Returns:  whether the guard is armed. (For scope_fail and scope_success the action also
    //           needs its condition to hold when the scope ends.)
    bool active() const noexcept { return active_; }

  protected:
    // Effects:  disarms the guard, then calls the action if it was armed.
    // Throws:   what the action throws; the guard stays disarmed.
    void run_now() noexcept(std::is_nothrow_invocable_v<F&>) {
        if (active_) {
            active_ = false;
            action_.value();
        }
    }

  private:
    box<F> action_;
    bool active_;
};

}  // namespace detail
}  // namespace godefer

#endif  // GODEFER_DETAIL_SCOPE_GUARD_HPP
