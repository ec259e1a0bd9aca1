// recovery_log: a burst of full reports per interval, then one suppression line per interval,
// counters, never blocking the request path. Driven by a fake clock.
#include <gtest/gtest.h>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <godefer/recovery_log.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;

struct fake_clock {
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<fake_clock>;
    [[maybe_unused]] static constexpr bool is_steady = true;
    static inline std::atomic<rep> now_ns{0};
    static time_point now() noexcept { return time_point(duration(now_ns.load())); }
    static void advance(std::chrono::nanoseconds d) { now_ns += d.count(); }
};

using test_log = godefer::basic_recovery_log<fake_clock>;

struct lines {
    std::mutex lock;
    std::vector<std::string> all;
    test_log::sink sink() {
        return [this](const std::string& s) {
            std::lock_guard<std::mutex> hold(lock);
            all.push_back(s);
        };
    }
};

// A recovered panic raised at a line of this file.
godefer::panic_value recovered_panic(const char* what) {
    godefer::panic_value out;
    godefer::run([&](frame& f) {
        f.defer([&] { out = godefer::recover(); });
        godefer::panic(what);
    });
    return out;
}

godefer::recovery_log_options manual(std::size_t burst) {
    godefer::recovery_log_options o;
    o.burst = burst;
    o.interval = std::chrono::seconds(1);
    o.writer_thread = false;
    return o;
}

TEST(RecoveryLog, ABurstOfFullReportsThenOneSuppressionLinePerInterval) {
    lines out;
    test_log log(manual(3), out.sink());
    const godefer::panic_value r = recovered_panic("db down");
    for (int i = 0; i < 10; ++i) log.record(r);
    log.flush();
    ASSERT_EQ(out.all.size(), 3u);
    for (const std::string& s : out.all)
        EXPECT_EQ(s.rfind("panic: db down [recovered]\n", 0), 0u) << s;
    EXPECT_EQ(log.recovered(), 10u);
    EXPECT_EQ(log.reported(), 3u);
    EXPECT_EQ(log.suppressed(), 7u);

    fake_clock::advance(std::chrono::seconds(1));  // the interval ends: its line is written
    log.flush();
    ASSERT_EQ(out.all.size(), 4u);
    EXPECT_EQ(out.all[3].rfind("godefer: 7 similar panics suppressed in the last 1s (7 at "
                               "recovery_log_test.cpp:",
                               0),
              0u)
        << out.all[3];

    log.record(r);  // a new interval: a full report again
    log.flush();
    ASSERT_EQ(out.all.size(), 5u);
    EXPECT_EQ(out.all[4].rfind("panic: db down", 0), 0u);
    fake_clock::advance(std::chrono::seconds(5));
    log.flush();  // nothing suppressed in that interval: no line
    EXPECT_EQ(out.all.size(), 5u);
}

TEST(RecoveryLog, TheSuppressionLineCountsEachSite) {
    lines out;
    test_log log(manual(0), out.sink());
    const godefer::panic_value a = recovered_panic("a");
    godefer::panic_value b;
    godefer::run([&](frame& f) {
        f.defer([&] { b = godefer::recover(); });
        throw std::runtime_error("foreign");
    });
    log.record(a);
    log.record(a);
    log.record(b);
    fake_clock::advance(std::chrono::seconds(2));
    log.flush();
    ASSERT_EQ(out.all.size(), 1u);
    EXPECT_NE(out.all[0].find("3 similar panics suppressed"), std::string::npos) << out.all[0];
    EXPECT_NE(out.all[0].find("1 at a C++ exception"), std::string::npos) << out.all[0];
    EXPECT_NE(out.all[0].find("2 at recovery_log_test.cpp:"), std::string::npos) << out.all[0];
}

TEST(RecoveryLog, AnEmptyValueIsIgnoredAndTheQueueLimitSuppresses) {
    lines out;
    godefer::recovery_log_options o = manual(100);
    o.queue_limit = 2;
    test_log log(o, out.sink());
    log.record(godefer::panic_value());
    EXPECT_EQ(log.recovered(), 0u);
    const godefer::panic_value r = recovered_panic("x");
    for (int i = 0; i < 5; ++i) log.record(r);
    EXPECT_EQ(log.suppressed(), 3u);
    log.flush();
    EXPECT_EQ(log.reported(), 2u);
}

TEST(RecoveryLog, TheWriterThreadWritesWithoutFlushAndTheDestructorFlushes) {
    lines out;
    {
        godefer::recovery_log_options o;
        o.burst = 2;
        o.interval = std::chrono::milliseconds(20);
        godefer::basic_recovery_log<> log(o, out.sink());
        const godefer::panic_value r = recovered_panic("threaded");
        log.record(r);
        for (int i = 0; i < 1000 && log.reported() == 0; ++i)  // up to 5 s on a loaded machine
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        EXPECT_EQ(log.reported(), 1u);  // written by the writer thread
        for (int i = 0; i < 5; ++i) log.record(r);
    }
    std::lock_guard<std::mutex> hold(out.lock);
    ASSERT_GE(out.all.size(), 2u);
    EXPECT_EQ(out.all[0].rfind("panic: threaded", 0), 0u);
}

TEST(RecoveryLog, ManyRequestThreadsCountEveryPanic) {
    lines out;
    godefer::recovery_log_options o;
    o.burst = 5;
    godefer::basic_recovery_log<> log(o, out.sink());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 250; ++i) {
                godefer::run([&](frame& f) {
                    f.defer([&] { log.record(godefer::recover()); });
                    godefer::panic(i);
                });
            }
        });
    }
    for (std::thread& t : threads) t.join();
    log.flush();
    EXPECT_EQ(log.recovered(), 1000u);
    EXPECT_EQ(log.reported() + log.suppressed(), 1000u);
    EXPECT_LE(log.reported(), 5u * 2);  // at most two intervals' bursts in this short test
}

TEST(RecoveryLog, ASinkThatThrowsLosesItsTextNotTheLog) {
    int calls = 0;
    std::vector<std::string> written;
    test_log log(manual(5), [&](const std::string& s) {
        if (++calls == 1)
            throw std::runtime_error("disk full");
        written.push_back(s);
    });
    for (const char* what : {"a", "b", "c"}) log.record(recovered_panic(what));
    EXPECT_THROW(log.flush(), std::runtime_error);  // the first report is lost, not the others
    ASSERT_EQ(written.size(), 2u);
    EXPECT_EQ(written[0].rfind("panic: b", 0), 0u);
    EXPECT_EQ(log.reported(), 2u);
    EXPECT_EQ(log.suppressed(), 1u);
    EXPECT_EQ(log.reported() + log.suppressed(), log.recovered());
    log.record(recovered_panic("d"));
    log.flush();
    EXPECT_EQ(written.size(), 3u);
}

TEST(RecoveryLog, AZeroIntervalIsTakenAsOneMillisecond) {
    godefer::recovery_log_options o;
    o.interval = std::chrono::nanoseconds(0);
    godefer::basic_recovery_log<> log(o, [](const std::string&) {});
    log.record(recovered_panic("x"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log.flush();
    EXPECT_EQ(log.reported(), 1u);
}

}  // namespace
