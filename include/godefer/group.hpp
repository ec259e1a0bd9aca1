// godefer/group.hpp: threads of work that fail together — Go's errgroup with the panic rules kept.
//
//   #include <godefer/group.hpp>
//
//   std::vector<page> crawl(const std::vector<std::string>& urls) {
//       std::vector<page> pages(urls.size());
//       godefer::group g;
//       g.set_limit(4);                                    // at most 4 members run at once
//       for (std::size_t i = 0; i < urls.size(); ++i)
//           g.go([&pages, &urls](godefer::stop_token stop, std::size_t k) {
//               connection c = open(urls[k]);               // before the frame that closes it
//               godefer::run([&](godefer::frame& f) {       // defer, recover, goexit work here
//                   f.defer([&] { c.close(); });
//                   if (stop.stop_requested()) godefer::goexit();   // ends this member only
//                   pages[k] = fetch(c);                    // may panic or throw
//               });
//           }, i);
//       g.wait();   // joins every member; rethrows the first failure (same exception object)
//       return pages;
//   }
//
// Members are threads of work, as with godefer::go: run, defer, recover and goexit work in them
// (a goexit ends that member only and is no failure). A failure is an exception that leaves a
// member: a godefer::panic or a foreign C++ exception. The first failure requests stop on the
// group's stop source (every member's stop_token and get_stop_token()), so that siblings can end
// early; wait() rethrows it once every member has finished, as the same exception object, with
// its value, identity, site and stack: left unrecovered, its report names the member's thread
// (`goroutine N [running]:`) and shows the member's stack. failures() lists every failure.
//
// godefer::group g{godefer::on_panic::crash}: a member's unrecovered godefer::panic ends the
// process at once with the report and exit status 2, as an unrecovered panic in a goroutine does
// in Go (foreign exceptions stay failures).
//
// A group destroyed without wait() requests stop, joins its members and prints the report of
// each failure, in order, on stderr (an unobserved failure is never lost silently).
//
// godefer::stop_token is std::stop_token when the standard library has it (C++20), otherwise a
// small type with the same stop_requested() and stop_possible().
#ifndef GODEFER_GROUP_HPP
#define GODEFER_GROUP_HPP

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>
#if defined(__cpp_lib_jthread)
#include <stop_token>
#endif

#include <godefer/detail/config.hpp>
#include <godefer/detail/group_state.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/detail/thread_state.hpp>
#include <godefer/detail/unwind.hpp>
#include <godefer/go.hpp>
#include <godefer/panic.hpp>

namespace godefer {

#if defined(__cpp_lib_jthread)
using stop_token = std::stop_token;
#else
// The stop token of a group's members under C++17 (std::stop_token under C++20): tells whether
// the group asked its members to stop. Copyable and cheap; safe to read from any thread.
class stop_token {
  public:
    // Effects: a token with no group: stop_possible() and stop_requested() are false.
    stop_token() noexcept = default;

    // Returns: true once the group requested stop (a member failed, or it is being destroyed).
    bool stop_requested() const noexcept {
        return state_ && state_->requested.load(std::memory_order_acquire);
    }

    // Returns: true if stop was requested or can still be: the token belongs to a group that
    // still exists, or one that requested stop.
    bool stop_possible() const noexcept {
        return state_ && (state_->requested.load(std::memory_order_acquire) ||
                          state_->source_alive.load(std::memory_order_acquire));
    }

    // Returns: true if both tokens have the same group, or neither has one.
    friend bool operator==(const stop_token& a, const stop_token& b) noexcept {
        return a.state_ == b.state_;
    }
    friend bool operator!=(const stop_token& a, const stop_token& b) noexcept { return !(a == b); }

    // Effects: exchanges the groups of the two tokens.
    void swap(stop_token& other) noexcept { state_.swap(other.state_); }
    friend void swap(stop_token& a, stop_token& b) noexcept { a.swap(b); }

  private:
    friend class group;
    explicit stop_token(std::shared_ptr<const detail::stop_state> s) noexcept
        : state_(std::move(s)) {}
    std::shared_ptr<const detail::stop_state> state_;
};
#endif

// What a group does with a member's unrecovered godefer::panic.
enum class on_panic {
    fail,   // a failure: recorded, stop requested, rethrown by wait() (the default)
    crash,  // the report and exit status 2 at once, as in Go (foreign exceptions stay failures)
};

class group {
  public:
    // Effects: an empty group with no limit; a member's panic is a failure (on_panic::fail).
    group() : group(on_panic::fail) {}

    // Effects: an empty group with no limit and the given policy for members' panics.
    explicit group(on_panic policy)
#if !defined(__cpp_lib_jthread)
        : stop_(std::make_shared<detail::stop_state>()),
#else
        :
#endif
          policy_(policy) {
    }

    group(const group&) = delete;
    group& operator=(const group&) = delete;

    // Effects: if wait() was not called, requests stop, joins every member, then prints the
    // report of each failure, in order, on stderr. After wait(), nothing more.
    ~group() {
        if (!waited_) {
            request_stop();
            join_all();
#if GODEFER_HAS_EXCEPTIONS
            for (std::size_t i = 0; i < failures_.size(); ++i) report(i);
#endif
        }
#if !defined(__cpp_lib_jthread)
        stop_->source_alive.store(false, std::memory_order_release);
#endif
    }

    // Requires: fn is callable as fn(stop_token, args...) or fn(args...) (decayed copies); not
    // called after wait() returned.
    // Effects: decay-copies fn and args now and starts fn on a new thread of work; when a limit
    // is set, first blocks until fewer than `limit` members run. Callable from any thread,
    // members included.
    // Throws: std::system_error if the thread cannot be started; a godefer::panic_error after
    // wait() returned.
    template <class F, class... A>
    void go(F&& fn, A&&... args) {
        check_callable<F, A...>();
        std::unique_lock<std::mutex> lock(mutex_);
        slot_freed_.wait(lock, [this] { return waited_ || limit_ < 0 || running_ < limit_; });
        start(lock, std::forward<F>(fn), std::forward<A>(args)...);
    }

    // Requires: as go().
    // Effects: as go(), but returns false instead of blocking when the limit is reached (nothing
    // is copied or started then).
    // Returns: whether the member was started.
    template <class F, class... A>
    bool try_go(F&& fn, A&&... args) {
        check_callable<F, A...>();
        std::unique_lock<std::mutex> lock(mutex_);
        if (!waited_ && limit_ >= 0 && running_ >= limit_)
            return false;
        start(lock, std::forward<F>(fn), std::forward<A>(args)...);
        return true;
    }

    // Effects: at most n members run at once from now on (n < 0: no limit; n == 0: go() blocks
    // and try_go() returns false until the limit changes).
    // Throws: a godefer::panic_error when a started member has not finished (the limit cannot
    // change while members run).
    void set_limit(int n) {
        std::unique_lock<std::mutex> lock(mutex_);
        if (running_ > 0) {
            const std::string running = std::to_string(running_);
            lock.unlock();
            godefer::panic(
                "godefer::group::set_limit: the limit cannot change while members run (" + running +
                " running); set it before starting them");
        }
        limit_ = n;
        lock.unlock();
        slot_freed_.notify_all();
    }

    // Requires: called by one thread at a time.
    // Effects: blocks until every member has finished (members started by members included).
    // Throws: the first failure, if any: the same exception object (a godefer::panic_error or
    // the foreign exception), whose report names the member's thread and shows its stack; a
    // godefer::panic_error when called by a member of this group (it would wait for itself).
    void wait() {
        if (detail::t_member_of == this)
            godefer::panic(
                "godefer::group::wait: called by a member of the same group, which "
                "would wait for itself; wait from the thread that owns the group");
        join_all();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            waited_ = true;
        }
        slot_freed_.notify_all();
#if GODEFER_HAS_EXCEPTIONS  // without exceptions a member's panic ends the process: no failures
        if (failures_.empty())
            return;
        std::exception_ptr ep = failures_.front().exception();
        try {
            detail::hand_off_fresh(
                detail::member_failure_entry(failures_.front().record(), failure_threads_.front()),
                ep);
        } catch (...) {  // out of memory: the same exception goes on as a new panic of this thread
        }
        std::rethrow_exception(std::move(ep));
#endif
    }

    // Returns: every failure, in the order recorded; [0] is what wait() rethrows. Complete once
    // wait() returned (or threw).
    const std::vector<panic_value>& failures() const noexcept {
        return failures_;
    }

    // Returns: the group's stop token (stop is requested by the first failure and by the
    // destructor; not by wait()).
    stop_token get_stop_token() const noexcept {
#if defined(__cpp_lib_jthread)
        return stop_.get_token();
#else
        return stop_token(stop_);
#endif
    }

  private:
    template <class F, class... A>
    static constexpr void check_callable() {
        using Fn = std::decay_t<F>;
        static_assert(
            std::is_invocable_v<Fn, stop_token, std::decay_t<A>...> ||
                std::is_invocable_v<Fn, std::decay_t<A>...>,
            "godefer::group::go: fn must be callable as fn(godefer::stop_token, args...) or "
            "fn(args...) with copies of the arguments; check their number and types.");
    }

    void request_stop() noexcept {
#if defined(__cpp_lib_jthread)
        stop_.request_stop();
#else
        stop_->request();
#endif
    }

    // Takes a slot and starts the member (called with the lock held).
    template <class F, class... A>
    void start(std::unique_lock<std::mutex>& lock, F&& fn, A&&... args) {
        if (waited_) {
            lock.unlock();
            godefer::panic("godefer::group::go: the group was already waited for; use a new group");
        }
        ++running_;
        slot_taken taken{this};  // given back if the member cannot be started
        threads_.emplace_back(
            [this, id = detail::next_goroutine_id(), token = get_stop_token()](
                std::decay_t<F> f, std::decay_t<A>... a) mutable {
                detail::this_thread_state().id = id;
                detail::t_member_of = this;
                member(id, token, f, a...);
            },
            std::forward<F>(fn), std::forward<A>(args)...);
        taken.g = nullptr;
    }

    struct slot_taken {
        group* g;
        ~slot_taken() {
            if (g != nullptr)
                --g->running_;
        }
    };

    struct finished {
        group* g;
        ~finished() {
            {
                std::lock_guard<std::mutex> lock(g->mutex_);
                --g->running_;
            }
            g->slot_freed_.notify_all();
        }
    };

    // The body of a member's thread: goexit ends it quietly, cancellation passes, any other
    // exception is a failure (or, for a godefer::panic under on_panic::crash, the end).
    template <class F, class... A>
    GODEFER_DETAIL_NOINLINE GODEFER_DETAIL_NO_SANITIZE_NULL void member(unsigned long id,
                                                                        stop_token& token, F& f,
                                                                        A&... a) {
        finished done{this};
#if GODEFER_HAS_EXCEPTIONS
        const unsigned long entry_epoch = detail::t_context.epoch;
        try {
            call(token, f, a...);
        } catch (const goexit_signal&) {
            // goexit() ended this member: no failure.
        }
#if GODEFER_DETAIL_HAS_FORCED_UNWIND
        catch (abi::__forced_unwind&) {
            throw;
        }
#endif
        catch (const panic_error&) {
            if (policy_ == on_panic::crash)
                detail::crash_thread_of_work(entry_epoch);
            fail(id, entry_epoch);
        } catch (...) {
            fail(id, entry_epoch);
        }
#else
        (void)id;
        call(token, f, a...);
#endif
    }

    template <class F, class... A>
    static void call(stop_token& token, F& f, A&... a) {
        if constexpr (std::is_invocable_v<F, stop_token, A...>)
            std::invoke(std::move(f), std::move(token), std::move(a)...);
        else
            std::invoke(std::move(f), std::move(a)...);
    }

#if GODEFER_HAS_EXCEPTIONS
    // Records the exception being handled as a failure; the first one requests stop. Call inside
    // a catch handler. A failure that cannot be recorded (out of memory) ends the process with
    // its report, as in a godefer::go thread: it is never lost.
    void fail(unsigned long id, unsigned long entry_epoch) noexcept {
        bool recorded = false;
        bool first = false;
        try {
            panic_value v(detail::handled_entry(entry_epoch), std::current_exception());
            std::lock_guard<std::mutex> lock(mutex_);
            failures_.reserve(failures_.size() + 1);
            failure_threads_.reserve(failures_.size() + 1);
            failures_.push_back(std::move(v));
            failure_threads_.push_back(id);
            first = failures_.size() == 1;
            recorded = true;
        } catch (...) {
        }
        // Out here, the exception handled is the member's again: the report is its.
        if (!recorded)
            detail::crash_thread_of_work(entry_epoch);
        if (first)
            request_stop();
    }

#endif

    // Joins every member, members started while joining included.
    void join_all() noexcept {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!threads_.empty()) {
            std::vector<std::thread> batch;
            batch.swap(threads_);
            lock.unlock();
            for (std::thread& t : batch) t.join();
            lock.lock();
        }
    }

#if GODEFER_HAS_EXCEPTIONS
    // Prints the report of failure i on stderr, naming the member's thread.
    void report(std::size_t i) const noexcept {
        std::shared_ptr<detail::panic_record> e;
        try {
            e = detail::member_failure_entry(failures_[i].record(), failure_threads_[i]);
        } catch (...) {
            return detail::print_report(*failures_[i].record());
        }
        detail::report_panic(*e);
    }
#endif

    std::mutex mutex_;
    std::condition_variable slot_freed_;
    std::vector<std::thread> threads_;
    std::vector<panic_value> failures_;
    std::vector<unsigned long> failure_threads_;
#if defined(__cpp_lib_jthread)
    std::stop_source stop_;
#else
    std::shared_ptr<detail::stop_state> stop_;
#endif
    [[maybe_unused]] on_panic policy_;  // read by members only when built with exceptions
    int limit_ = -1;
    int running_ = 0;
    bool waited_ = false;
};

}  // namespace godefer

#endif  // GODEFER_GROUP_HPP
