// godefer/detail/thread_state.hpp: what godefer knows about the current thread.
//
// thread_context (trivially destructible, read on run's normal path):
//   - target: the run frame whose deferred call is running because of a panic; recover() stops
//     that frame's panic. Null while a frame that is not panicking runs its calls (a run frame
//     returning normally, any local frame): code running as such a call recovers nothing. The
//     body of a run frame inherits it, so a run started by a deferred call recovers the panic of
//     the frame that called it.
//   - handling: the innermost run frame running its calls with Go's rules (a panic or a goexit
//     is in flight); the chain of panics of the thread starts at the first of these that still
//     has a reason. A new panic is linked on top of that chain.
//   - epoch: counts the exceptions that left a run frame unrecovered (see handoff).
//
// thread_state (off the hot path): the handoff of an exception from the run frame it left to the
// next one that catches it, and the thread-of-work id.
#ifndef GODEFER_DETAIL_THREAD_STATE_HPP
#define GODEFER_DETAIL_THREAD_STATE_HPP

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <typeinfo>

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>

namespace godefer::detail {

class call_stack;
struct run_unwind;

struct thread_context {
    run_unwind* target;
    run_unwind* handling;
    unsigned long epoch;
};

GODEFER_DETAIL_SHARED GODEFER_DETAIL_TLS inline thread_local thread_context t_context{nullptr,
                                                                                      nullptr, 0};

// The thread's context, for a function that touches it more than once: take the reference once,
// at the top, and use it for every access. In a shared library (general-dynamic TLS) the empty asm
// makes the address a value the compiler must keep in a register rather than compute again (a
// call to __tls_get_addr) after each call or in each basic block; elsewhere an access is an
// offset from the thread pointer and nothing is pinned.
GODEFER_DETAIL_ALWAYS_INLINE thread_context& this_thread_context() noexcept {
    thread_context* c = &t_context;
#if GODEFER_DETAIL_TLS_PIN
    __asm__("" : "+r"(c));
#endif
    return *c;
}

// The address of the exception object held by ep: its identity, without owning it.
inline const void* exception_object(const std::exception_ptr& ep) noexcept {
#if defined(__GLIBCXX__) || defined(_LIBCPP_VERSION)
    static_assert(sizeof(std::exception_ptr) == sizeof(void*),
                  "godefer::detail::exception_object: std::exception_ptr must hold one pointer; "
                  "port exception_object to this standard library.");
    const void* p = nullptr;
    std::memcpy(&p, static_cast<const void*>(&ep), sizeof p);
    return p;
#else
    return ep ? static_cast<const void*>(&ep) : nullptr;
#endif
}

// How an exception goes from one run frame to the next one that catches it.
struct handoff {
    enum class kind : unsigned char { none, escape, fresh };
    kind what = kind::none;
    // The exception object's address.
    const void* object = nullptr;
    // escape: t_context.epoch right after it left. Only a frame entered before that can be its
    // next catcher; a frame entered later that sees the same object sees it thrown again.
    unsigned long epoch = 0;
    // The entry the exception stands for: the one it had when it left a frame (escape), or the
    // new entry of a repanic() about to throw it (fresh). An exception object cannot carry it:
    // a foreign one has no room, and a godefer one may be shared by threads (it is never
    // changed once thrown).
    std::shared_ptr<panic_record> entry;

    void clear() noexcept {
        what = kind::none;
        object = nullptr;
        entry.reset();
    }

    // A panic raised while no exception unwinds: an escaped exception that is not in flight any
    // more was swallowed by a catch; forget it.
    void forget_escape_if_swallowed() noexcept {
        if (what == kind::escape && std::uncaught_exceptions() == 0)
            clear();
    }
};

// Per-thread data that is not on the hot path.
struct thread_state {
    handoff pass;
    // The last panic godefer raised on this thread (named when a local frame must terminate).
    std::weak_ptr<panic_record> last_raised;
    // 1 for godefer::main's thread, 2, 3, ... for threads started by godefer::go, 0 otherwise.
    unsigned long id = 0;
#if !GODEFER_HAS_EXCEPTIONS
    // The panic whose pending calls are running (see die_without_exceptions).
    std::shared_ptr<panic_record> dying;
#endif
    // A spare entry for a foreign exception, made when a run frame starts handling a panic: when
    // the entry of a new panic cannot be allocated, the spare stands for it (see adopt_or_spare).
    std::shared_ptr<panic_record> spare;
    unsigned long spares_used = 0;
    // Set when the thread's thread_local objects are being destroyed and this state was cleared:
    // godefer still works in later destructors, but keeps nothing that would outlive the thread.
    bool reaped = false;
    // Set while the panic hook runs on this thread (see detail/panic_hook.hpp).
    bool in_panic_hook = false;
    // Stacks recorded where the thread's live C++ exceptions were thrown, by the companion target
    // godefer::throw_trace (detail/throw_trace.hpp; never filled without it), matched with an
    // exception by its object's address when a run frame first sees it, and forgotten when the
    // exception object is freed.
    struct thrown_stack {
        const void* object = nullptr;
        stack_trace trace;
    };
    thrown_stack thrown[4];
    unsigned thrown_next = 0;
    // Set by godefer just before it throws a panic of its own: the throw hook leaves it alone.
    bool godefer_throwing = false;
    // The foreign exception that last left a run frame with no handoff, and t_context.epoch
    // right after: the next frame entered before that which catches it sees the same panic going
    // on (the panic hook is not called again).
    const void* foreign_escaped = nullptr;
    unsigned long foreign_escaped_epoch = 0;
    // The panic whose hook is running (without exceptions, a panic raised by the hook is reported
    // with it).
    std::shared_ptr<panic_record> hooked;

    // Remembers r as the last panic raised on this thread.
    void note_raised(const std::shared_ptr<panic_record>& r) noexcept {
        pass.forget_escape_if_swallowed();
        if (!reaped)
            last_raised = r;
    }
};

// The thread's state lives in storage that is never destroyed (trivially destructible, so a
// thread_local object whose destructor runs after godefer's own teardown can still use it); a
// reaper constructed at first use clears what it owns when the thread's thread_local objects are
// destroyed.
struct thread_state_slot {
    alignas(thread_state) unsigned char bytes[sizeof(thread_state)];
    bool constructed;
};
GODEFER_DETAIL_SHARED GODEFER_DETAIL_TLS inline thread_local thread_state_slot t_state_slot{};

struct thread_state_reaper {
    thread_state_reaper() = default;
    thread_state_reaper(const thread_state_reaper&) = delete;
    thread_state_reaper& operator=(const thread_state_reaper&) = delete;
    ~thread_state_reaper();
};

GODEFER_DETAIL_SHARED GODEFER_DETAIL_COLD inline thread_state& make_thread_state() noexcept {
    thread_state* s = ::new (static_cast<void*>(t_state_slot.bytes)) thread_state();
    t_state_slot.constructed = true;
    GODEFER_DETAIL_TLS static thread_local thread_state_reaper reaper;
    (void)reaper;
    return *s;
}

GODEFER_DETAIL_SHARED inline thread_state& this_thread_state() noexcept {
    if (GODEFER_DETAIL_UNLIKELY(!t_state_slot.constructed))
        return make_thread_state();
    return *std::launder(reinterpret_cast<thread_state*>(t_state_slot.bytes));
}

inline thread_state_reaper::~thread_state_reaper() {
    thread_state& s = this_thread_state();
    s.pass.clear();
    s.last_raised.reset();
    s.spare.reset();
    s.hooked.reset();
#if !GODEFER_HAS_EXCEPTIONS
    s.dying.reset();
#endif
    s.reaped = true;
}

// The state of a run frame running its calls with Go's rules (see unwind.hpp): after a panic or
// goexit left the body, or after a call threw during a normal return. While it lives it is the
// innermost handling frame; while one of its calls runs it is recover()'s target.
struct run_unwind {
    run_unwind(unsigned long entered, run_unwind* outer_target) noexcept
        : context(this_thread_context()),
          entry_epoch(entered),
          saved_target(outer_target),
          saved_handling(context.handling) {
        context.handling = this;
    }
    run_unwind(const run_unwind&) = delete;
    run_unwind& operator=(const run_unwind&) = delete;
    ~run_unwind() {
        context.handling = saved_handling;
        context.target = saved_target;
    }

    // The thread's context (its address taken once: see this_thread_context).
    thread_context& context;
    unsigned long entry_epoch;  // t_context.epoch when the frame was entered
    run_unwind* saved_target;
    run_unwind* saved_handling;
    // Why the frame is being left: null (normal return, or recovered), a panic or a goexit entry.
    std::shared_ptr<panic_record> reason;
    // The exception that carries the reason, when known (the same object goes on), and that
    // object's address when it is a godefer one caught by reference (panic_error or
    // goexit_signal): if it is still the carrier at the end, the handler rethrows it with `throw;`.
    std::exception_ptr carrier;
    const void* carried = nullptr;
};

// The newest entry of the thread's chain of panics in flight: what a new panic is linked above.
inline std::shared_ptr<panic_record> chain_top() noexcept {
    for (run_unwind* u = t_context.handling; u != nullptr; u = u->saved_handling)
        if (u->reason)
            return u->reason;
    return nullptr;
}

#if !GODEFER_HAS_EXCEPTIONS
// Without exceptions a panic cannot unwind: it runs the pending calls of every frame of the
// thread, innermost first, through this list. It is doubly linked, so that a frame that ends out
// of order (a member of a heap object destroyed before a newer local frame) unlinks itself alone.
struct frame_link {
    frame_link* outer;
    frame_link* inner;
    call_stack* calls;
};
GODEFER_DETAIL_SHARED GODEFER_DETAIL_TLS inline thread_local frame_link* t_innermost_frame =
    nullptr;
#endif

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_THREAD_STATE_HPP
