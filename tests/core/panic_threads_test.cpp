// Panic state is per thread: many threads panic and recover at once (run under TSan in CI).
#include <gtest/gtest.h>
#include <pthread.h>
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;

TEST(Threads, RecoverOnAnotherThreadIsEmpty) {  // R10
    bool other_saw = true;
    bool own_saw = false;
    godefer::run([&](frame& f) {
        f.defer([&] { own_saw = static_cast<bool>(godefer::recover()); });
        f.defer([&] {
            std::thread t([&] { other_saw = static_cast<bool>(godefer::recover()); });
            t.join();
        });
        godefer::panic("boom");
    });
    EXPECT_FALSE(other_saw);
    EXPECT_TRUE(own_saw);
}

TEST(Threads, SixteenThreadsPanicAndRecoverAtOnce) {
    constexpr int threads = 16;
    constexpr int cycles = 10'000;
    bool capture = godefer::set_stacktrace_capture(false);
    std::atomic<long> recovered{0};
    std::atomic<long> wrong{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < cycles; ++i) {
                int value = t * cycles + i;
                int got = godefer::run([&](frame& f) -> int {
                    f.defer([&] {
                        auto r = godefer::recover();
                        bool ok = (i % 2 == 0)
                                      ? (r.get_if<int>() != nullptr && *r.get_if<int>() == value)
                                      : (r.get_if<std::runtime_error>() != nullptr);
                        if (!ok)
                            wrong.fetch_add(1);
                        recovered.fetch_add(1, std::memory_order_relaxed);
                    });
                    if (i % 2 == 0)
                        godefer::panic(value);
                    throw std::runtime_error("foreign");  // odd cycles: a foreign exception
                });
                if (got != 0)
                    wrong.fetch_add(1);
            }
        });
    }
    for (auto& th : pool) th.join();
    godefer::set_stacktrace_capture(capture);
    EXPECT_EQ(recovered.load(), static_cast<long>(threads) * cycles);
    EXPECT_EQ(wrong.load(), 0);
}

TEST(Threads, CancellationPassesThroughRunFramesLikeAGoexit) {
    std::vector<std::string> order;
    std::thread t([&] {
        godefer::run([&](frame& outer) {
            outer.defer([&] { order.push_back("outer call"); });
            godefer::run([&](frame& f) {
                f.defer(
                    [&] { order.push_back(godefer::recover() ? "recovered" : "inner call, nil"); });
                pthread_exit(nullptr);  // unwinds with abi::__forced_unwind
            });
            order.push_back("unreachable");
        });
    });
    t.join();
    EXPECT_EQ(order, (std::vector<std::string>{"inner call, nil", "outer call"}));
}

TEST(Threads, CancellationEndsAGoThreadWithoutAReport) {
    std::vector<std::string> order;
    std::thread t = godefer::go([&] {
        godefer::run([&](frame& f) {
            f.defer([&] { order.push_back("call runs"); });
            pthread_exit(nullptr);
        });
    });
    t.join();
    EXPECT_EQ(order, std::vector<std::string>{"call runs"});
}

}  // namespace
