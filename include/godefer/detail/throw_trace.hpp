// godefer/detail/throw_trace.hpp: the stack of each C++ throw, for the reports of foreign
// exceptions (the companion target godefer::throw_trace, src/throw_trace.cpp, calls this).
//
//   record_throw(object, __builtin_return_address(0));   // in the __cxa_throw hook
//
// The stack is kept in the throwing thread's state, keyed by the exception object's address, until
// the object is freed (the hook of __cxa_free_exception calls forget_throw); each run frame that
// sees the exception takes it (detail/unwind.hpp, new_foreign_record). Four live exceptions are
// remembered per thread: exceptions thrown and caught while another unwinds (in destructors) are
// freed before it reaches a frame and do not push it out. godefer's own panics are skipped: they
// capture their stack at the panic site.
#ifndef GODEFER_DETAIL_THROW_TRACE_HPP
#define GODEFER_DETAIL_THROW_TRACE_HPP

#include <atomic>

#include <godefer/detail/config.hpp>
#include <godefer/detail/stack_trace.hpp>
#include <godefer/detail/thread_state.hpp>

namespace godefer::detail {

// Records the stack of the throw of `object` from the call whose return address is `thrower`,
// in a free slot (the oldest one if all four hold live exceptions).
GODEFER_DETAIL_NOINLINE inline void record_throw(const void* object, const void* thrower) noexcept {
    g_throw_trace_linked.store(true, std::memory_order_relaxed);
    thread_state& ts = this_thread_state();
    if (ts.godefer_throwing) {
        ts.godefer_throwing = false;
        return;
    }
    thread_state::thrown_stack* slot = nullptr;
    for (thread_state::thrown_stack& t : ts.thrown)
        if (t.object == nullptr || t.object == object)
            slot = &t;
    if (slot == nullptr)
        slot = &ts.thrown[ts.thrown_next++ % 4];
    slot->object = object;
    slot->trace.depth = 0;
    slot->trace.capture(thrower);
}

// The exception object at `object` is freed: its stack goes (the address may be reused).
inline void forget_throw(const void* object) noexcept {
    for (thread_state::thrown_stack& t : this_thread_state().thrown)
        if (t.object == object)
            t.object = nullptr;
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_THROW_TRACE_HPP
