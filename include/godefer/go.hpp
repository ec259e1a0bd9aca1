// godefer/go.hpp: threads of work — godefer::go (Go's `go` statement) and godefer::main.
//
//   int main() {
//       return godefer::main([](godefer::frame& f) {
//           f.defer([] { std::puts("main's calls run before the report"); });
//           std::thread t = godefer::go(worker, 7);   // worker(7) on its own thread
//           t.join();                                 // its panics are its own (R12)
//           godefer::panic("boom");                   // report on stderr, main returns 2
//       });
//   }
//
// go(fn, args...) decay-copies fn and args now and runs fn(args...) on a new std::thread (join or
// detach it). goexit() there ends the thread quietly. An unrecovered panic there flushes stdout
// and std::cout, prints the report and ends the whole process at once with exit status 2 (R11).
//
// main(body) runs body like godefer::run (body takes frame& or nothing, returns void or int).
// Returns the body's int (or 0); 2 after printing the report of an unrecovered panic, or after
// "fatal error: no goroutines (main called godefer::goexit) - deadlock!" when goexit() reached it.
#ifndef GODEFER_GO_HPP
#define GODEFER_GO_HPP

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

#include <godefer/detail/config.hpp>
#include <godefer/detail/report.hpp>
#include <godefer/detail/thread_state.hpp>
#include <godefer/detail/unwind.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

namespace godefer::detail {

GODEFER_DETAIL_SHARED inline unsigned long next_goroutine_id() noexcept {
    static std::atomic<unsigned long> next{2};
    return next.fetch_add(1, std::memory_order_relaxed);
}

[[noreturn]] GODEFER_DETAIL_COLD inline void crash_thread_of_work(
    [[maybe_unused]] unsigned long entry_epoch) noexcept {
#if GODEFER_HAS_EXCEPTIONS
    report_handled(entry_epoch);
#endif
    std::_Exit(2);
}

// The body of a godefer::go thread: goexit ends it quietly, cancellation passes, a panic crashes.
template <class F, class... A>
GODEFER_DETAIL_NOINLINE GODEFER_DETAIL_NO_SANITIZE_NULL void run_thread_of_work(F& f, A&... a) {
#if GODEFER_HAS_EXCEPTIONS
    const unsigned long entry_epoch = t_context.epoch;
    try {
        std::invoke(std::move(f), std::move(a)...);
    } catch (const goexit_signal&) {
        // goexit() reached the boundary: the thread of work ends here.
    }
#if GODEFER_DETAIL_HAS_FORCED_UNWIND
    catch (abi::__forced_unwind&) {
        throw;
    }
#endif
    catch (...) {
        crash_thread_of_work(entry_epoch);
    }
#else
    std::invoke(std::move(f), std::move(a)...);
#endif
}

}  // namespace godefer::detail

namespace godefer {

// Starts fn(args...) as a thread of work on a new std::thread and returns the thread.
template <class F, class... A>
std::thread go(F&& fn, A&&... args) {
    return std::thread(
        [id = detail::next_goroutine_id()](std::decay_t<F> f, std::decay_t<A>... a) {
            detail::this_thread_state().id = id;
            detail::run_thread_of_work(f, a...);
        },
        std::forward<F>(fn), std::forward<A>(args)...);
}

// Runs body as the main thread of work (see the file comment). Use it as `return
// godefer::main(...)` from ::main.
template <class Body>
GODEFER_DETAIL_NOINLINE GODEFER_DETAIL_NO_SANITIZE_NULL int main(Body&& body) {
    using R = decltype(run(std::forward<Body>(body)));
    static_assert(std::is_void_v<R> || std::is_same_v<R, int>,
                  "godefer::main: the body must return void or int; return an exit status as int.");
    detail::this_thread_state().id = 1;
#if GODEFER_HAS_EXCEPTIONS
    const unsigned long entry_epoch = detail::t_context.epoch;
    try {
        if constexpr (std::is_void_v<R>) {
            run(std::forward<Body>(body));
            return 0;
        } else {
            return run(std::forward<Body>(body));
        }
    } catch (const goexit_signal&) {
        std::cout.flush();
        std::fflush(stdout);
        std::fputs("fatal error: no goroutines (main called godefer::goexit) - deadlock!\n",
                   stderr);
        return 2;
    }
#if GODEFER_DETAIL_HAS_FORCED_UNWIND
    catch (abi::__forced_unwind&) {
        throw;
    }
#endif
    catch (...) {
        detail::report_handled(entry_epoch);
        return 2;
    }
#else
    if constexpr (std::is_void_v<R>) {
        run(std::forward<Body>(body));
        return 0;
    } else {
        return run(std::forward<Body>(body));
    }
#endif
}

}  // namespace godefer

#endif  // GODEFER_GO_HPP
