// godefer/detail/thread_state.hpp: what godefer knows about the current thread.
//
// t_innermost_run links the run frames of the thread (innermost first): recover() looks at the
// innermost one only. Everything here is per thread; nothing is shared between threads.
#ifndef GODEFER_DETAIL_THREAD_STATE_HPP
#define GODEFER_DETAIL_THREAD_STATE_HPP

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>

#include <memory>

namespace godefer::detail {

class call_stack;
struct run_scope;

inline thread_local run_scope* t_innermost_run = nullptr;

// One run frame's unwinding state, linked into the thread's list while the frame is alive.
struct run_scope {
    run_scope() noexcept : outer(t_innermost_run) { t_innermost_run = this; }
    run_scope(const run_scope&) = delete;
    run_scope& operator=(const run_scope&) = delete;
    ~run_scope() { t_innermost_run = outer; }

    run_scope* outer;
    // Why the frame is being left: null (normal return), a panic or a goexit record.
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
