// godefer/detail/unwind.hpp: Go's state machine for a run frame's deferred calls.
//
// drain() runs the pending calls newest first with `s.reason` saying why the frame is being left:
//   - a call that returns after recover() stopped the reason: the recovered panic is dropped with
//     the panics it aborted; a goexit under it resumes (R23), otherwise the frame returns (R14);
//   - a call that panics or throws: the new panic replaces the reason, which stays below it on
//     the chain (R16-R18, R21); a call that calls goexit() cancels a panic the same way (R25);
//   - the remaining calls always run; nothing here calls std::terminate.
#ifndef GODEFER_DETAIL_UNWIND_HPP
#define GODEFER_DETAIL_UNWIND_HPP

#include <godefer/detail/call_stack.hpp>
#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/report.hpp>
#include <godefer/detail/thread_state.hpp>
#include <godefer/errors.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>
#include <utility>

#if GODEFER_HAS_EXCEPTIONS && GODEFER_HAS_CXXABI && defined(__GLIBCXX__)
#include <cxxabi.h>
#define GODEFER_HAS_FORCED_UNWIND 1
#else
#define GODEFER_HAS_FORCED_UNWIND 0
#endif

namespace godefer::detail {

#if GODEFER_HAS_EXCEPTIONS

// The record of a foreign exception caught by a run frame: the one it had when it left an inner
// frame, the same one if it is an older panic rethrown, or a new one.
inline std::shared_ptr<panic_record> foreign_record_for(const std::exception_ptr& ep,
                                                        const std::shared_ptr<panic_record>& reason) {
    thread_state& ts = this_thread_state();
    if (ts.escaped && ts.escaped->foreign() == ep) return std::move(ts.escaped);
    for (auto p = reason; p; p = p->older)
        if (p->foreign() == ep) return p;
    return std::make_shared<foreign_record>(ep);
}

// The new panic `rec` replaces the reason of s.
inline void replace_reason(run_unwind& s, std::shared_ptr<panic_record> rec) {
    if (s.reason) {
        // The same panic thrown again (e.g. rethrow_exception(r.exception())): a re-raise.
        if (s.reason->chain_contains(rec.get())) rec = reraise(rec, {});
        link_below(*rec, std::move(s.reason));
    }
    s.reason = std::move(rec);
}

// After a recovered panic: the goexit it may have interrupted resumes (R23); else nothing is left.
inline std::shared_ptr<panic_record> after_recovery(const panic_record& recovered) noexcept {
    std::shared_ptr<panic_record> p = recovered.older;
    while (p && !p->is_goexit()) p = p->older;
    return p;
}

[[noreturn]] GODEFER_COLD inline void die_during_cancellation(std::exception_ptr ep) noexcept {
    std::shared_ptr<panic_record> rec;
    try {
        std::rethrow_exception(ep);
    } catch (const panic_error& e) {
        rec = e.record();
    } catch (...) {
        rec = std::make_shared<foreign_record>(ep);
    }
    print_report(*rec);
    std::fputs("fatal error: a deferred call panicked during thread cancellation\n", stderr);
    std::_Exit(2);
}

// Thread cancellation (abi::__forced_unwind) passes like a goexit: the calls run, none can stop
// it, and one that panics ends the process (the cancellation cannot be left half done).
inline void drain_cancelled(call_stack& calls) noexcept {
    while (calls.pending()) {
        try {
            calls.run_one();
        } catch (const goexit_signal&) {
            // A goexit inside a cancellation: the cancellation goes on.
        } catch (...) {
            die_during_cancellation(std::current_exception());
        }
    }
}

// Runs the pending calls with Go's rules, one at a time (the frame is panicking, or a call threw).
inline void drain(call_stack& calls, run_unwind& s) {
    s.draining = true;
    while (calls.pending()) {
        try {
            calls.run_one();
            if (s.reason && s.reason->recovered) s.reason = after_recovery(*s.reason);
        } catch (const panic_error& e) {
            replace_reason(s, e.record());
        } catch (const goexit_signal& g) {
            replace_reason(s, g.record());
        }
#if GODEFER_HAS_FORCED_UNWIND
        catch (abi::__forced_unwind&) {
            s.draining = false;
            drain_cancelled(calls);
            throw;
        }
#endif
        catch (...) {
            replace_reason(s, foreign_record_for(std::current_exception(), s.reason));
        }
    }
    s.draining = false;
}

// Throws what s.reason says is still unwinding.
[[noreturn]] inline void leave(run_unwind& s) {
    std::shared_ptr<panic_record> r = std::move(s.reason);
    if (r->is_goexit()) throw goexit_signal(std::move(r));
    if (std::exception_ptr ep = r->foreign()) {
        this_thread_state().escaped = std::move(r);
        std::rethrow_exception(ep);
    }
    throw panic_error(std::move(r));
}

// Called inside run's handler for the exception that left the body, or that a deferred call
// threw once the body had returned (R21: it starts a panic the same way), carried by `rec`. Runs
// the (remaining) calls with Go's rules. Returns true if the panic was recovered (run returns),
// false if the same exception goes on (the handler rethrows it with `throw;`); throws the panic
// or goexit that replaced it.
GODEFER_NOINLINE inline bool unwind_handled(call_stack& calls, run_scope& scope,
                                            const std::shared_ptr<panic_record>& rec,
                                            bool caught_as_foreign = false) {
    run_unwind s(scope);
    const panic_record* original = rec.get();
    s.reason = rec;
    drain(calls, s);
    if (!s.reason) return true;
    if (s.reason.get() == original && (caught_as_foreign || !original->foreign())) {
        if (caught_as_foreign) this_thread_state().escaped = std::move(s.reason);
        return false;
    }
    leave(s);
}

// The same for what run's catch (...) caught: goexit's signal, a foreign C++ exception, or an
// exception that is not C++'s: a thread cancellation (abi::__forced_unwind) passes through like
// a goexit (the calls run, nothing can stop it; the handler rethrows it).
GODEFER_NOINLINE inline bool unwind_other(call_stack& calls, run_scope& scope) {
    std::exception_ptr ep = std::current_exception();
    if (!ep) {  // not a C++ exception (libstdc++ gives no exception_ptr for those)
        drain_cancelled(calls);
        return false;
    }
    std::shared_ptr<panic_record> goexit;
#if defined(__GLIBCXX__)
    const std::type_info* type = ep.__cxa_exception_type();
    if (type != nullptr && *type == typeid(goexit_signal))
#endif
    {
        try {
            std::rethrow_exception(ep);
        } catch (const goexit_signal& g) {
            goexit = g.record();
        } catch (...) {
        }
    }
    if (goexit) return unwind_handled(calls, scope, goexit);
    return unwind_handled(calls, scope, foreign_record_for(ep, nullptr), true);
}

#endif  // GODEFER_HAS_EXCEPTIONS

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_UNWIND_HPP
