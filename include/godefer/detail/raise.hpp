// godefer/detail/raise.hpp: how a panic or goexit is raised — the record that godefer::panic
// builds (value, site, stack), and the throw (or, without exceptions, running the thread's pending
// calls, the report and abort).
//
//   throw panic_error(raise_tag<std::string>{}, "boom", panic_site::current());   // panic()
//   raise(std::make_shared<panic_record>(record_kind::goexit));   // goexit()
#ifndef GODEFER_DETAIL_RAISE_HPP
#define GODEFER_DETAIL_RAISE_HPP

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <godefer/detail/call_stack.hpp>
#include <godefer/detail/config.hpp>
#include <godefer/detail/exceptions.hpp>
#include <godefer/detail/panic_hook.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/panic_site.hpp>
#include <godefer/detail/report.hpp>
#include <godefer/detail/thread_state.hpp>

namespace godefer::detail {

// What a panic(value) stores: strings as std::string, nullptr as nil_panic_error.
template <class T, class D = std::decay_t<T>>
using stored_value_t = std::conditional_t<
    std::is_same_v<D, std::nullptr_t>, nil_panic_error,
    std::conditional_t<std::is_same_v<D, const char*> || std::is_same_v<D, char*> ||
                           std::is_same_v<D, std::string_view>,
                       std::string, D>>;

#if !GODEFER_HAS_EXCEPTIONS
// Without exceptions: run the pending calls of every frame of the thread, innermost first, then
// print the report and abort. recover() is empty there. A call that panics while they run enters
// here again: the panic being handled goes below the new one on the chain (the report lists
// both, oldest first, as Go's does) and the calls still pending run; none runs twice, since a
// call is taken off its stack before it runs.
[[noreturn]] GODEFER_DETAIL_COLD inline void die_without_exceptions(
    std::shared_ptr<panic_record> r) noexcept {
    thread_state& ts = this_thread_state();
    if (ts.in_panic_hook && ts.hooked && ts.hooked != r && !r->older)
        r->older = ts.hooked;  // a panic of the hook: reported after the one that called it
    std::shared_ptr<panic_record>& dying = ts.dying;
    if (dying && !r->older) {
        if (!dying->is_goexit() && !dying->recovered)
            dying->aborted = true;
        r->older = std::move(dying);
    }
    dying = r;
    for (frame_link* l = t_innermost_frame; l != nullptr; l = l->outer)
        while (l->calls->run_one()) {
        }
    const panic_record* top = r.get();
    while (top != nullptr && top->is_goexit()) top = top->older.get();
    if (top == nullptr) {
        std::fflush(stdout);
        std::fputs("fatal error: godefer::goexit needs C++ exceptions to unwind\n", stderr);
        std::fflush(stderr);
    } else {
        print_report(*r);
    }
    std::abort();
}
#endif

// Raises the panic or goexit r: throws it, or without exceptions runs the thread's pending calls,
// reports and aborts.
[[noreturn]] inline void raise(std::shared_ptr<panic_record> r) {
#if GODEFER_HAS_EXCEPTIONS
    thread_state& ts = this_thread_state();
    ts.godefer_throwing = true;
    if (r->is_goexit())
        throw goexit_signal(std::move(r));
    ts.note_raised(r);
    throw panic_error(std::move(r));
#else
    die_without_exceptions(std::move(r));
#endif
}

// `caller` is the return address of the call that panicked: the stack is captured from there.
template <class V, class T>
std::shared_ptr<panic_record> make_panic_record(T&& value, panic_site site, const void* caller) {
    std::shared_ptr<panic_record> r;
    if constexpr (std::is_same_v<std::decay_t<T>, std::nullptr_t>) {
        r = std::make_shared<value_record<nil_panic_error>>(site, nil_panic_error{});
    } else if constexpr (std::is_array_v<std::remove_reference_t<T>>) {
        r = std::make_shared<value_record<V>>(site, V(value));
    } else if constexpr (std::is_pointer_v<std::decay_t<T>> && std::is_same_v<V, std::string>) {
        if (value == nullptr)
            r = std::make_shared<value_record<nil_panic_error>>(site, nil_panic_error{});
        else
            r = std::make_shared<value_record<std::string>>(site, std::string(value));
    } else {
        r = std::make_shared<value_record<V>>(site, std::forward<T>(value));
    }
    r->trace.capture(caller);
    return r;
}

// The record of panic(value), after the panic hook saw it, noted as the thread's last raised
// panic. Out of line, so that the throw itself stays at the panic site (the unwinder then walks
// no godefer frame at all) and the capture knows the panicking call by its return address.
template <class V, class T>
GODEFER_DETAIL_NOINLINE std::shared_ptr<panic_record> new_panic_record(T&& value, panic_site site) {
    std::shared_ptr<panic_record> r =
        make_panic_record<V>(std::forward<T>(value), site, __builtin_return_address(0));
    run_panic_hook(r);
    thread_state& ts = this_thread_state();
    ts.note_raised(r);
    ts.godefer_throwing = true;
    return r;
}

}  // namespace godefer::detail

namespace godefer {

// Out of line, like new_panic_record: the stack is captured from the panicking call's return
// address.
template <class V, class T>
GODEFER_DETAIL_NOINLINE panic_error::panic_error(detail::raise_tag<V>, T&& value, panic_site site)
    : rec_(
          detail::make_panic_record<V>(std::forward<T>(value), site, __builtin_return_address(0))) {
    detail::run_panic_hook(rec_);
    detail::thread_state& ts = detail::this_thread_state();
    ts.note_raised(rec_);
    ts.godefer_throwing = true;
}

}  // namespace godefer

#endif  // GODEFER_DETAIL_RAISE_HPP
