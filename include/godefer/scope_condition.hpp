// godefer/scope_condition.hpp: the conditions a guard checks when its scope ends.
//
//   #include <godefer/scope_fail.hpp>           // includes this header
//
//   std::error_code copy(const path& from, const path& to, std::error_code& ec) {
//       create(to, ec);
//       if (ec) return ec;
//       godefer::scope_fail undo{[&] { remove(to); }, godefer::check_error_code(ec)};
//       write(to, read(from, ec), ec);                  // sets ec: `to` is removed
//       return ec;                                      // ec is clear: `to` stays
//   }                                                   // an exception alone does not remove it
//
// A condition is any object callable as `cond()` with a result convertible to bool, evaluated
// when the guard's scope ends (only if the guard is armed):
//
//   scope_exit<F, C>     the action runs when cond() is true    default C: always_true
//   scope_fail<F, C>     the action runs when cond() is true    default C: exception_checker
//                        ("true means failure")
//   scope_success<F, C>  the action runs when cond() is false   default C: exception_checker
//                        ("false means success")
//
// The names and shapes are Boost.Scope's, so that code moves over unchanged. Conditions work with
// -fno-exceptions: check_error_code is the error-code world's scope_fail.
#ifndef GODEFER_SCOPE_CONDITION_HPP
#define GODEFER_SCOPE_CONDITION_HPP

#include <memory>
#include <type_traits>

#include <godefer/detail/box.hpp>
#include <godefer/detail/scope_guard.hpp>

namespace godefer {

// The condition of a plain scope_exit: always true.
struct always_true {
    // Returns:  true.
    constexpr bool operator()() const noexcept { return true; }
};

// The default condition of scope_fail and scope_success: true when the scope is being left by an
// exception. It compares std::uncaught_exceptions() when it is called with the count when it was
// made; a larger count means that a new exception is leaving the scope. (Coroutine caveat: a
// guard kept across a co_await may be destroyed while another number of exceptions is in flight,
// and then misjudges; keep scope_fail and scope_success between suspension points.) In a
// constant expression no exception is in flight: it is false.
class exception_checker {
  public:
    // Effects:  records std::uncaught_exceptions().
    GODEFER_DETAIL_CONSTEXPR20 exception_checker() noexcept
        : uncaught_on_creation_(detail::uncaught_exceptions()) {}

    // Returns:  whether more exceptions are in flight than when *this was made.
    GODEFER_DETAIL_CONSTEXPR20 bool operator()() const noexcept {
        return detail::uncaught_exceptions() > uncaught_on_creation_;
    }

  private:
    int uncaught_on_creation_;
};

// Returns:  exception_checker(): `scope_exit g{f, godefer::check_exception()}` is a scope_fail.
GODEFER_DETAIL_CONSTEXPR20 inline exception_checker check_exception() noexcept {
    return {};
}

// A condition that is true when an error code is set: `!!ec`, read when the scope ends. ErrorCode
// is std::error_code, an int, or anything with an `operator bool` (explicit or not). The checker
// refers to `ec`, which must outlive the guard.
template <class ErrorCode>
class error_code_checker {
  public:
    // Effects:  refers to ec.
    constexpr explicit error_code_checker(ErrorCode& ec) noexcept : ec_(std::addressof(ec)) {}

    // Returns:  whether the error code is set, as !!ec.
    constexpr bool operator()() const noexcept(noexcept(!std::declval<ErrorCode&>())) {
        return !!*ec_;
    }

  private:
    ErrorCode* ec_;
};

// Returns:  error_code_checker<ErrorCode>(ec): the action of
//           `godefer::scope_fail undo{rollback, godefer::check_error_code(ec)};` runs when `ec` is
//           set at scope exit.
template <class ErrorCode>
constexpr error_code_checker<ErrorCode> check_error_code(ErrorCode& ec) noexcept {
    return error_code_checker<ErrorCode>(ec);
}

// A temporary error code would be gone before the scope ends.
template <class ErrorCode>
void check_error_code(const ErrorCode&&) = delete;

}  // namespace godefer

#endif  // GODEFER_SCOPE_CONDITION_HPP
