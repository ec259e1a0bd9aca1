// godefer/detail/panic_hook.hpp: the process-wide panic hook (godefer::set_panic_hook).
//
//   run_panic_hook(record);   // at the panic site, before any deferred call: calls the hook
//
// The hook is stored type-erased (the public panic_hook lives in <godefer/panic.hpp>) behind a
// mutex; an atomic flag keeps the path of a panic without a hook to one load. The hook runs on the
// panicking thread. A panic raised while the hook runs does not call the hook again, and whatever
// the hook throws (a panic, a goexit, any exception) is reported on stderr in one line and
// dropped: the panic that called the hook goes on unchanged. recover() in the hook recovers
// nothing. Without exceptions, a panic raised by the hook ends the program with a report that
// lists the hook's panic after the one that called the hook.
#ifndef GODEFER_DETAIL_PANIC_HOOK_HPP
#define GODEFER_DETAIL_PANIC_HOOK_HPP

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <utility>

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/thread_state.hpp>

namespace godefer::detail {

using panic_hook_call = void (*)(const void* hook, const std::shared_ptr<panic_record>& r);

struct panic_hook_state {
    std::mutex lock;
    std::shared_ptr<const void> hook;  // the user's callable
    panic_hook_call call = nullptr;
};

GODEFER_DETAIL_SHARED inline std::atomic<bool> g_panic_hook_set{false};

GODEFER_DETAIL_SHARED inline panic_hook_state& the_panic_hook_state() {
    static panic_hook_state* s = new panic_hook_state;  // never destroyed: panics at exit use it
    return *s;
}

// Installs `hook` (null removes it) and returns the previous one.
inline std::shared_ptr<const void> exchange_panic_hook(std::shared_ptr<const void> hook,
                                                       panic_hook_call call) {
    panic_hook_state& s = the_panic_hook_state();
    std::lock_guard<std::mutex> hold(s.lock);
    const bool set = hook != nullptr;
    std::shared_ptr<const void> old = std::exchange(s.hook, std::move(hook));
    s.call = call;
    g_panic_hook_set.store(set, std::memory_order_release);
    return old;
}

GODEFER_DETAIL_COLD inline void call_panic_hook(const std::shared_ptr<panic_record>& r) noexcept {
    thread_state& ts = this_thread_state();
    if (ts.in_panic_hook)
        return;  // a panic raised by the hook itself
    std::shared_ptr<const void> hook;
    panic_hook_call call = nullptr;
    {
        panic_hook_state& s = the_panic_hook_state();
        std::lock_guard<std::mutex> hold(s.lock);
        hook = s.hook;
        call = s.call;
    }
    if (!hook || call == nullptr)
        return;
    // The hook is no recover point: a recover() in it must not stop a panic already in flight.
    struct hook_scope {
        thread_state& ts;
        run_unwind* target = t_context.target;
        hook_scope(thread_state& s, const std::shared_ptr<panic_record>& r) noexcept : ts(s) {
            ts.in_panic_hook = true;
            ts.hooked = r;
            t_context.target = nullptr;
        }
        hook_scope(const hook_scope&) = delete;
        hook_scope& operator=(const hook_scope&) = delete;
        ~hook_scope() {
            t_context.target = target;
            ts.hooked.reset();
            ts.in_panic_hook = false;
        }
    } scope{ts, r};
#if GODEFER_HAS_EXCEPTIONS
    try {
        call(hook.get(), r);
    } catch (...) {
        std::fputs("godefer: the panic hook threw; the exception was dropped\n", stderr);
    }
#else
    call(hook.get(), r);
#endif
}

// Calls the hook, if one is installed, for the new panic r (never for a goexit).
GODEFER_DETAIL_ALWAYS_INLINE void run_panic_hook(const std::shared_ptr<panic_record>& r) noexcept {
    if (GODEFER_DETAIL_UNLIKELY(g_panic_hook_set.load(std::memory_order_acquire)) &&
        !r->is_goexit())
        call_panic_hook(r);
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_PANIC_HOOK_HPP
