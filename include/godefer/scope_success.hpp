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
//
// Synopsis (members are documented in godefer/detail/scope_guard.hpp):
//
//   template <class F> class [[nodiscard]] scope_success {
//     public:
//       template <class G> explicit scope_success(G&& f, bool active = true);
//       scope_success(scope_success&&);             // the moved-from guard is disarmed
//       ~scope_success() noexcept(std::is_nothrow_invocable_v<F&>);
//       void release() noexcept;
//       void set_active(bool) noexcept;
//       bool active() const noexcept;
//   };
#ifndef GODEFER_SCOPE_SUCCESS_HPP
#define GODEFER_SCOPE_SUCCESS_HPP

#include "godefer/detail/scope_guard.hpp"
#include "godefer/detail/scope_guard_macro.hpp"

namespace godefer {

template <class F>
class [[nodiscard]] scope_success : public detail::scope_guard<F, detail::run_on_success> {
    using base = detail::scope_guard<F, detail::run_on_success>;

  public:
    using base::base;
};

template <class F>
scope_success(F) -> scope_success<F>;
template <class F>
scope_success(F, bool) -> scope_success<F>;

}  // namespace godefer

// GODEFER_SCOPE_SUCCESS { statements; };
// Runs the statements when the enclosing block is left normally. Captures by reference.
#define GODEFER_SCOPE_SUCCESS GODEFER_DETAIL_SCOPE_GUARD(::godefer::scope_success)

#endif  // GODEFER_SCOPE_SUCCESS_HPP
