// godefer/detail/throw_trace.hpp: the stack of each C++ throw, for the reports of foreign
// exceptions (the companion target godefer::throw_trace, src/throw_trace.cpp, calls this).
//
//   record_throw(object, __builtin_return_address(0));   // in the __cxa_throw hook
//
// The stack is kept in the throwing thread's state, keyed by the exception object's address; the
// first run frame that sees the exception takes it (detail/unwind.hpp, new_foreign_record). Two
// throws are remembered per thread: an exception thrown and caught while another unwinds (in a
// destructor) does not push out the one that reaches the frame. godefer's own panics are skipped:
// they capture their stack at the panic site.
#ifndef GODEFER_DETAIL_THROW_TRACE_HPP
#define GODEFER_DETAIL_THROW_TRACE_HPP

#include <godefer/detail/config.hpp>
#include <godefer/detail/stack_trace.hpp>
#include <godefer/detail/thread_state.hpp>

namespace godefer::detail {

// Records the stack of the throw of `object` from the call whose return address is `thrower`.
GODEFER_DETAIL_NOINLINE inline void record_throw(const void* object, const void* thrower) noexcept {
    thread_state& ts = this_thread_state();
    if (ts.godefer_throwing) {
        ts.godefer_throwing = false;
        return;
    }
    thread_state::thrown_stack& slot = ts.thrown[ts.thrown_next++ % 2];
    slot.object = object;
    slot.trace.depth = 0;
    slot.trace.capture(thrower);
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_THROW_TRACE_HPP
