// godefer/panic.hpp: panic, recover and goexit, and the types they use.
//
//   int parse_port(const std::string& s) {
//       return godefer::run([&](godefer::frame& f) {
//           f.defer([] {
//               if (auto r = godefer::recover())            // stops the panic; run returns 0
//                   std::cerr << "bad port: " << r.message() << '\n';
//           });
//           int p = std::stoi(s);                           // a C++ exception is a panic too
//           if (p <= 0 || p > 65535) godefer::panic("out of range");
//           return p;                                       // normal return: the call runs, r
//           empty
//       });
//   }
//
// recover() stops the panic of the innermost run frame, when that frame is running its deferred
// calls because of a panic; it works from the deferred call and from any plain function it calls
// (Go demands a direct call: see docs/go-differences.md). goexit() unwinds to the thread of work's
// boundary (godefer::go / godefer::main), running every deferred call on the way.
//
// The types (reference: docs/go.md):
//   panic_value      what recover() returns: empty, or the panic it stopped (value, message,
//                    site, stack, identity, repanic()).
//   panic_site       where a panic was raised: file, line, function.
//   panic_error      what an unrecovered godefer::panic leaves run() as (a std::exception).
//   nil_panic_error  the value of panic(nullptr): "panic called with nil argument".
//   defer_error      the value of the panic raised when a null callable is deferred.
//   goexit_signal    what goexit() throws; not a std::exception. A catch (...) must rethrow it.
//   panic_hook       what set_panic_hook() installs: called once per panic at its site.
// The last four are defined in detail/ headers, because run's machinery throws and catches them.
#ifndef GODEFER_PANIC_HPP
#define GODEFER_PANIC_HPP

#include <exception>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include <godefer/detail/config.hpp>
#include <godefer/detail/exceptions.hpp>
#include <godefer/detail/panic_hook.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/panic_site.hpp>
#include <godefer/detail/raise.hpp>
#include <godefer/detail/report.hpp>
#include <godefer/detail/thread_state.hpp>

namespace godefer {

// What recover() returns: empty, or the panic it stopped.
//
//   if (auto r = godefer::recover()) {               // empty when not panicking
//       if (const auto* e = r.get_if<std::exception>()) log(e->what());
//       std::cerr << "recovered: " << r.message()     // "42", "boom", what(), ...
//                 << " at " << r.site().file << ':' << r.site().line << '\n';
//       if (!handled) r.repanic();                  // Go's panic(r): same value
//   }
class panic_value {
  public:
    panic_value() noexcept = default;
    explicit panic_value(std::shared_ptr<detail::panic_record> r,
                         std::exception_ptr carrier = nullptr) noexcept
        : rec_(std::move(r)), carrier_(std::move(carrier)) {}

    explicit operator bool() const noexcept { return rec_ != nullptr; }
    bool has_value() const noexcept { return rec_ != nullptr; }

    // The value if it is a T or has T as a public base (like a catch clause), for values passed to
    // panic() and foreign exceptions alike; null otherwise. Base matching applies to class types;
    // other types match exactly.
    template <class T>
    const T* get_if() const noexcept {
        using U = std::remove_cv_t<T>;
        if (!rec_)
            return nullptr;
        const detail::panic_record& o = rec_->origin();
#if GODEFER_HAS_EXCEPTIONS
        if (std::exception_ptr ep = o.foreign()) {
            try {
                std::rethrow_exception(ep);
            } catch (const U& u) {
                return std::addressof(u);
            } catch (...) {
                return nullptr;
            }
        }
#endif
        const std::type_info* u = detail::type_info_of<U>();
        if (const std::type_info* t = o.value_type(); t != nullptr && u != nullptr && *t == *u)
            return static_cast<const U*>(o.value_address());
#if GODEFER_HAS_EXCEPTIONS
        if constexpr (std::is_class_v<U>) {
            try {
                o.throw_value_pointer();
            } catch (const U* p) {
                return p;
            } catch (...) {
            }
        }
#endif
        return nullptr;
    }

    // The dynamic type of the value (of the exception, for a foreign one); typeid(void) if unknown
    // (with -fno-rtti and without exceptions, a type_info named "unknown type").
    const std::type_info& type() const noexcept {
        const std::type_info* t = rec_ ? rec_->value_type() : nullptr;
#if GODEFER_HAS_RTTI
        return t != nullptr ? *t : typeid(void);
#else
        if (t == nullptr)
            t = detail::type_info_of<void>();
        return t != nullptr ? *t : detail::unknown_type_info();
#endif
    }

    // The value as text: strings as they are, numbers, bool, enums as numbers, what(),
    // error_code::message(), operator<<, else the type name. Empty string when empty.
    std::string message() const {
        return rec_ ? rec_->message() : std::string();
    }

    // The exception that carries the panic: the foreign exception itself, or the
    // godefer::panic_error object that was thrown (the same one before and after a repanic()).
    std::exception_ptr exception() const;

    // Go's panic(r): panics again with the same value, thrown as the same exception object (same
    // identity); a new panic on the chain. On an empty value it panics with nil_panic_error.
    [[noreturn]] void repanic(panic_site site = panic_site::current()) const;

    // Where the panic was raised (unknown for a foreign exception).
    panic_site site() const noexcept {
        return rec_ ? rec_->site : panic_site{};
    }

    // The stack trace captured at the panic site, one frame a line; empty when not captured.
    std::string stacktrace() const {
        return rec_ ? rec_->trace.format() : std::string();
    }

    // The Go-style report of this panic as a crash prints it: the panic lines (oldest first,
    // " [recovered]" after a recovered one), the thread line, and the stack resolved to
    // function and file:line. Empty when empty. Throws: std::bad_alloc.
    std::string report() const {
        return rec_ ? detail::report_text(*rec_) : std::string();
    }

    // Whether recover() stopped this panic.
    bool recovered() const noexcept {
        return rec_ && rec_->recovered;
    }

    // The panic this one aborted (it left a deferred call that the older panic had started), or
    // an empty value. A panic still in flight under this one (this one was raised inside a
    // deferred call and has not left it) is not aborted.
    panic_value aborted() const noexcept {
        if (!rec_)
            return {};
        auto p = rec_->older;
        while (p && p->is_goexit() && p->aborted) p = p->older;
        if (!p || !p->aborted || p->is_goexit())
            return {};
        return panic_value(std::move(p));
    }

    const std::shared_ptr<detail::panic_record>& record() const noexcept {
        return rec_;
    }

    friend std::ostream& operator<<(std::ostream& os, const panic_value& v) {
        return os << (v ? v.message() : std::string("<nil>"));
    }

  private:
    std::shared_ptr<detail::panic_record> rec_;
    std::exception_ptr carrier_;  // the exception object, when recover() knew it
};

// Panics with `value`: unwinds to the nearest run frame that recovers, running deferred calls on
// the way. Strings (literals, const char*, string_view) are stored as std::string; nullptr (and a
// null const char*) as nil_panic_error. Records the site and, when enabled, the stack.
// Throws: godefer::panic_error (std::bad_alloc if the record cannot be allocated).
template <class T>
[[noreturn]] GODEFER_DETAIL_ALWAYS_INLINE void panic(T&& value,
                                                     panic_site site = panic_site::current()) {
    using V = detail::stored_value_t<T>;
    static_assert(std::is_copy_constructible_v<V>,
                  "godefer::panic: the value must be copyable, since recover() hands out copies "
                  "and repanic() raises it again; wrap a move-only value in a std::shared_ptr.");
#if GODEFER_HAS_EXCEPTIONS
    // Thrown here rather than in a helper: each frame between a throw and its handler costs the
    // unwinder about as much as the throw itself (two walks over the frame: search, then cleanup).
    // The record is made by panic_error's constructor, out of line: no temporary here.
    throw panic_error(detail::raise_tag<V>{}, std::forward<T>(value), site);
#else
    detail::raise(detail::new_panic_record<V>(std::forward<T>(value), site));
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
    if (u == nullptr || !u->reason || u->reason->is_goexit() || u->reason->recovered)
        return {};
    u->reason->recovered = true;
    // The panic is over: godefer keeps nothing of it (its memory may belong to a library that
    // is unloaded later).
    std::weak_ptr<detail::panic_record>& last = detail::this_thread_state().last_raised;
    if (!last.owner_before(u->reason) && !u->reason.owner_before(last))
        last.reset();
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

// The process-wide panic hook: called as hook(value) once per panic, on the panicking thread, at
// the panic site, before any deferred call runs — for godefer::panic, repanic(), and a foreign
// C++ exception when it first enters a run frame; never for goexit. Rust's std::panic::set_hook.
using panic_hook = std::function<void(const panic_value&)>;

// Installs `hook` (an empty one removes it) and returns the previous hook (empty if none).
// Thread-safe, also while other threads panic (a panic already calling the old hook finishes
// with it). A panic raised while the hook runs does not call the hook again; whatever the hook
// throws is dropped with a line on stderr, and the panic goes on unchanged.
inline panic_hook set_panic_hook(panic_hook hook) {
    std::shared_ptr<const void> next;
    if (hook)
        next = std::make_shared<const panic_hook>(std::move(hook));
    std::shared_ptr<const void> old = detail::exchange_panic_hook(
        std::move(next), [](const void* h, const std::shared_ptr<detail::panic_record>& r) {
            (*static_cast<const panic_hook*>(h))(panic_value(r));
        });
    return old ? *static_cast<const panic_hook*>(old.get()) : panic_hook();
}

// Removes the panic hook and returns it (empty if none).
inline panic_hook take_panic_hook() {
    return set_panic_hook(panic_hook());
}

// The panic as it stands on this thread: the entry of the raise that left the last run frame (with
// its chain), when this object is the one that left; otherwise its own record.
inline panic_value panic_error::value() const noexcept {
#if GODEFER_HAS_EXCEPTIONS
    const detail::handoff& h = detail::this_thread_state().pass;
    if (h.object == static_cast<const void*>(this) && h.entry &&
        &h.entry->origin() == &rec_->origin())
        return panic_value(h.entry);
#endif
    return panic_value(rec_);
}

inline std::exception_ptr panic_value::exception() const {
    if (!rec_)
        return nullptr;
    if (carrier_)
        return carrier_;
    if (std::exception_ptr ep = rec_->foreign())
        return ep;
#if GODEFER_HAS_EXCEPTIONS
    return std::make_exception_ptr(panic_error(rec_));
#else
    return nullptr;
#endif
}

// Out of line: the stack is captured from the call of repanic() (its return address).
GODEFER_DETAIL_NOINLINE inline void panic_value::repanic(panic_site site) const {
    if (!rec_)
        panic(nullptr, site);
#if GODEFER_HAS_EXCEPTIONS
    // The same exception object goes on, standing for a new panic: its new entry is named by the
    // thread's handoff (the object itself is never changed: other threads may hold it too).
    std::exception_ptr ep = exception();
    std::shared_ptr<detail::panic_record> r;
    if (std::exception_ptr f = rec_->foreign()) {
        r = std::make_shared<detail::foreign_record>(std::move(f));
        r->site = site;
        r->trace.capture(__builtin_return_address(0));
    } else {
        r = detail::reraise(rec_, site, __builtin_return_address(0));
    }
    detail::run_panic_hook(r);
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
    std::shared_ptr<detail::panic_record> r =
        detail::reraise(rec_, site, __builtin_return_address(0));
    detail::run_panic_hook(r);
    detail::raise(std::move(r));
#endif
}

}  // namespace godefer

#endif  // GODEFER_PANIC_HPP
