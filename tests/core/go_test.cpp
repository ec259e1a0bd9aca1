// godefer::main and godefer::go: exit status, the report, goexit at the boundary (R11, R26, R29).
#include <gtest/gtest.h>
#include <cstdio>
#include <iostream>

#include <godefer/go.hpp>

namespace {

using godefer::frame;

TEST(Main, ReturnsTheBodysIntOrZero) {
    EXPECT_EQ(godefer::main([] {}), 0);
    EXPECT_EQ(godefer::main([](frame&) { return 3; }), 3);
}

TEST(Main, UnrecoveredPanicPrintsTheReportAndReturns2) {
    testing::internal::CaptureStderr();
    int rc = godefer::main([](frame& f) {
        f.defer([] { godefer::panic("B"); });
        f.defer([] {
            (void)godefer::recover();
            godefer::panic("A2");
        });
        godefer::panic("A");
    });
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(rc, 2);
    EXPECT_EQ(
        err.rfind("panic: A [recovered]\n\tpanic: A2\n\tpanic: B\n\ngoroutine 1 [running]:\n", 0),
        0u)
        << err;
}

TEST(Main, ForeignExceptionReport) {
    testing::internal::CaptureStderr();
    int rc = godefer::main([] { throw std::runtime_error("foreign"); });
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(rc, 2);
    EXPECT_EQ(err.rfind("panic: foreign\n\ngoroutine 1 [running]:\n", 0), 0u) << err;
}

TEST(Main, ForeignChainIsKeptAcrossFrames) {
    testing::internal::CaptureStderr();
    int rc = godefer::main([](frame& f) {
        f.defer([] { throw std::runtime_error("second"); });
        godefer::run([](frame& g) {
            g.defer([] { throw std::logic_error("first-replacement"); });
            godefer::panic("first");
        });
    });
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(rc, 2);
    EXPECT_EQ(err.rfind("panic: first\n\tpanic: first-replacement\n\tpanic: second\n\n", 0), 0u)
        << err;
}

TEST(Main, GoexitReachingMainIsAFatalError) {  // R26
    testing::internal::CaptureStderr();
    std::string order;
    int rc = godefer::main([&](frame& f) {
        f.defer([&] { order += "main defer runs"; });
        godefer::goexit();
    });
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(rc, 2);
    EXPECT_EQ(order, "main defer runs");
    EXPECT_EQ(err, "fatal error: no goroutines (main called godefer::goexit) - deadlock!\n");
}

TEST(Go, GoexitEndsTheThreadQuietly) {
    std::string order;
    std::thread t = godefer::go(
        [&](int n) {
            godefer::run([&](frame& f) {
                f.defer([&] { order += "defer " + std::to_string(n); });
                godefer::goexit();
            });
            order += " unreachable";
        },
        7);
    t.join();
    EXPECT_EQ(order, "defer 7");
}

TEST(Go, PanicsAreTheThreadsOwn) {  // R12
    std::string got;
    std::thread t = godefer::go([&] {
        godefer::run([&](frame& f) {
            f.defer([&] { got = godefer::recover().message(); });
            godefer::panic("odd 1");
        });
    });
    t.join();
    EXPECT_EQ(got, "odd 1");
}

TEST(GoDeathTest, UnrecoveredPanicEndsTheProcessWithStatus2) {  // R11
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            std::thread t = godefer::go([] {
                godefer::run([](frame& f) {
                    f.defer([] { std::cout << "worker defer runs" << std::endl; });
                    godefer::panic("worker boom");
                });
            });
            t.join();
            std::exit(0);
        },
        testing::ExitedWithCode(2), "panic: worker boom\n\ngoroutine [0-9]+ \\[running\\]:");
}

}  // namespace
