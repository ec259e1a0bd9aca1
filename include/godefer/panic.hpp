// godefer/panic.hpp: panic, recover and goexit.
//
//   int parse_port(const std::string& s) {
//       return godefer::run([&](godefer::frame& f) {
//           f.defer([] {
//               if (auto r = godefer::recover())            // stops the panic; run returns 0
//                   std::cerr << "bad port: " << r.message() << '\n';
//           });
//           int p = std::stoi(s);                           // a C++ exception is a panic too
//           if (p <= 0 || p > 65535) godefer::panic("out of range");
//           return p;                                       // normal return: the call runs, r empty
//       });
//   }
//
// recover() stops the panic of the innermost run frame, when that frame is running its deferred
// calls because of a panic; it works from the deferred call and from any plain function it calls
// (Go demands a direct call: see docs/go-differences.md). goexit() unwinds to the thread of work's
// boundary (godefer::go / godefer::main), running every deferred call on the way.
#ifndef GODEFER_PANIC_HPP
#define GODEFER_PANIC_HPP

#include <godefer/detail/call_stack.hpp>
#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/report.hpp>
#include <godefer/detail/thread_state.hpp>
#include <godefer/errors.hpp>
#include <godefer/panic_site.hpp>
#include <godefer/panic_value.hpp>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace godefer {

namespace detail {

// What a panic(value) stores: strings as std::string, nullptr as nil_panic_error.
template <class T, class D = std::decay_t<T>>
using stored_value_t = std::conditional_t<
    std::is_same_v<D, std::nullptr_t>, nil_panic_error,
    std::conditional_t<std::is_same_v<D, const char*> || std::is_same_v<D, char*> ||
                           std::is_same_v<D, std::string_view>,
                       std::string, D>>;

#if !GODEFER_HAS_EXCEPTIONS
// Without exceptions: run the pending calls of every frame of the thread, innermost first, then
// print the report and abort. recover() is empty there. A call that panics while they run enters
// here again: the panic being handled goes below the new one on the chain (the report lists
// both, oldest first, as Go's does) and the calls still pending run; none runs twice, since a
// call is taken off its stack before it runs.
[[noreturn]] GODEFER_DETAIL_COLD inline void die_without_exceptions(std::shared_ptr<panic_record> r) noexcept {
    std::shared_ptr<panic_record>& dying = this_thread_state().dying;
    if (dying && !r->older) {
        if (!dying->is_goexit() && !dying->recovered) dying->aborted = true;
        r->older = std::move(dying);
    }
    dying = r;
    for (frame_link* l = t_innermost_frame; l != nullptr; l = l->outer)
        while (l->calls->run_one()) {
        }
    const panic_record* top = r.get();
    while (top != nullptr && top->is_goexit()) top = top->older.get();
    if (top == nullptr) {
        std::fflush(stdout);
        std::fputs("fatal error: godefer::goexit needs C++ exceptions to unwind\n", stderr);
        std::fflush(stderr);
    } else {
        print_report(*r);
    }
    std::abort();
}
#endif

// Raises the panic or goexit r: throws it, or without exceptions runs the thread's pending calls,
// reports and aborts.
[[noreturn]] inline void raise(std::shared_ptr<panic_record> r) {
#if GODEFER_HAS_EXCEPTIONS
    if (r->is_goexit()) throw goexit_signal(std::move(r));
    this_thread_state().note_raised(r);
    throw panic_error(std::move(r));
#else
    die_without_exceptions(std::move(r));
#endif
}

template <class V, class T>
std::shared_ptr<panic_record> make_panic_record(T&& value, panic_site site) {
    std::shared_ptr<panic_record> r;
    if constexpr (std::is_same_v<std::decay_t<T>, std::nullptr_t>) {
        r = std::make_shared<value_record<nil_panic_error>>(site, nil_panic_error{});
    } else if constexpr (std::is_array_v<std::remove_reference_t<T>>) {
        r = std::make_shared<value_record<V>>(site, V(value));
    } else if constexpr (std::is_pointer_v<std::decay_t<T>> && std::is_same_v<V, std::string>) {
        if (value == nullptr)
            r = std::make_shared<value_record<nil_panic_error>>(site, nil_panic_error{});
        else
            r = std::make_shared<value_record<std::string>>(site, std::string(value));
    } else {
        r = std::make_shared<value_record<V>>(site, std::forward<T>(value));
    }
    r->trace.capture();
    return r;
}

#if GODEFER_HAS_EXCEPTIONS
// The record of panic(value), noted as the thread's last raised panic. Out of line, so that the
// throw itself stays at the panic site: the unwinder then walks no godefer frame at all.
template <class V, class T>
GODEFER_DETAIL_NOINLINE std::shared_ptr<panic_record> new_panic_record(T&& value, panic_site site) {
    std::shared_ptr<panic_record> r = make_panic_record<V>(std::forward<T>(value), site);
    this_thread_state().note_raised(r);
    return r;
}
#endif

}  // namespace detail

// Panics with `value`: unwinds to the nearest run frame that recovers, running deferred calls on
// the way. Strings (literals, const char*, string_view) are stored as std::string; nullptr (and a
// null const char*) as nil_panic_error. Records the site and, when enabled, the stack.
// Throws: godefer::panic_error (std::bad_alloc if the record cannot be allocated).
template <class T>
[[noreturn]] GODEFER_DETAIL_ALWAYS_INLINE void panic(T&& value, panic_site site = panic_site::current()) {
    using V = detail::stored_value_t<T>;
    static_assert(std::is_copy_constructible_v<V>,
                  "godefer::panic needs a copyable value: recover() hands out copies and "
                  "repanic() re-raises it. Wrap a move-only value in a std::shared_ptr.");
    static_assert(!std::is_reference_v<V> && !std::is_array_v<V>,
                  "godefer::panic stores its value; pass an object, not a reference or array.");
#if GODEFER_HAS_EXCEPTIONS
    // Thrown here rather than in a helper: each frame between a throw and its handler costs the
    // unwinder about as much as the throw itself (two walks over the frame: search, then cleanup).
    throw panic_error(detail::new_panic_record<V>(std::forward<T>(value), site));
#else
    detail::raise(detail::make_panic_record<V>(std::forward<T>(value), site));
#endif
}

// Returns the current panic and stops it, when called on the panicking thread while a deferred
// call of a panicking run frame runs, or any function that call calls, including the body of a
// run frame it starts. Returns an empty value otherwise: not panicking, another thread, a second
// call, a goexit unwinding, code running as a deferred call of a frame that is not itself
// panicking (a run frame returning normally, or any local frame).
inline panic_value recover() noexcept {
#if GODEFER_HAS_EXCEPTIONS
    detail::run_unwind* u = detail::t_context.target;
    if (u == nullptr || !u->reason || u->reason->is_goexit() || u->reason->recovered) return {};
    u->reason->recovered = true;
    // The panic is over: godefer keeps nothing of it (its memory may belong to a library that
    // is unloaded later).
    std::weak_ptr<detail::panic_record>& last = detail::this_thread_state().last_raised;
    if (!last.owner_before(u->reason) && !u->reason.owner_before(last)) last.reset();
    return panic_value(u->reason, u->carrier);
#else
    return {};
#endif
}

// Go's runtime.Goexit: ends the current thread of work (a godefer::go task or godefer::main)
// after running every deferred call on the way; invisible to recover(). Throws goexit_signal.
[[noreturn]] inline void goexit() {
    detail::raise(std::make_shared<detail::panic_record>(detail::record_kind::goexit));
}

// Switches the capture of a stack trace at each panic for the whole program (thread-safe).
// Returns the previous setting. On by default.
inline bool set_stacktrace_capture(bool on) noexcept {
    return detail::g_capture_stacktrace.exchange(on);
}

inline bool stacktrace_capture() noexcept {
    return detail::g_capture_stacktrace.load(std::memory_order_relaxed);
}

inline void panic_value::repanic(panic_site site) const {
    if (!rec_) panic(nullptr, site);
#if GODEFER_HAS_EXCEPTIONS
    // The same exception object goes on, standing for a new panic: its new entry is named by the
    // thread's handoff (the object itself is never changed: other threads may hold it too).
    std::exception_ptr ep = exception();
    std::shared_ptr<detail::panic_record> r;
    if (std::exception_ptr f = rec_->foreign()) {
        r = std::make_shared<detail::foreign_record>(std::move(f));
        r->site = site;
        r->trace.capture();
    } else {
        r = detail::reraise(rec_, site);
    }
    detail::thread_state& ts = detail::this_thread_state();
    ts.note_raised(r);
    ts.pass.clear();
    if (!ts.reaped) {  // at thread teardown the next frame makes a new entry instead
        ts.pass.what = detail::handoff::kind::fresh;
        ts.pass.object = detail::exception_object(ep);
        ts.pass.entry = std::move(r);
    }
    std::rethrow_exception(std::move(ep));
#else
    detail::raise(detail::reraise(rec_, site));
#endif
}

}  // namespace godefer

#endif  // GODEFER_PANIC_HPP
