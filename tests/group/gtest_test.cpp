// <godefer/gtest.hpp>: EXPECT_/ASSERT_PANIC, _PANIC_MESSAGE, _NO_PANIC, _GOEXIT — what passes,
// the failure messages (gtest-spi.h), one evaluation, nothing escapes, any thread, inside the
// deferred calls of a panicking frame.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <atomic>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <godefer/frame.hpp>
#include <godefer/gtest.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;
using testing::HasSubstr;

struct base_error {
    int code = 0;
};
struct derived_error : base_error {};

void panics_with_int() {
    godefer::panic(7);
}
void throws_runtime_error() {
    throw std::runtime_error("disk full");
}
void returns_normally() {}
void calls_goexit() {
    godefer::run([](frame& f) {
        f.defer([] {});
        godefer::goexit();
    });
}

TEST(GtestPanic, PassesForThePanicsValueTypeOrABase) {
    EXPECT_PANIC(panics_with_int(), int);
    ASSERT_PANIC(panics_with_int(), int);
    EXPECT_PANIC(godefer::panic("text"), std::string);
    EXPECT_PANIC(throws_runtime_error(), std::runtime_error);
    EXPECT_PANIC(throws_runtime_error(), std::exception);  // a public base, like a catch clause
    EXPECT_PANIC(godefer::panic(derived_error{}), base_error);
    EXPECT_PANIC(godefer::panic(nullptr), godefer::nil_panic_error);
    EXPECT_PANIC(
        {
            int x = 1;
            if (x == 1)
                godefer::panic(x);
        },
        int);  // a braced block
}

TEST(GtestPanic, FailsWhenItDoesNotPanic) {
    EXPECT_NONFATAL_FAILURE(EXPECT_PANIC(returns_normally(), int),
                            "Expected: returns_normally() panics with a value of type int.\n"
                            "  Actual: it does not panic.");
    EXPECT_FATAL_FAILURE(ASSERT_PANIC(returns_normally(), int), "Actual: it does not panic.");
}

TEST(GtestPanic, FailsWithTheActualTypeAndMessage) {
    EXPECT_NONFATAL_FAILURE(EXPECT_PANIC(throws_runtime_error(), std::logic_error),
                            "  Actual: it panics with std::runtime_error: disk full.");
    EXPECT_NONFATAL_FAILURE(EXPECT_PANIC(godefer::panic("boom"), int),
                            "  Actual: it panics with std::string: boom.");
    EXPECT_FATAL_FAILURE(ASSERT_PANIC(panics_with_int(), std::string),
                         "Actual: it panics with int: 7.");
}

TEST(GtestPanic, FailsWhenItCallsGoexit) {
    EXPECT_NONFATAL_FAILURE(EXPECT_PANIC(calls_goexit(), int),
                            "  Actual: it calls godefer::goexit() (a goexit is not a panic).");
}

TEST(GtestPanicMessage, PlainStringMeansEquality) {
    EXPECT_PANIC_MESSAGE(godefer::panic("exact"), "exact");
    ASSERT_PANIC_MESSAGE(throws_runtime_error(), std::string("disk full"));
    EXPECT_NONFATAL_FAILURE(EXPECT_PANIC_MESSAGE(godefer::panic("exact!"), "exact"),
                            "Expected: godefer::panic(\"exact!\") panics with a message that is "
                            "equal to \"exact\".\n  Actual: it panics with std::string: exact!.");
}

TEST(GtestPanicMessage, AnyMatcher) {
    EXPECT_PANIC_MESSAGE(throws_runtime_error(), HasSubstr("full"));
    EXPECT_PANIC_MESSAGE(panics_with_int(), testing::AnyOf("6", "7"));
    EXPECT_NONFATAL_FAILURE(EXPECT_PANIC_MESSAGE(throws_runtime_error(), HasSubstr("empty")),
                            "panics with a message that has substring \"empty\"");
    EXPECT_NONFATAL_FAILURE(
        EXPECT_PANIC_MESSAGE(godefer::panic("abc"), testing::SizeIs(5)),
        "  Actual: it panics with std::string: abc.\n  Which: whose size 3 doesn't match");
    EXPECT_FATAL_FAILURE(ASSERT_PANIC_MESSAGE(returns_normally(), "x"),
                         "  Actual: it does not panic.");
    EXPECT_FATAL_FAILURE(ASSERT_PANIC_MESSAGE(calls_goexit(), "x"),
                         "  Actual: it calls godefer::goexit() (a goexit is not a panic).");
}

TEST(GtestNoPanic, PassesAndFails) {
    EXPECT_NO_PANIC(returns_normally());
    ASSERT_NO_PANIC(godefer::run([](frame& f) {
        f.defer([] { (void)godefer::recover(); });
        godefer::panic("recovered inside");
    }));
    EXPECT_NONFATAL_FAILURE(EXPECT_NO_PANIC(panics_with_int()),
                            "Expected: panics_with_int() does not panic.\n"
                            "  Actual: it panics with int: 7.");
    EXPECT_FATAL_FAILURE(ASSERT_NO_PANIC(calls_goexit()),
                         "  Actual: it calls godefer::goexit() (a goexit is not a panic).");
}

TEST(GtestGoexit, PassesAndFails) {
    EXPECT_GOEXIT(godefer::goexit());
    ASSERT_GOEXIT(calls_goexit());
    EXPECT_NONFATAL_FAILURE(EXPECT_GOEXIT(returns_normally()),
                            "Expected: returns_normally() calls godefer::goexit().\n"
                            "  Actual: it returns normally.");
    EXPECT_FATAL_FAILURE(ASSERT_GOEXIT(throws_runtime_error()),
                         "  Actual: it panics with std::runtime_error: disk full.");
}

struct unprintable {
    friend std::ostream& operator<<(std::ostream&, const unprintable&) {
        throw std::runtime_error("cannot print");
    }
};

TEST(GtestMacros, AMessageThatThrowsIsReportedNotThrown) {
    EXPECT_PANIC(godefer::panic(unprintable{}), unprintable);
    EXPECT_NONFATAL_FAILURE(EXPECT_PANIC(godefer::panic(unprintable{}), int),
                            "(message() throws: cannot print).");
    EXPECT_NONFATAL_FAILURE(EXPECT_PANIC_MESSAGE(godefer::panic(unprintable{}), testing::_),
                            "(message() throws: cannot print).");
}

TEST(GtestMacros, EvaluateTheStatementOnce) {
    int n = 0;
    EXPECT_PANIC(++n; godefer::panic(n), int);
    EXPECT_PANIC_MESSAGE(++n; godefer::panic(n), "2");
    EXPECT_NO_PANIC(++n);
    EXPECT_GOEXIT(++n; godefer::goexit());
    EXPECT_EQ(n, 4);
}

bool reached_after_assert = false;

void assert_then_continue() {
    ASSERT_NO_PANIC(godefer::panic(1));
    reached_after_assert = true;
}

TEST(GtestMacros, AFatalFailureReturnsFromTheFunction) {
    EXPECT_FATAL_FAILURE(assert_then_continue(), "it panics with int: 1.");
    EXPECT_FALSE(reached_after_assert);
}

TEST(GtestMacros, WorkInsideTheDeferredCallsOfAPanickingFrame) {
    std::string outer;
    godefer::run([&](frame& f) {
        f.defer([&] { outer = godefer::recover().message(); });  // still recoverable
        f.defer([] {
            EXPECT_PANIC_MESSAGE(godefer::panic("inner"), "inner");
            EXPECT_NO_PANIC(returns_normally());
            EXPECT_GOEXIT(godefer::goexit());
            EXPECT_PANIC(throws_runtime_error(), std::runtime_error);
        });
        godefer::panic("outer");
    });
    EXPECT_EQ(outer, "outer");
}

TEST(GtestMacros, WorkOnAnyThread) {
    std::vector<std::thread> threads;
    std::atomic<int> checked{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                EXPECT_PANIC_MESSAGE(godefer::panic(t * 100 + i), std::to_string(t * 100 + i));
                EXPECT_GOEXIT(godefer::goexit());
                ++checked;
            }
        });
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(checked.load(), 200);
}

TEST(GtestMacros, AreSingleStatementsInIfElse) {
    bool flag = true;
    if (flag)
        EXPECT_NO_PANIC(returns_normally());
    else
        EXPECT_PANIC(returns_normally(), int);
}

}  // namespace
