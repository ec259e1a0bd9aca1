// godefer/recovery_log.hpp: log the panics a server recovers, without letting a panic storm
// flood the log or slow the requests down.
//
//   godefer::recovery_log panics;                  // stderr; 10 full reports a second, then a
//   count
//
//   void handle(const request& req, response& res) {
//       godefer::run([&](godefer::frame& f) {
//           f.defer([&] {
//               if (auto r = godefer::recover()) {
//                   res.status = 500;
//                   panics.record(r);              // counts it; never blocks, never throws
//               }
//           });
//           serve(req, res);
//       });
//   }
//
// In each interval (1 s by default) the first `burst` recovered panics are written in full (the
// Go-style report: panic lines, thread, stack); the others are counted, and when the interval
// ends one line says how many were suppressed and where most of them were raised:
//
//   godefer: 19990 similar panics suppressed in the last 1s (19990 at handler.cpp:42)
//
// record() only counts and queues: formatting a report (resolving its stack) and writing it happen
// on the log's writer thread, or in flush() when the log has none. A report that finds the queue
// full, or the log busy with another request's record(), is counted as suppressed. The clock is a
// template parameter, so that tests can drive the intervals.
#ifndef GODEFER_RECOVERY_LOG_HPP
#define GODEFER_RECOVERY_LOG_HPP

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include <godefer/panic.hpp>

namespace godefer {

struct recovery_log_options {
    // Full reports written per interval; the rest of the interval's panics are counted.
    std::size_t burst = 10;
    // The length of an interval (at least 1 ms; shorter is taken as 1 ms).
    std::chrono::nanoseconds interval = std::chrono::seconds(1);
    // Reports waiting to be written; a report that finds the queue full is counted as suppressed.
    std::size_t queue_limit = 64;
    // true: a writer thread formats and writes the reports; false: flush() does, on its caller.
    bool writer_thread = true;
};

template <class Clock = std::chrono::steady_clock>
class basic_recovery_log {
  public:
    // Receives each piece of text to write: a whole report, or a suppression line.
    using sink = std::function<void(const std::string&)>;

    static void write_to_stderr(const std::string& text) {
        std::fwrite(text.data(), 1, text.size(), stderr);
        std::fflush(stderr);
    }

    // Effects: a log writing to `out` (stderr by default) with `options`; starts the writer thread
    // when options.writer_thread. Throws: std::system_error if the thread cannot start.
    explicit basic_recovery_log(recovery_log_options options = {}, sink out = &write_to_stderr)
        : options_(options), out_(std::move(out)), window_start_(Clock::now()) {
        if (options_.interval < std::chrono::milliseconds(1))  // the writer wakes once an interval
            options_.interval = std::chrono::milliseconds(1);
        if (options_.writer_thread)
            writer_ = std::thread([this] { write_loop(); });
    }

    basic_recovery_log(const basic_recovery_log&) = delete;
    basic_recovery_log& operator=(const basic_recovery_log&) = delete;

    // Effects: stops the writer, then writes what is queued and the suppression line of the
    // interval under way (the log's last word on the panics it did not write).
    ~basic_recovery_log() {
        {
            std::lock_guard<std::mutex> hold(lock_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (writer_.joinable())
            writer_.join();
#if GODEFER_HAS_EXCEPTIONS
        try {
            finish();
        } catch (...) {  // a sink that throws at the end loses the rest
        }
#else
        finish();
#endif
    }

    // Effects: counts the recovered panic r and queues its report if the interval's burst is not
    // spent; otherwise counts it as suppressed. An empty r is ignored. Never blocks (a contended
    // log counts the panic as suppressed), never throws.
    void record(const panic_value& r) noexcept {
        if (!r)
            return;
        recovered_.fetch_add(1, std::memory_order_relaxed);
        std::unique_lock<std::mutex> hold(lock_, std::try_to_lock);
        if (!hold.owns_lock()) {
            suppressed_.fetch_add(1, std::memory_order_relaxed);
            lost_to_contention_.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        bool queued = false;
#if GODEFER_HAS_EXCEPTIONS
        try {
#endif
            roll_window_locked(Clock::now());
            if (window_reports_ < options_.burst && queue_.size() < options_.queue_limit) {
                queue_.push_back(r);
                queued = true;
                ++window_reports_;
            } else {
                count_suppressed_locked(r);
            }
#if GODEFER_HAS_EXCEPTIONS
        } catch (...) {  // out of memory: counted, not written
        }
#endif
        if (!queued)
            suppressed_.fetch_add(1, std::memory_order_relaxed);
        hold.unlock();
        if (queued && options_.writer_thread)
            wake_.notify_one();
    }

    // Effects: on the calling thread, ends the interval if it is over (writing its suppression
    // line) and writes every queued report. Throws: what the sink throws.
    void flush() {
        std::unique_lock<std::mutex> hold(lock_);
        roll_window_locked(Clock::now());
        drain_locked(hold);
        // Reports the writer thread took before this call are written when flush() returns.
        idle_.wait(hold, [this] { return writing_ == 0 && queue_.empty() && lines_.empty(); });
    }

    // The panics record() was given.
    std::uint64_t recovered() const noexcept {
        return recovered_.load(std::memory_order_relaxed);
    }
    // Full reports written so far.
    std::uint64_t reported() const noexcept {
        return reported_.load(std::memory_order_relaxed);
    }
    // Panics counted instead of written in full (burst spent, queue full, log busy).
    std::uint64_t suppressed() const noexcept {
        return suppressed_.load(std::memory_order_relaxed);
    }

  private:
    void finish() {
        std::unique_lock<std::mutex> hold(lock_);
        roll_window_locked(Clock::now(), true);
        drain_locked(hold);
    }

    // Ends the interval when `now` is past it (or when `force`, at the end of the log): queues
    // its suppression line.
    void roll_window_locked(typename Clock::time_point now, bool force = false) {
        if (!force && now - window_start_ < options_.interval)
            return;
        const std::uint64_t lost = lost_to_contention_.exchange(0, std::memory_order_relaxed);
        if (window_suppressed_ + lost > 0)
            lines_.push_back(suppression_line(window_suppressed_ + lost));
        window_start_ = now;
        window_reports_ = 0;
        window_suppressed_ = 0;
        window_sites_.clear();
    }

    void count_suppressed_locked(const panic_value& r) {
        ++window_suppressed_;
        const panic_site s = r.site();
        std::string where = s.known()
                                ? std::string(base_name(s.file)) + ':' + std::to_string(s.line)
                                : std::string("a C++ exception");
        if (window_sites_.size() < 16 || window_sites_.count(where) != 0)
            ++window_sites_[where];
    }

    static const char* base_name(const char* path) {
        const char* base = path;
        for (const char* p = path; *p != '\0'; ++p)
            if (*p == '/')
                base = p + 1;
        return base;
    }

    std::string suppression_line(std::uint64_t n) const {
        std::string text = "godefer: " + std::to_string(n) + " similar panic" +
                           (n == 1 ? "" : "s") + " suppressed in the last " + interval_text();
        std::string sites;
        for (const auto& [where, count] : window_sites_) {
            sites += sites.empty() ? " (" : ", ";
            sites += std::to_string(count) + " at " + where;
        }
        if (!sites.empty())
            text += sites + ")";
        return text + "\n";
    }

    std::string interval_text() const {
        const auto ns = options_.interval.count();
        if (ns % 1000000000 == 0)
            return std::to_string(ns / 1000000000) + "s";
        if (ns % 1000000 == 0)
            return std::to_string(ns / 1000000) + "ms";
        return std::to_string(ns) + "ns";
    }

    // Writes the queue and the pending lines, formatting outside the lock.
    void drain_locked(std::unique_lock<std::mutex>& hold) {
        while (!queue_.empty() || !lines_.empty()) {
            std::deque<panic_value> reports;
            std::deque<std::string> lines;
            reports.swap(queue_);
            lines.swap(lines_);
            ++writing_;
            hold.unlock();
            struct relock {  // also when the sink throws
                basic_recovery_log& log;
                std::unique_lock<std::mutex>& hold;
                ~relock() {
                    hold.lock();
                    --log.writing_;
                    log.idle_.notify_all();
                }
            } again{*this, hold};
            // A piece the sink refuses (it throws) is lost, counted as suppressed; the others are
            // still written. The first exception goes on once everything was tried.
            std::exception_ptr failed;
            for (const panic_value& r : reports) {
                if (write(r.report(), failed))
                    reported_.fetch_add(1, std::memory_order_relaxed);
                else
                    suppressed_.fetch_add(1, std::memory_order_relaxed);
            }
            for (const std::string& l : lines) write(l, failed);
            if (failed)
                std::rethrow_exception(failed);
        }
    }

    bool write(const std::string& text, std::exception_ptr& failed) {
#if GODEFER_HAS_EXCEPTIONS
        try {
            out_(text);
            return true;
        } catch (...) {
            if (!failed)
                failed = std::current_exception();
            return false;
        }
#else
        (void)failed;
        out_(text);
        return true;
#endif
    }

    void write_loop() {
        std::unique_lock<std::mutex> hold(lock_);
        while (!stopping_) {
            wake_.wait_for(hold, options_.interval);
            roll_window_locked(Clock::now());
#if GODEFER_HAS_EXCEPTIONS
            try {
                drain_locked(hold);
            } catch (...) {  // a sink that throws loses that piece of text, not the log
            }
#else
            drain_locked(hold);
#endif
        }
    }

    recovery_log_options options_;
    sink out_;
    std::mutex lock_;
    std::condition_variable wake_;
    std::condition_variable idle_;  // no report is being written outside the lock
    int writing_ = 0;
    bool stopping_ = false;
    std::deque<panic_value> queue_;
    std::deque<std::string> lines_;
    typename Clock::time_point window_start_;
    std::size_t window_reports_ = 0;
    std::uint64_t window_suppressed_ = 0;
    std::map<std::string, std::uint64_t> window_sites_;
    std::atomic<std::uint64_t> recovered_{0};
    std::atomic<std::uint64_t> reported_{0};
    std::atomic<std::uint64_t> suppressed_{0};
    std::atomic<std::uint64_t> lost_to_contention_{0};
    std::thread writer_;  // last: started when every member above exists
};

using recovery_log = basic_recovery_log<>;

}  // namespace godefer

#endif  // GODEFER_RECOVERY_LOG_HPP
