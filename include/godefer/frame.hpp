// godefer/frame.hpp: Go's function-scoped defer stack.
//
//   void copy_all(const std::vector<std::string>& paths) {
//       godefer::frame f;                          // declared first: its calls run last
//       for (const auto& p : paths) {
//           FILE* in = std::fopen(p.c_str(), "rb");
//           if (!in) continue;
//           f.defer(std::fclose, in);              // `in` is copied now (Go rule R1)
//           ...
//       }                                          // nothing closed yet: defers accumulate
//   }                                              // every file closed here, newest first
//
// f.defer(fn, args...) decay-copies fn and args now (std::ref / std::cref pass a reference) and
// pushes the call; the calls run in LIFO order when the frame ends, each at most once. fn is
// anything std::invoke takes. A null function pointer, null member pointer, empty std::function,
// or a member pointer with a null object pointer is refused at once with a panic (defer_error).
// If storing the call fails, the call is made at once and the exception goes on. A call deferred
// on a run frame that an exception is leaving, once its calls have run (by a destructor running
// then), is made at once too: nothing would run it later.
//
// LIFETIME: the calls run after every local declared after the frame is destroyed (with run(),
// after all the body's locals). Capture by value, pass arguments, or refer to state declared
// before the frame.
//
// A frame declared as a local drains in its destructor: cheap, but it cannot recover. When a call
// throws during a normal exit the remaining calls still run, then the last exception propagates;
// when one throws while another exception unwinds (std::uncaught_exceptions() > 0 at that moment),
// the remaining calls run, then std::terminate with a message naming both exceptions.
// godefer::run gives the full Go rules (panic replacement, recover).
#ifndef GODEFER_FRAME_HPP
#define GODEFER_FRAME_HPP

#include <cstddef>
#include <cstdio>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <godefer/detail/bound_call.hpp>
#include <godefer/detail/call_stack.hpp>
#include <godefer/detail/config.hpp>
#include <godefer/detail/message.hpp>
#include <godefer/detail/thread_state.hpp>
#include <godefer/panic.hpp>

namespace godefer::detail {
struct run_frame_tag {};
class frame_access;
class run_frame_holder;

template <class T, class = void>
struct null_comparable : std::false_type {};
template <class T>
struct null_comparable<T, std::void_t<decltype(std::declval<const T&>() == nullptr)>>
    : std::true_type {};

[[noreturn]] GODEFER_DETAIL_COLD inline void refuse_defer(const char* why) {
    panic(defer_error(why));
}

// Panics (defer_error) when the call can only fail: Go panics when such a call runs (R27);
// godefer refuses it where it is made, so the panic's site and stack show that line.
template <class F, class... A>
void refuse_null_call(const F& fn, const A&... args) {
    using D = std::decay_t<F>;
    if constexpr (std::is_function_v<F>) {
        // A function named directly (f.defer(show, ...)) is never null; comparing its decayed
        // address with nullptr only draws GCC's -Wnonnull-compare / -Waddress.
    } else if constexpr (std::is_pointer_v<D>) {
        if (fn == nullptr)
            refuse_defer("godefer: defer called with a null function pointer");
    } else if constexpr (std::is_member_pointer_v<D>) {
        if (fn == nullptr)
            refuse_defer("godefer: defer called with a null member pointer");
        if constexpr (sizeof...(A) > 0) {
            const auto& obj = std::get<0>(std::forward_as_tuple(args...));
            using O = std::decay_t<decltype(obj)>;
            if constexpr (std::is_pointer_v<O> || null_comparable<O>::value) {
                if (obj == nullptr)
                    refuse_defer(
                        "godefer: defer called with a member pointer and a null object pointer");
            }
        }
    } else if constexpr (null_comparable<D>::value) {
        if (fn == nullptr)
            refuse_defer("godefer: defer called with an empty function object (std::function)");
    }
}
}  // namespace godefer::detail

namespace godefer {

class frame {
  public:
    // A local frame: its calls run in its destructor.
    frame() noexcept { attach(); }

    frame(const frame&) = delete;
    frame(frame&&) = delete;
    frame& operator=(const frame&) = delete;
    frame& operator=(frame&&) = delete;
    static void* operator new(std::size_t) = delete;
    static void* operator new[](std::size_t) = delete;

    // Runs the pending calls, newest first. See the class comment for the exception rules.
    GODEFER_DETAIL_ALWAYS_INLINE ~frame() noexcept(false) {
        if (calls_.pending())
            drain_local();
        detach();
    }

    // Requires: std::invoke(std::decay_t<F>, std::decay_t<A>...) is well-formed (on rvalues).
    // Effects: decay-copies fn and args (moved from rvalues), pushes the call.
    // Throws: panics with defer_error if fn is null; if storing fails (allocation, a copy), calls
    // fn(args...) at once and rethrows.
    template <class F, class... A>
    GODEFER_DETAIL_ALWAYS_INLINE void defer(F&& fn, A&&... args) {
        detail::refuse_null_call(fn, args...);
        using call = detail::bound_call<std::decay_t<F>, std::decay_t<A>...>;
        static_assert(std::is_invocable_v<std::decay_t<F>, std::decay_t<A>...>,
                      "godefer::frame::defer: the callable must be invocable with the decay-copied "
                      "arguments passed as rvalues, as by std::thread; pass std::ref(x) to "
                      "pass a reference.");
        constexpr bool nothrow_store =
            (std::is_nothrow_constructible_v<std::decay_t<F>, F&&> && ... &&
             std::is_nothrow_constructible_v<std::decay_t<A>, A&&>);
        if constexpr (!nothrow_store && detail::has_move_only_part_v<F, A...>) {
            // Copies first, into a staging tuple (the originals are intact if one throws); the
            // parts that can only be moved are moved in last, when the call is stored: if the
            // storage fails, the call made at once gets its real arguments.
            std::optional<detail::staged_call<F, A...>> staged;
            GODEFER_DETAIL_TRY {
                staged.emplace(detail::keep_original<F>(fn), detail::keep_original<A>(args)...);
            }
            GODEFER_DETAIL_CATCH_ALL {
                call_at_once(std::forward<F>(fn), std::forward<A>(args)...);
                GODEFER_DETAIL_RETHROW;
            }
            bool stored = false;
            GODEFER_DETAIL_TRY {
                stored = std::apply(
                    [this](auto&&... s) {
                        return calls_.push<call>(std::forward<decltype(s)>(s)...);
                    },
                    std::move(*staged));
            }
            GODEFER_DETAIL_CATCH_ALL {
                std::apply([](auto&&... s) { call_at_once(std::forward<decltype(s)>(s)...); },
                           std::move(*staged));
                GODEFER_DETAIL_RETHROW;
            }
            if (GODEFER_DETAIL_UNLIKELY(!stored))  // a frame being left (see call_stack::close)
                std::apply([](auto&&... s) { call_at_once(std::forward<decltype(s)>(s)...); },
                           std::move(*staged));
            return;
        }
        bool stored = false;
        GODEFER_DETAIL_TRY {
            if constexpr (nothrow_store)
                stored = calls_.push<call>(std::forward<F>(fn), std::forward<A>(args)...);
            else  // every part is copied: the originals stay intact if a copy throws
                stored = calls_.push<call>(detail::keep_original<F>(fn),
                                           detail::keep_original<A>(args)...);
        }
        GODEFER_DETAIL_CATCH_ALL {
            call_at_once(std::forward<F>(fn), std::forward<A>(args)...);
            GODEFER_DETAIL_RETHROW;
        }
        // Not stored: the frame is being left by an exception and its calls have run (see
        // call_stack::close), so nothing would run this one later.
        if (GODEFER_DETAIL_UNLIKELY(!stored))
            call_at_once(std::forward<F>(fn), std::forward<A>(args)...);
    }

  private:
    // The call that could not be stored, made at once (a registered cleanup is never lost).
    template <class F, class... A>
    static void call_at_once(F&& fn, A&&... args) {
        {
#if defined(__GNUC__) && !defined(__clang__)
            // GCC 12 at -O2 with -fsanitize=address warns (-Warray-bounds) that calling a member
            // function pointer on an empty class object reads a vtable pointer past the object: a
            // false positive (it cannot tell the pointer is not virtual).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
            std::invoke(std::forward<F>(fn), std::forward<A>(args)...);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
        }
    }

  public:
    // The number of calls not yet taken.
    std::size_t size() const noexcept {
        return calls_.size();
    }
    bool empty() const noexcept {
        return !calls_.pending();
    }

  private:
    friend class detail::frame_access;
    friend class detail::run_frame_holder;
    explicit frame(detail::run_frame_tag) noexcept {
        attach();
    }

    void attach() noexcept {
#if !GODEFER_HAS_EXCEPTIONS
        link_ = {detail::t_innermost_frame, nullptr, &calls_};
        if (link_.outer != nullptr)
            link_.outer->inner = &link_;
        detail::t_innermost_frame = &link_;
#endif
    }
    void detach() noexcept {
#if !GODEFER_HAS_EXCEPTIONS
        if (link_.inner != nullptr)
            link_.inner->outer = link_.outer;
        else
            detail::t_innermost_frame = link_.outer;
        if (link_.outer != nullptr)
            link_.outer->inner = link_.inner;
#endif
    }

    GODEFER_DETAIL_ALWAYS_INLINE void drain_local() {
#if GODEFER_HAS_EXCEPTIONS
        // A local frame is never panicking: code running as its calls recovers nothing.
        // The target is put back only when it was set (see run: no store of a loaded value).
        detail::thread_context& context = detail::this_thread_context();  // one lookup in a .so
        detail::run_unwind* const outer_target = context.target;
        context.target = nullptr;
        try {
            calls_.run_all<false>();  // the call stack's destructor frees the heap chunks once
        } catch (...) {
            drain_local_after_throw(outer_target);
        }
        if (GODEFER_DETAIL_UNLIKELY(outer_target != nullptr))
            context.target = outer_target;
#else
        calls_.run_all();
#endif
    }

#if GODEFER_HAS_EXCEPTIONS
    // Called inside the handler of the first exception a call threw.
    GODEFER_DETAIL_COLD void drain_local_after_throw(detail::run_unwind* outer_target) {
        const std::exception_ptr first = std::current_exception();
        // The other calls run; the last exception thrown is the one that goes on.
        std::exception_ptr last;
        while (calls_.pending()) {
            try {
                calls_.run_all();
            } catch (...) {
                last = std::current_exception();
            }
        }
        detail::t_context.target = outer_target;
        if (!first) {
            // Not a C++ exception: a thread cancellation, which goes on (a call that threw
            // meanwhile ends in std::terminate, as while any unwinding).
            if (last)
                terminate_while_unwinding(last);
            throw;
        }
        if (!last)
            last = first;
        if (std::uncaught_exceptions() > 0)
            terminate_while_unwinding(last);
        std::rethrow_exception(last);
    }
#endif

    [[noreturn]] GODEFER_DETAIL_COLD static void terminate_while_unwinding(
        const std::exception_ptr& thrown) noexcept {
        std::string msg = "godefer: a deferred call of a local godefer::frame threw (" +
                          detail::describe_exception(thrown) +
                          ") while another exception was unwinding";
        if (auto raised = detail::this_thread_state().last_raised.lock())
            msg += " (the last godefer panic on this thread: \"panic: " + raised->message() + "\")";
        msg +=
            "; calling std::terminate. Defer the calls through godefer::run to get Go's rule "
            "(the newer panic replaces the older one).\n";
        std::fflush(stdout);
        std::fputs(msg.c_str(), stderr);
        std::terminate();
    }

    detail::call_stack calls_;
#if !GODEFER_HAS_EXCEPTIONS
    detail::frame_link link_;
#endif
};

}  // namespace godefer

namespace godefer::detail {
// run() reaches the frame's calls through this class only.
class frame_access {
  public:
    static call_stack& calls(frame& f) noexcept { return f.calls_; }
};

}  // namespace godefer::detail

#endif  // GODEFER_FRAME_HPP
