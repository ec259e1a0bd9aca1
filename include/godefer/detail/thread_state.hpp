// godefer/detail/thread_state.hpp: what godefer knows about the current thread.
//
// t_innermost_run and t_unwind tell recover() which run frame may be recovered: the innermost
// one, when it is running its calls after a panic. Everything here is per thread; nothing is
// shared between threads.
#ifndef GODEFER_DETAIL_THREAD_STATE_HPP
#define GODEFER_DETAIL_THREAD_STATE_HPP

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>

#include <memory>

namespace godefer::detail {

class call_stack;
struct run_scope;
struct run_unwind;

// The innermost run frame that recover() must look at: the frame running its calls with Go's
// rules, or a run frame entered since then (it hides the panicking one from recover()).
inline thread_local run_scope* t_innermost_run = nullptr;
// The innermost run frame state that runs calls with Go's rules (see run_unwind).
inline thread_local run_unwind* t_unwind = nullptr;

// One run frame. It links itself into the thread's list only when some frame of the thread is
// running its calls with Go's rules (t_innermost_run is set): only then can recover() be called
// under it, and it must hide the panicking frame. Otherwise a run frame costs a load on the
// normal path, and links itself when it starts unwinding (run_unwind).
struct run_scope {
    run_scope() noexcept : outer(t_innermost_run) {
        if (outer != nullptr) t_innermost_run = this;
    }
    run_scope(const run_scope&) = delete;
    run_scope& operator=(const run_scope&) = delete;
    ~run_scope() {
        if (outer != nullptr) t_innermost_run = outer;
    }

    run_scope* outer;  // the frame it hides, or null: not linked
};

// The state of a run frame that runs its calls with Go's rules (see unwind.hpp): after a panic
// left the body, or after a call threw during a normal return. recover() works on it while it is
// the innermost one and its frame is the innermost run frame.
struct run_unwind {
    explicit run_unwind(run_scope& s) noexcept
        : scope(s), saved_innermost(t_innermost_run), saved_unwind(t_unwind) {
        t_innermost_run = &s;
        t_unwind = this;
    }
    run_unwind(const run_unwind&) = delete;
    run_unwind& operator=(const run_unwind&) = delete;
    ~run_unwind() {
        t_innermost_run = saved_innermost;
        t_unwind = saved_unwind;
    }

    run_scope& scope;
    run_scope* saved_innermost;
    run_unwind* saved_unwind;
    // Why the frame is being left: null (normal return, or recovered), a panic or a goexit record.
    std::shared_ptr<panic_record> reason;
    // True while the frame runs its deferred calls (recover() works only then).
    bool draining = false;
};

// Per-thread data that is not on the hot path.
struct thread_state {
    // The record of the foreign exception that last left a run frame on this thread, so that the
    // next frame (or the thread's boundary) that sees the same exception keeps its chain.
    std::shared_ptr<panic_record> escaped;
    // The last panic godefer raised on this thread (named when a local frame must terminate).
    std::weak_ptr<panic_record> last_raised;
    // 1 for godefer::main's thread, 2, 3, ... for threads started by godefer::go, 0 otherwise.
    unsigned long id = 0;
};

inline thread_state& this_thread_state() noexcept {
    static thread_local thread_state state;
    return state;
}

#if !GODEFER_HAS_EXCEPTIONS
// Without exceptions a panic cannot unwind: it runs the pending calls of every frame of the
// thread, innermost first, through this list.
struct frame_link {
    frame_link* outer;
    call_stack* calls;
};
inline thread_local frame_link* t_innermost_frame = nullptr;
#endif

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_THREAD_STATE_HPP
