// godefer/detail/unwind.hpp: Go's state machine for a run frame's deferred calls.
//
// When an exception leaves the body of a run frame (or a call it runs during a normal return),
// the frame catches it and finds the chain entry it stands for (adopt_*):
//   - the same panic going on from an inner run frame (the handoff that frame left);
//   - the exception of a repanic() (the handoff names its new entry);
//   - otherwise a new raise: a fresh godefer::panic's own record, or a new entry for an exception
//     seen before (thrown again after a recover or a catch) or a foreign exception. A new entry
//     is linked above the thread's newest panic in flight (chain_top()).
// drain() then runs the pending calls newest first with `s.reason` saying why the frame is left:
//   - a call that returns after recover() stopped the reason: the recovered panic is dropped with
//     the aborted panics under it; an aborted goexit among them resumes, otherwise the frame
//     returns;
//   - a call that panics or throws: the new panic becomes the reason and the old one is marked
//     aborted (it stays on the chain, under the new one: O(1));
//   - the remaining calls always run; nothing here calls std::terminate.
// An exception that is still unrecovered at the end leaves the frame as the same object, with a
// handoff for the next frame.
#ifndef GODEFER_DETAIL_UNWIND_HPP
#define GODEFER_DETAIL_UNWIND_HPP

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>
#include <utility>

#include <godefer/detail/call_stack.hpp>
#include <godefer/detail/config.hpp>
#include <godefer/detail/exceptions.hpp>
#include <godefer/detail/panic_hook.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/report.hpp>
#include <godefer/detail/thread_state.hpp>

#if GODEFER_HAS_EXCEPTIONS && GODEFER_DETAIL_HAS_CXXABI && defined(__GLIBCXX__)
#include <cxxabi.h>
#define GODEFER_DETAIL_HAS_FORCED_UNWIND 1
#else
#define GODEFER_DETAIL_HAS_FORCED_UNWIND 0
#endif

namespace godefer::detail {

#if GODEFER_HAS_EXCEPTIONS

// Links a new entry above the thread's newest panic in flight.
inline std::shared_ptr<panic_record> link_new(std::shared_ptr<panic_record> e) noexcept {
    e->entered = true;
    e->older = chain_top();
    return e;
}

// A frame entered before the handoff's exception left its frame is the one that catches it next
// if it is still in flight; when such a frame catches something else, that exception was
// swallowed (or replaced by user code) and the handoff is stale. Frames entered later (in
// destructors run while the exception travels, for example) never touch an escape handoff.
inline bool handoff_expected_by(const handoff& h, unsigned long entry_epoch) noexcept {
    return h.what == handoff::kind::escape && entry_epoch < h.epoch;
}

// The entry of a godefer exception object (panic_error, goexit_signal) caught by a frame entered
// at `entry_epoch`. The object is never changed once thrown (other threads may hold it, through a
// panic_value): the entry of each raise travels in the thread's handoff.
template <class Carrier>
std::shared_ptr<panic_record> adopt_carried(const Carrier& c, unsigned long entry_epoch,
                                            const void* object) {
    handoff& h = this_thread_state().pass;
    const std::shared_ptr<panic_record>& rec = c.record();
    if (h.what == handoff::kind::fresh || handoff_expected_by(h, entry_epoch)) {
        // The entry names this object if it carries the same value (the object's own record keeps
        // that value alive, so a swallowed object's address reused by a new one cannot match).
        // `object` is the whole exception object's address, as the handoff keeps it: &c is that
        // of its Carrier part, elsewhere when a class derives from Carrier after another base.
        const bool same = h.object == object && h.entry && &h.entry->origin() == &rec->origin();
        const bool fresh = h.what == handoff::kind::fresh;
        std::shared_ptr<panic_record> e = std::move(h.entry);
        h.clear();
        if (same)
            return fresh ? link_new(std::move(e)) : e;  // a repanic(), or going on
    }
    // A new raise: the first one of a new panic or goexit, or the object thrown again (a stored
    // exception_ptr rethrown, `throw;` in a nested frame): a new panic, same value and identity.
    if (!rec->entered.exchange(true)) {
        rec->older = chain_top();
        return rec;
    }
    return link_new(rec->is_goexit() ? std::make_shared<panic_record>(record_kind::goexit)
                                     : reraise(rec, {}));
}

// The record of a foreign exception seen by a run frame for the first time: with the stack of its
// throw when the throw hook recorded one (godefer::throw_trace), after the panic hook saw it.
inline std::shared_ptr<panic_record> new_foreign_record(const std::exception_ptr& ep,
                                                        unsigned long entry_epoch) {
    std::shared_ptr<panic_record> r = std::make_shared<foreign_record>(ep);
    thread_state& ts = this_thread_state();
    const void* object = exception_object(ep);
    for (const thread_state::thrown_stack& t : ts.thrown) {
        if (t.object == object && object != nullptr) {
            r->trace = t.trace;  // kept: the next frame the exception reaches takes it too
            break;
        }
    }
    // The same exception leaving an inner run frame is the same panic going on.
    const bool going_on =
        object != nullptr && ts.foreign_escaped == object && entry_epoch < ts.foreign_escaped_epoch;
    ts.foreign_escaped = nullptr;
    if (!going_on)
        run_panic_hook(r);
    return r;
}

// The entry of a foreign C++ exception caught by a frame entered at `entry_epoch`.
inline std::shared_ptr<panic_record> adopt_foreign(const std::exception_ptr& ep,
                                                   unsigned long entry_epoch) {
    handoff& h = this_thread_state().pass;
    if (h.what == handoff::kind::fresh || handoff_expected_by(h, entry_epoch)) {
        // A foreign entry owns the exception it stands for, so that address cannot have been
        // reused (a godefer object's entry does not own it: never taken for a foreign one).
        const bool same = h.entry && h.object == exception_object(ep) &&
                          exception_object(h.entry->foreign()) == h.object;
        const bool fresh = h.what == handoff::kind::fresh;
        std::shared_ptr<panic_record> e = std::move(h.entry);
        h.clear();
        if (same)
            return fresh ? link_new(std::move(e)) : e;
    }
    return link_new(new_foreign_record(ep, entry_epoch));
}

// Leaves the handoff for the next frame that catches `ep`, which carries `r` unrecovered.
inline void hand_off(std::shared_ptr<panic_record> r, const std::exception_ptr& ep) noexcept {
    thread_state& ts = this_thread_state();
    handoff& h = ts.pass;
    h.clear();
    if (ts.reaped)
        return;  // thread teardown: keep nothing (the next frame makes a new entry)
    // A foreign exception's entry that links nothing but what a new entry made by the next frame
    // would link needs no handoff: a caller that swallows the exception then frees it at once.
    // Otherwise (it aborted panics) the handoff keeps the entry, and with it the exception (a
    // swallowed object's address reused by another must not be taken for it), until the next
    // frame catches an exception, a panic is raised outside any unwinding, or the thread ends.
    // A godefer object's entry always goes in the handoff (the object itself is never changed),
    // and so does an entry that names the thread of work that raised it (a group's failure).
    if (r->foreign() && r->older == chain_top() && r->thread == 0) {
        ts.foreign_escaped = exception_object(ep);
        ts.foreign_escaped_epoch = ++t_context.epoch;
        return;
    }
    h.entry = std::move(r);
    h.what = handoff::kind::escape;
    h.object = exception_object(ep);
    h.epoch = ++t_context.epoch;
}

// After a recovered panic: the aborted panics under it are dropped with it; an aborted goexit
// among them resumes (it no longer counts as aborted: a panic raised and recovered later inside
// a nested frame must not resume it a second time). Returns that goexit, or null (the frame
// returns normally).
inline std::shared_ptr<panic_record> after_recovery(const panic_record& recovered) noexcept {
    for (std::shared_ptr<panic_record> p = recovered.older; p && p->aborted; p = p->older)
        if (p->is_goexit()) {
            p->aborted = false;
            return p;
        }
    return nullptr;
}

// The new panic or goexit `e`, carried by `carrier`, leaves a call of s: it replaces the reason.
inline void replace_reason(run_unwind& s, std::shared_ptr<panic_record> e,
                           std::exception_ptr carrier, const void* carried) noexcept {
    if (s.reason && s.reason != e)
        s.reason->aborted = true;
    s.reason = std::move(e);
    s.carrier = std::move(carrier);
    s.carried = carried;
}

// Computes the message of every panic on the chain before anything is printed (Go's
// preprintpanics). When making one panicked or threw (an operator<< that throws), returns Go's
// line for that: "fatal error: panic while printing panic value: " and the string value of that
// panic, or "type " and its type (what() for a std::exception); otherwise an empty string.
// std::bad_alloc goes on (the report is then written unformatted).
inline std::string failed_message(const panic_record& newest) {
    for (const panic_record* p = &newest; p != nullptr; p = p->older.get()) {
        if (p->is_goexit())
            continue;
        std::string text;
        try {
            (void)p->message();
            continue;
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const panic_error& e) {
            const panic_record& o = e.record()->origin();
            const std::type_info* t = o.value_type();
            const std::type_info* s = type_info_of<std::string>();
            if (t != nullptr && s != nullptr && *t == *s)
                text = *static_cast<const std::string*>(o.value_address());
            else if (std::exception_ptr f = o.foreign())
                text = describe_exception(f);
            else
                text = "type " + (t != nullptr ? demangle(t->name()) : std::string("unknown"));
        } catch (...) {
            text = describe_exception(std::current_exception());
        }
        return "fatal error: panic while printing panic value: " + text + "\n";
    }
    return {};
}

// The Go-style report of the chain that ends in `newest` (see report.hpp).
inline void report_panic(const panic_record& newest) noexcept {
    std::string fatal;
    try {
        fatal = failed_message(newest);
    } catch (...) {
    }
    print_report(newest, fatal);
}

[[noreturn]] GODEFER_DETAIL_COLD inline void die_during_cancellation(
    std::exception_ptr ep) noexcept {
    std::shared_ptr<panic_record> rec;
    try {
        std::rethrow_exception(ep);
    } catch (const panic_error& e) {
        rec = e.record();
    } catch (...) {
        try {
            rec = std::make_shared<foreign_record>(ep);
        } catch (...) {  // out of memory: the report without the panic's text
        }
    }
    if (rec)
        report_panic(*rec);
    else
        write_report_unformatted(nullptr);
    std::fputs("fatal error: a deferred call panicked during thread cancellation\n", stderr);
    std::_Exit(2);
}

// Thread cancellation (abi::__forced_unwind) passes like a goexit: the calls run, none can stop
// it (recover() is empty in them), and one that panics ends the process (the cancellation cannot
// be left half done).
inline void drain_cancelled(call_stack& calls) noexcept {
    struct block_recover {
        run_unwind* saved = t_context.target;
        block_recover() noexcept { t_context.target = nullptr; }
        ~block_recover() { t_context.target = saved; }
    } block;
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

// Out of memory while making a panic's entry: the thread keeps one spare entry for that, made
// when a run frame starts handling a panic (cold path; a failure to make it is ignored).
inline void refill_spare() noexcept {
    thread_state& ts = this_thread_state();
    if (ts.spare || ts.reaped)
        return;
    try {
        ts.spare = std::make_shared<foreign_record>(nullptr);
    } catch (...) {
    }
}

// The entry that adopt() makes for the exception ep, or, if making it fails (out of memory), the
// spare entry standing for ep; null when there is no spare either.
template <class Adopt>
std::shared_ptr<panic_record> adopt_or_spare(Adopt&& adopt, const std::exception_ptr& ep) noexcept {
    try {
        return adopt();
    } catch (...) {
    }
    thread_state& ts = this_thread_state();
    std::shared_ptr<panic_record> e = std::move(ts.spare);
    if (!e)
        return nullptr;
    ++ts.spares_used;
    static_cast<foreign_record&>(*e).ep = ep;
    return link_new(std::move(e));
}

// Out of memory twice (no entry, no spare): the frame cannot record the panic `ep`. The remaining
// calls run (none can recover), and the last exception one of them threw, else ep, goes on.
[[noreturn]] GODEFER_DETAIL_COLD inline void drain_unrecorded(call_stack& calls,
                                                              std::exception_ptr ep) {
    run_unwind* const saved = t_context.target;
    t_context.target = nullptr;
    while (calls.pending()) {
        try {
            calls.run_one();
        } catch (...) {
            if (std::exception_ptr thrown = std::current_exception())
                ep = std::move(thrown);
        }
    }
    t_context.target = saved;
    std::rethrow_exception(std::move(ep));
}

// A call threw `ep`, whose entry is `e` (carried by the godefer object `carried`, if any).
inline void replace_reason_checked(call_stack& calls, run_unwind& s,
                                   std::shared_ptr<panic_record> e, const std::exception_ptr& ep,
                                   const void* carried) {
    if (e) {
        // A spare entry is a foreign record: the godefer object keeps its own entry then.
        const void* keeps = e->foreign() ? nullptr : carried;
        replace_reason(s, std::move(e), ep, keeps);
        return;
    }
    drain_unrecorded(calls, ep);
}

// Runs the pending calls with Go's rules, one at a time (the frame is panicking, or a call threw).
inline void drain(call_stack& calls, run_unwind& s) {
    while (calls.pending()) {
        s.context.target = &s;
        try {
            calls.run_one();
            if (s.reason && s.reason->recovered) {
                s.reason = after_recovery(*s.reason);
                s.carrier = nullptr;
                s.carried = nullptr;
            }
        } catch (const panic_error& e) {
            std::exception_ptr ep = std::current_exception();
            replace_reason_checked(
                calls, s,
                adopt_or_spare(
                    [&] { return adopt_carried(e, s.entry_epoch, exception_object(ep)); }, ep),
                ep, &e);
        } catch (const goexit_signal& g) {
            std::exception_ptr ep = std::current_exception();
            replace_reason_checked(
                calls, s,
                adopt_or_spare(
                    [&] { return adopt_carried(g, s.entry_epoch, exception_object(ep)); }, ep),
                ep, &g);
        }
#if GODEFER_DETAIL_HAS_FORCED_UNWIND
        catch (abi::__forced_unwind&) {
            drain_cancelled(calls);
            throw;
        }
#endif
        catch (...) {
            std::exception_ptr ep = std::current_exception();
            replace_reason_checked(
                calls, s, adopt_or_spare([&] { return adopt_foreign(ep, s.entry_epoch); }, ep), ep,
                nullptr);
        }
    }
}

// Throws what s.reason says is still unwinding, as the exception that carries it.
[[noreturn]] inline void leave(run_unwind& s) {
    std::shared_ptr<panic_record> r = std::move(s.reason);
    std::exception_ptr ep = std::move(s.carrier);
    if (!ep) {
        if (r->is_goexit())
            ep = std::make_exception_ptr(goexit_signal(r));
        else if (std::exception_ptr f = r->foreign())
            ep = std::move(f);
        else
            ep = std::make_exception_ptr(panic_error(r));
    }
    hand_off(std::move(r), ep);
    std::rethrow_exception(std::move(ep));
}

// Called inside run's handler for the godefer exception `c` (panic_error or goexit_signal) that
// left the body, or that a deferred call threw once the body had returned. Runs the (remaining)
// calls with Go's rules. Returns true if the panic was recovered (run returns), false if the same
// exception goes on unchanged (the handler rethrows it with `throw;`); throws what replaced it.
// `ep` is the exception being handled (std::current_exception(), taken once by the caller).
template <class Carrier>
GODEFER_DETAIL_NOINLINE bool unwind_carried(call_stack& calls, const Carrier& c,
                                            std::exception_ptr ep, unsigned long entry_epoch,
                                            run_unwind* outer_target) {
    run_unwind s(entry_epoch, outer_target);
    refill_spare();
    s.reason =
        adopt_or_spare([&] { return adopt_carried(c, entry_epoch, exception_object(ep)); }, ep);
    if (!s.reason)
        drain_unrecorded(calls, ep);  // out of memory twice: see drain_unrecorded
    s.carrier = std::move(ep);
    s.carried = s.reason->foreign() ? nullptr : static_cast<const void*>(&c);
    drain(calls, s);
    if (!s.reason)
        return true;
    if (s.carried == static_cast<const void*>(&c)) {
        hand_off(std::move(s.reason), s.carrier);
        return false;
    }
    leave(s);
}

// Tells what run's catch (...) caught without throwing it again where the C++ runtime names the
// thrown type (libstdc++): a godefer panic_error or goexit_signal (or a class derived from one),
// matched as a catch clause matches, or the address null when the exception is not one.
template <class T>
const T* caught_as(const std::type_info& thrown, const std::exception_ptr& ep) noexcept {
    const std::type_info* const want = type_info_of<T>();
    void* object = const_cast<void*>(exception_object(ep));
#if defined(__GLIBCXX__)
    if (want != nullptr && want->__do_catch(&thrown, &object, 1))
        return static_cast<const T*>(object);
#else
    (void)thrown;
    (void)want;
    (void)object;
#endif
    return nullptr;
}

// Called inside run's one handler, catch (...), for what left the body, or what a deferred call
// threw once the body had returned: a godefer panic, goexit's signal, a foreign C++ exception, or
// an exception that is not C++'s (a thread cancellation, abi::__forced_unwind: it passes through
// like a goexit: the calls run, nothing can stop it). Runs the (remaining) calls with Go's rules.
// Returns true if the panic was recovered (run returns), false if the same exception goes on
// unchanged (the handler rethrows it with `throw;`); throws what replaced it.
// One catch (...) in run rather than a clause per type: the C++ runtime's personality routine then
// matches no type at each run frame a panic goes through, and run's handler code is one sequence.
GODEFER_DETAIL_NOINLINE inline bool unwind_caught(call_stack& calls, unsigned long entry_epoch,
                                                  run_unwind* outer_target) {
    // run's frame has no cleanup of its own: its storage is freed here, however this returns or
    // throws. Every path below runs the calls until none is pending; should one be left all the
    // same, it runs here (a call that throws then ends in std::terminate, as while unwinding).
    // Left by a new exception (a panic that replaced the caught one), the frame is closed: run's
    // handler then destroys the caught exception, and a call its destructor defers is made at once.
    struct release_at_exit {
        call_stack& calls;
        int uncaught;
        ~release_at_exit() {
            while (GODEFER_DETAIL_UNLIKELY(calls.pending())) calls.run_one();
            calls.release_storage();
            if (GODEFER_DETAIL_UNLIKELY(std::uncaught_exceptions() > uncaught))
                calls.close();
        }
    } release{calls, std::uncaught_exceptions()};
    std::exception_ptr ep = std::current_exception();
    if (!ep) {  // not a C++ exception (libstdc++ gives no exception_ptr for those)
        drain_cancelled(calls);
        return false;
    }
    bool sorted = false;  // told by its type: no need to throw it again to know what it is
#if defined(__GLIBCXX__)
    if (const std::type_info* type = ep.__cxa_exception_type()) {
        if (const panic_error* e = caught_as<panic_error>(*type, ep))
            return unwind_carried(calls, *e, std::move(ep), entry_epoch, outer_target);
        if (const goexit_signal* g = caught_as<goexit_signal>(*type, ep))
            return unwind_carried(calls, *g, std::move(ep), entry_epoch, outer_target);
        sorted = type_info_of<panic_error>() != nullptr && type_info_of<goexit_signal>() != nullptr;
    }
#endif
    if (!sorted) {
        try {
            std::rethrow_exception(ep);
        } catch (const panic_error& e) {
            return unwind_carried(calls, e, std::move(ep), entry_epoch, outer_target);
        } catch (const goexit_signal& g) {
            return unwind_carried(calls, g, std::move(ep), entry_epoch, outer_target);
        } catch (...) {
        }
    }
    run_unwind s(entry_epoch, outer_target);
    refill_spare();
    s.reason = adopt_or_spare([&] { return adopt_foreign(ep, entry_epoch); }, ep);
    if (!s.reason)
        drain_unrecorded(calls, ep);  // out of memory twice: see drain_unrecorded
    const void* original = exception_object(ep);
    s.carrier = std::move(ep);
    drain(calls, s);
    if (!s.reason)
        return true;
    if (exception_object(s.carrier) == original && s.reason->foreign()) {
        hand_off(std::move(s.reason), s.carrier);
        return false;
    }
    leave(s);
}

// The entry of the exception being handled at a thread of work's boundary (entered at
// `entry_epoch`), for its report. Call inside a catch handler.
inline std::shared_ptr<panic_record> handled_entry(unsigned long entry_epoch) {
    try {
        throw;
    } catch (const panic_error& e) {
        return adopt_carried(e, entry_epoch, exception_object(std::current_exception()));
    } catch (const goexit_signal& g) {
        return adopt_carried(g, entry_epoch, exception_object(std::current_exception()));
    } catch (...) {
        return adopt_foreign(std::current_exception(), entry_epoch);
    }
}

// The report of the exception being handled at a thread of work's boundary (entered at
// `entry_epoch`). Call inside a catch handler. When its entry cannot be made (out of memory),
// the report of the godefer panic it carries, or "panic: " and the exception's what().
inline void report_handled(unsigned long entry_epoch) noexcept {
    std::shared_ptr<panic_record> rec;
    try {
        rec = handled_entry(entry_epoch);
    } catch (...) {
    }
    if (rec)
        return report_panic(*rec);
    try {
        throw;
    } catch (const panic_error& e) {
        if (e.record())
            return report_panic(*e.record());
    } catch (const std::exception& e) {
        std::fflush(stdout);
        write_stderr("panic: ");
        write_stderr(e.what());
        write_stderr("\n");
    } catch (...) {
        std::fflush(stdout);
        write_stderr("panic: (a C++ exception)\n");
    }
    write_report_unformatted(nullptr);
    std::fflush(stderr);
}

#endif  // GODEFER_HAS_EXCEPTIONS

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_UNWIND_HPP
