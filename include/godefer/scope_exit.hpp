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
// Synopsis (members are documented in godefer/detail/scope_guard.hpp):
//
//   template <class F> class [[nodiscard]] scope_exit {
//     public:
//       template <class G> explicit scope_exit(G&& f, bool active = true);
//       scope_exit(scope_exit&&);                   // the moved-from guard is disarmed
//       ~scope_exit() noexcept(std::is_nothrow_invocable_v<F&>);
//       void release() noexcept;                    // disarm
//       void set_active(bool) noexcept;             // arm or disarm
//       bool active() const noexcept;
//       void run_now();                             // disarm, then call the action if armed
//   };
//   template <class F> scope_exit(F) -> scope_exit<F>;
//   template <class F> scope_exit(F, bool) -> scope_exit<F>;
//
// F is the decayed type of the callable: a lambda, a function pointer or reference, a functor
// (move-only ones too, passed as rvalues), a std::function. It must be callable as f(); a result
// is discarded. If storing the callable throws, it is called at once and the exception goes on.
//
// An action that throws makes the destructor throw (its noexcept follows the action's). If it
// throws while an exception is already unwinding, the program ends in std::terminate, as for any
// destructor. godefer::run (Go's semantics: a later panic replaces the earlier one) has no such
// limit.
#ifndef GODEFER_SCOPE_EXIT_HPP
#define GODEFER_SCOPE_EXIT_HPP

#include <type_traits>

#include "godefer/detail/scope_guard.hpp"
#include "godefer/detail/scope_guard_macro.hpp"

namespace godefer {

template <class F>
class [[nodiscard]] scope_exit : public detail::scope_guard<F, detail::run_always> {
    using base = detail::scope_guard<F, detail::run_always>;

  public:
    using base::base;

    // Effects:  disarms the guard, then calls the action if it was armed (absl's Invoke).
    // Throws:   what the action throws; the guard stays disarmed.
    using base::run_now;
};

template <class F>
scope_exit(F) -> scope_exit<F>;
template <class F>
scope_exit(F, bool) -> scope_exit<F>;

}  // namespace godefer

// GODEFER_SCOPE_EXIT { statements; };
// Runs the statements when the enclosing block ends, however it ends. Captures by reference;
// `return` inside the braces leaves the action, not the function.
#define GODEFER_SCOPE_EXIT GODEFER_DETAIL_SCOPE_GUARD(::godefer::scope_exit)

#endif  // GODEFER_SCOPE_EXIT_HPP
