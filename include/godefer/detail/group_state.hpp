// godefer/detail/group_state.hpp: the machinery of godefer::group (see godefer/group.hpp).
//
//   detail::stop_state s;                  // C++17: the shared flag behind godefer::stop_token
//   s.request();                           // every token sees stop_requested() == true
//
//   auto e = detail::member_failure_entry(failure, 7);   // the failure of member 7 standing for
//   detail::hand_off_fresh(e, ep);                        // a new raise on this thread, then
//   std::rethrow_exception(ep);                           // the same exception object goes on
//
// A failure of a member is the entry that left the member (its value, site, stack and chain).
// When wait() rethrows it on another thread, or the destructor reports it, a new entry stands for
// it: the same value and identity, the member's site and stack, and the member's thread of work,
// which the report names (`goroutine N [running]:`).
#ifndef GODEFER_DETAIL_GROUP_STATE_HPP
#define GODEFER_DETAIL_GROUP_STATE_HPP

#include <atomic>
#include <exception>
#include <memory>
#include <utility>

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/thread_state.hpp>

namespace godefer::detail {

// The group whose member runs on this thread (null elsewhere): wait() refuses to wait for itself.
GODEFER_DETAIL_SHARED GODEFER_DETAIL_TLS inline thread_local const void* t_member_of = nullptr;

// The state shared by a C++17 godefer::stop_token and its group.
struct stop_state {
    std::atomic<bool> requested{false};
    std::atomic<bool> source_alive{true};

    // Returns true if this call requested stop (false if it was already requested).
    bool request() noexcept { return !requested.exchange(true, std::memory_order_acq_rel); }
};

// A new entry for the failure `failure` of the member whose thread of work is `thread`: the same
// value and identity (it re-raises the record that holds the value), the member's site and stack
// trace, the chain of panics under the failure in the member, and the member's thread (or, for a
// failure that a nested group's wait() rethrew in the member, the thread that raised it first).
inline std::shared_ptr<panic_record> member_failure_entry(
    const std::shared_ptr<panic_record>& failure, unsigned long thread) {
    std::shared_ptr<const panic_record> source = failure;
    if (failure->reraised)
        source = static_cast<const reraised_record&>(*failure).source;
    auto e = std::make_shared<reraised_record>(failure->site, std::move(source));
    e->trace = failure->trace;
    e->thread = failure->thread != 0 ? failure->thread : thread;
    e->older = failure->older;
    return e;
}

// Names `entry` as what the exception `ep` stands for when it is thrown next on this thread: a
// new raise (the next run frame links it above the thread's panics in flight), as repanic() does.
inline void hand_off_fresh(std::shared_ptr<panic_record> entry,
                           const std::exception_ptr& ep) noexcept {
    thread_state& ts = this_thread_state();
    entry->older.reset();  // linked when a frame catches it; the member's chain stays in failures()
    ts.note_raised(entry);
    ts.pass.clear();
    if (ts.reaped)
        return;  // thread teardown: the next frame makes a new entry instead
    ts.pass.what = handoff::kind::fresh;
    ts.pass.object = exception_object(ep);
    ts.pass.entry = std::move(entry);
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_GROUP_STATE_HPP
