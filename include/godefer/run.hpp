// godefer/run.hpp: a Go function boundary — run(body) runs body in a fresh frame with Go's rules.
//
//   // Go:  func safeDiv(a, b int) (q int, err error) {
//   //          defer func() { if r := recover(); r != nil { err = fmt.Errorf("%v", r) } }()
//   //          return a / b, nil
//   //      }
//   int safe_div(int a, int b, std::string& err) {
//       return godefer::run([&](godefer::frame& f) {
//           f.defer([&] { if (auto r = godefer::recover()) err = r.message(); });
//           if (b == 0) godefer::panic("integer divide by zero");
//           return a / b;                  // normal return: the call runs, err stays empty
//       });                                // after a recover: returns int{} (Go's zero value)
//   }
//
// body takes `frame&` or nothing and returns a value or void; run returns what it returns.
// - Normal return: the result is kept, then the calls run, newest first.
// - An exception leaving the body (godefer::panic or any C++ exception) is a panic: the calls run
//   and recover() in them stops it. Then the frame's remaining calls still run (R14) and run
//   returns the body's result if the body had returned before the panic started (R21), otherwise
//   a value-initialised result (Go's zero value, R13).
// - A call that throws replaces the panic in flight, or starts one during a normal return; the
//   remaining calls still run. Nothing ends in std::terminate because a call threw.
// - Unrecovered, the panic leaves run as godefer::panic_error, or as the foreign exception itself.
// - goexit_signal and thread cancellation pass through: the calls run, recover() cannot stop them.
//
// GODEFER_INLINE_BODY, written after a lambda body's parameter list, asks the compiler to inline
// the body into run. A body that only defers a call or two then costs what a local frame costs:
// the compiler sees which call was deferred and makes it directly. GCC does not inline an unmarked
// body into run on its own at -O2 (its early inliner refuses a callee that would add more than a
// few instructions; a defer adds more), so without the mark the deferred call is made out of line,
// through a function pointer. Clang inlines such a body unmarked.
//
//   godefer::run([&](godefer::frame& f) GODEFER_INLINE_BODY { f.defer([&] { ++count; }); });
//
// (With `mutable`, `constexpr` or `noexcept`, GCC wants the mark after them and Clang before: such
// a body cannot carry it portably.)
#ifndef GODEFER_RUN_HPP
#define GODEFER_RUN_HPP

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include <godefer/detail/config.hpp>
#include <godefer/detail/thread_state.hpp>
#include <godefer/detail/unwind.hpp>
#include <godefer/frame.hpp>
#include <godefer/panic.hpp>

#if defined(__GNUC__) || defined(__clang__)
#define GODEFER_INLINE_BODY __attribute__((always_inline))
#else
#define GODEFER_INLINE_BODY
#endif

namespace godefer::detail {

// The frame of a run() call, without a cleanup of its own: run releases the frame's storage itself
// on every way out (the normal return, and unwind_caught for what was caught), so an exception
// going through run finds no cleanup to land on in run's code, and the C++ runtime reads fewer
// entries in the unwinding tables of run's caller at each frame a panic goes through.
class run_frame_holder {
  public:
    run_frame_holder() noexcept : f(run_frame_tag{}) {}
    run_frame_holder(const run_frame_holder&) = delete;
    run_frame_holder& operator=(const run_frame_holder&) = delete;
    // One definition for both builds (coverage tools merge a function by its line).
    ~run_frame_holder() {
#if !GODEFER_HAS_EXCEPTIONS
        // Calls deferred after the drain (by the destructor of the body's result): they run now.
        while (f.calls_.run_one()) {
        }
        f.calls_.release_storage();
        f.detach();
#endif
    }
    union {
        frame f;
    };
};

#if GODEFER_HAS_EXCEPTIONS
// Calls deferred on a run frame after its calls have run, by code that runs in run after the drain:
// the destructor of the body's result, or of a caught exception, through a pointer to the frame it
// kept. They run now, newest first, as a local frame's would (recover() stops nothing in them), and
// the storage is freed. A call that throws ends in std::terminate: this runs in a destructor or
// right after a handler, with nowhere for a second exception to go.
GODEFER_DETAIL_COLD inline void run_late_calls(call_stack& calls) noexcept {
    thread_context& context = this_thread_context();
    run_unwind* const saved = context.target;
    context.target = nullptr;
    while (calls.pending()) calls.run_one();
    context.target = saved;
    calls.release_storage();
}

// Declared before the body's result, so destroyed after it: runs the calls the result's
// destructor deferred (see run_late_calls). Only for a result with a destructor (late_calls_for
// gives a null pointer otherwise, no object at all: run's frame then keeps no cleanup for an
// exception going through it).
class late_calls_after_result {
  public:
    explicit late_calls_after_result(call_stack& c) noexcept : calls_(c) {}
    late_calls_after_result(const late_calls_after_result&) = delete;
    late_calls_after_result& operator=(const late_calls_after_result&) = delete;
    ~late_calls_after_result() {
        if (GODEFER_DETAIL_UNLIKELY(calls_.pending()))
            run_late_calls(calls_);
    }

  private:
    call_stack& calls_;
};

template <class Result>
GODEFER_DETAIL_ALWAYS_INLINE auto late_calls_for(call_stack& calls) noexcept {
    if constexpr (std::is_void_v<Result> || std::is_trivially_destructible_v<Result>) {
        (void)calls;
        return nullptr;
    } else {
        return late_calls_after_result(calls);
    }
}
#endif

template <class Body>
constexpr bool takes_frame_v = std::is_invocable_v<Body&, frame&>;

template <class Body, bool = takes_frame_v<Body>>
struct body_result {
    using type = std::invoke_result_t<Body&, frame&>;
};
template <class Body>
struct body_result<Body, false> {
    // void for a body that is not callable either way: run's static_assert then names the misuse.
    using type = typename std::conditional_t<std::is_invocable_v<Body&>, std::invoke_result<Body&>,
                                             std::enable_if<true>>::type;
};

// A body is a function object or a function (not a member pointer): called directly, so that an
// unoptimised build spends no stack on std::invoke's layers in each of thousands of nested frames.
template <class Body>
GODEFER_DETAIL_ALWAYS_INLINE decltype(auto) call_body(Body& body, frame& f) {
    if constexpr (std::is_member_pointer_v<Body>)
        return std::invoke(body, f);
    else if constexpr (takes_frame_v<Body>)
        return body(f);
    else
        return body();
}

}  // namespace godefer::detail

namespace godefer {

// Requires: body is invocable as body(frame&) or body(); its result is void or an object type
// that is default-constructible (the value returned after a recovered panic).
// Returns: the body's result (see above). Throws: an unrecovered panic, goexit_signal.
template <class Body>
GODEFER_DETAIL_ALWAYS_INLINE auto run(Body&& body) ->
    typename detail::body_result<std::decay_t<Body>>::type {
    using B = std::decay_t<Body>;
    static_assert(detail::takes_frame_v<B> || std::is_invocable_v<B&>,
                  "godefer::run: the body must be callable as body(godefer::frame&) or body(); "
                  "change its parameters.");
    using R = typename detail::body_result<B>::type;
    static_assert(!std::is_reference_v<R>,
                  "godefer::run: the body cannot return a reference, since run returns a "
                  "value-initialised result after a recovered panic; return a pointer, "
                  "std::reference_wrapper or std::optional instead.");
    static_assert(std::is_void_v<R> || std::is_default_constructible_v<R>,
                  "godefer::run: the body's result type must be default-constructible, since "
                  "run returns a value-initialised result after a recovered panic; return "
                  "std::optional<T> instead.");

    detail::run_frame_holder holder;
    frame& f = holder.f;
    detail::call_stack& calls = detail::frame_access::calls(f);
#if GODEFER_HAS_EXCEPTIONS
    // What the thread's context says at entry: recover()'s target (the body inherits it; the
    // calls of a normal return must not see it) and the epoch of escapes (see unwind.hpp).
    detail::thread_context& context = detail::this_thread_context();  // one lookup in a .so
    detail::run_unwind* const outer_target = context.target;
    const unsigned long entry_epoch = context.epoch;
    [[maybe_unused]] const auto late = detail::late_calls_for<R>(calls);
    [[maybe_unused]] std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> result{};
    // One try block for the body and, once it has returned, for its deferred calls: nothing on
    // the normal path but the calls themselves. The handler rethrows with `throw;` from this frame,
    // so an unrecovered panic goes on with no more unwinding work than a hand-written
    // catch (...) { throw; }: one clause that matches any type (the exception is sorted out of
    // line) and one call: the fewer call sites and clauses run has, the less the C++ runtime reads
    // in its tables at each frame.
    bool returned = false;
    try {
        if constexpr (std::is_void_v<R>)
            detail::call_body(body, f);
        else
            result.emplace(detail::call_body(body, f));
        returned = true;
        if (calls.pending()) {
            // A frame returning normally is not panicking: its calls recover nothing. The target
            // is cleared with a constant and put back only when it was set: storing back the
            // value loaded at entry would chain every run of a loop to the previous one through
            // the store buffer (load, store, next frame's load).
            context.target = nullptr;
            calls.run_all<false>();
            if (GODEFER_DETAIL_UNLIKELY(outer_target != nullptr))
                context.target = outer_target;
        }
        // Heap chunks, if any, are freed once. Also when nothing is pending: a defer whose copy
        // threw after its chunk was allocated leaves one, and the body may have caught that.
        calls.release_storage();
    } catch (...) {  // a panic, goexit, a foreign C++ exception, a cancellation: sorted out of line
        // unwind_caught frees the frame's storage whatever it does.
        if (!detail::unwind_caught(calls, entry_epoch, outer_target))
            throw;
        goto recovered;  // leaving the handler destroys the caught exception
    }
    // A normal return: the body's result. (Kept apart from the recovered path below, so that its
    // check is not on this one.)
    if constexpr (!std::is_void_v<R>)
        return std::move(*result);
    else
        return;
recovered:
    // Calls the caught exception's destructor deferred run now.
    if (GODEFER_DETAIL_UNLIKELY(calls.pending()))
        detail::run_late_calls(calls);
    // The body's result if it had returned before the panic started (a call threw during the
    // return), else Go's zero value.
    if constexpr (!std::is_void_v<R>)
        return returned ? std::move(*result) : R{};
#else
    if constexpr (std::is_void_v<R>) {
        detail::call_body(body, f);
        while (calls.run_one()) {
        }
    } else {
        R result = detail::call_body(body, f);
        while (calls.run_one()) {
        }
        return result;
    }
#endif
}

}  // namespace godefer

#endif  // GODEFER_RUN_HPP
