// Deferred calls that throw, at every position and in every combination.
//
// run frames (Go's R16-R18, R21): N calls, any subset of them throws (a godefer panic or
// a foreign C++ exception), with and without a panic in flight when the calls start. Each time:
// every call ran once, newest first (nothing skipped); the last thrower is the panic that leaves
// (or that recover() sees), and the chain under it, through panic_value::aborted() and the report
// lines, lists the earlier throwers newest first, then the panic of the body. Never terminate.
//
// Local frames: on a normal exit the remaining calls run, then the last exception
// propagates; while an exception unwinds, the remaining calls run, then std::terminate with a
// message naming the call's exception and the godefer panic being unwound (death tests).
#include <gtest/gtest.h>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/run.hpp>

#include "coverage_dump.hpp"

namespace {

using godefer::frame;

struct foreign_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

constexpr int kCalls = 6;

enum class in_flight { none, panic, foreign };
enum class thrower_kind { alternate, all_panic, all_foreign };
enum class recovery { none, same_frame, outer_frame };

const char* name(in_flight k) {
    return k == in_flight::none ? "none" : k == in_flight::panic ? "panic" : "foreign";
}

bool throws_foreign(thrower_kind k, int i) {
    return k == thrower_kind::all_foreign || (k == thrower_kind::alternate && i % 2 == 1);
}

[[noreturn]] void raise_at(thrower_kind k, int i) {
    std::string v = "t" + std::to_string(i);
    if (throws_foreign(k, i))
        throw foreign_error(v);
    godefer::panic(v);
}

std::string chain_of(const godefer::panic_value& r) {
    std::string s;
    for (godefer::panic_value a = r; a; a = a.aborted()) s += (s.empty() ? "" : "<") + a.message();
    return s;
}

struct expectation {
    std::vector<int> ran;  // call indices in the order they ran
    std::string chain;     // newest first, "<"-separated; empty: nothing panicked
    bool final_foreign = false;
    std::string report;  // the report's panic lines (oldest first)
};

expectation expect(unsigned mask, in_flight flight, thrower_kind kind) {
    expectation e;
    std::vector<std::string> oldest_first;
    if (flight != in_flight::none)
        oldest_first.push_back("p0");
    e.final_foreign = flight == in_flight::foreign;
    for (int i = kCalls - 1; i >= 0; --i) {
        e.ran.push_back(i);
        if (mask & (1u << i)) {
            oldest_first.push_back("t" + std::to_string(i));
            e.final_foreign = throws_foreign(kind, i);
        }
    }
    for (auto it = oldest_first.rbegin(); it != oldest_first.rend(); ++it)
        e.chain += (e.chain.empty() ? "" : "<") + *it;
    for (std::size_t i = 0; i < oldest_first.size(); ++i)
        e.report += std::string(i ? "\t" : "") + "panic: " + oldest_first[i] + "\n";
    return e;
}

long g_cases = 0;
long g_calls_verified = 0;

// One run frame: kCalls calls, those in `mask` throw; the body panics (or not) after deferring.
void run_case(unsigned mask, in_flight flight, thrower_kind kind, recovery rec) {
    SCOPED_TRACE(testing::Message()
                 << "mask " << mask << ", in flight " << name(flight) << ", kind "
                 << static_cast<int>(kind) << ", recovery " << static_cast<int>(rec));
    const expectation want = expect(mask, flight, kind);
    std::vector<int> ran;
    std::string recovered = "not called";
    std::string escaped_chain;
    std::string escaped_report;
    bool escaped_foreign = false;
    int result = -1;
    bool returned = false;

    auto inner = [&](frame& f) -> int {
        if (rec == recovery::same_frame)
            f.defer([&] { recovered = chain_of(godefer::recover()); });
        for (int i = 0; i < kCalls; ++i)
            f.defer([&, i] {
                ran.push_back(i);
                if (mask & (1u << i))
                    raise_at(kind, i);
            });
        if (flight == in_flight::panic)
            godefer::panic("p0");
        if (flight == in_flight::foreign)
            throw foreign_error("p0");
        return 7;
    };
    const unsigned long entry_epoch = godefer::detail::t_context.epoch;
    try {
        if (rec == recovery::outer_frame) {
            godefer::run([&](frame& outer) {
                outer.defer([&] { recovered = chain_of(godefer::recover()); });
                result = godefer::run(inner);
                returned = true;
            });
        } else {
            result = godefer::run(inner);
            returned = true;
        }
    } catch (const godefer::goexit_signal&) {
        ADD_FAILURE() << "goexit?";
    } catch (...) {
        try {
            throw;
        } catch (const foreign_error&) {
            escaped_foreign = true;
        } catch (const godefer::panic_error& e) {
            escaped_chain = chain_of(e.value());
        } catch (...) {
            ADD_FAILURE() << "unexpected exception type";
        }
        auto r = godefer::detail::handled_entry(entry_epoch);
        escaped_report = godefer::detail::panic_lines(*r);
        if (escaped_foreign)
            escaped_chain = chain_of(godefer::panic_value(r));
    }

    std::vector<int> want_ran = want.ran;
    ASSERT_EQ(ran, want_ran) << "every call runs once, newest first";
    g_calls_verified += static_cast<long>(ran.size());
    ++g_cases;
    const bool panicked = !want.chain.empty();
    switch (rec) {
        case recovery::none:
            if (!panicked) {
                EXPECT_TRUE(returned);
                EXPECT_EQ(result, 7);
                return;
            }
            EXPECT_FALSE(returned);
            EXPECT_EQ(escaped_foreign, want.final_foreign);
            EXPECT_EQ(escaped_chain, want.chain);
            EXPECT_EQ(escaped_report, want.report);
            return;
        case recovery::same_frame:
            EXPECT_TRUE(returned);
            EXPECT_EQ(recovered, want.chain);
            // R13 / R21: a value-initialised result, unless the body had returned.
            EXPECT_EQ(result, flight == in_flight::none ? 7 : 0);
            return;
        case recovery::outer_frame:
            EXPECT_EQ(returned, !panicked);
            EXPECT_EQ(recovered, want.chain);
            if (!panicked) {
                EXPECT_EQ(result, 7);
            }
            return;
    }
}

TEST(ThrowingCalls, RunFrameEverySubsetOfThrowingCalls) {
    bool capture = godefer::set_stacktrace_capture(false);
    for (unsigned mask = 0; mask < (1u << kCalls); ++mask)
        for (in_flight flight : {in_flight::none, in_flight::panic, in_flight::foreign})
            for (thrower_kind kind :
                 {thrower_kind::alternate, thrower_kind::all_panic, thrower_kind::all_foreign})
                for (recovery rec : {recovery::none, recovery::same_frame, recovery::outer_frame})
                    run_case(mask, flight, kind, rec);
    godefer::set_stacktrace_capture(capture);
    std::cout << "[throwing calls] " << g_cases << " run frames, " << g_calls_verified
              << " calls verified, never std::terminate\n";
    RecordProperty("run_frames", static_cast<int>(g_cases));
    RecordProperty("calls_verified", static_cast<int>(g_calls_verified));
}

// The regression the model test found: a foreign exception recovered, then a later call's new
// foreign exception must leave run as itself (the new record may reuse the freed one's address).
TEST(ThrowingCalls, ANewForeignExceptionAfterARecoveredOneLeavesAsItself) {
    for (int round = 0; round < 100; ++round) {
        try {
            godefer::run([](frame& f) {
                f.defer([] { throw foreign_error("second"); });
                f.defer([] { EXPECT_EQ(godefer::recover().message(), "first"); });
                throw foreign_error("first");
            });
            FAIL() << "no exception left run";
        } catch (const foreign_error& e) {
            ASSERT_STREQ(e.what(), "second");
        }
    }
}

// --- Local frames -------------------------------------------------------------------------------

TEST(ThrowingCalls, LocalFrameNormalExitEverySubset) {
    long cases = 0;
    for (unsigned mask = 1; mask < (1u << kCalls); ++mask) {
        for (thrower_kind kind : {thrower_kind::alternate, thrower_kind::all_panic}) {
            std::vector<int> ran;
            std::string caught;
            try {
                frame f;
                for (int i = 0; i < kCalls; ++i)
                    f.defer([&ran, mask, kind, i] {
                        ran.push_back(i);
                        if (mask & (1u << i))
                            raise_at(kind, i);
                    });
            } catch (const std::exception& e) {
                caught = e.what();
            }
            int last = 0;
            while (!(mask & (1u << last))) ++last;  // the lowest index runs last
            std::vector<int> want;
            for (int i = kCalls - 1; i >= 0; --i) want.push_back(i);
            ASSERT_EQ(ran, want) << "mask " << mask;
            ASSERT_EQ(caught, "t" + std::to_string(last)) << "mask " << mask;
            ++cases;
        }
    }
    RecordProperty("local_frames", static_cast<int>(cases));
}

class LocalFrameDeathTest : public testing::TestWithParam<int> {
  protected:
    void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// Destroyed while `what_unwinds` unwinds; the calls in `throwing` throw foreign_error("t<i>").
void unwind_through_local_frame(unsigned throwing, bool godefer_panic_unwinds) {
    godefer_test::dump_coverage_on_abort();
    try {
        frame f;
        for (int i = 0; i < kCalls; ++i)
            f.defer([throwing, i] {
                std::fprintf(stderr, "call %d ran\n", i);
                if (throwing & (1u << i))
                    throw foreign_error("t" + std::to_string(i));
            });
        if (godefer_panic_unwinds)
            godefer::panic("p0");
        throw std::logic_error("p0");
    } catch (...) {
    }
}

std::string ran_regex() {
    std::string r;
    for (int i = kCalls - 1; i >= 0; --i) r += "call " + std::to_string(i) + " ran\n";
    return r;
}

TEST_P(LocalFrameDeathTest, ThrowingWhileAGodeferPanicUnwindsNamesBoth) {
    const int i = GetParam();
    EXPECT_DEATH(unwind_through_local_frame(1u << i, true),
                 ran_regex() + "(.|\n)*threw \\(t" + std::to_string(i) +
                     "\\) while another exception was unwinding \\(the last godefer panic on "
                     "this thread: \"panic: p0\"\\)(.|\n)*std::terminate");
}

TEST_P(LocalFrameDeathTest, ThrowingWhileAForeignExceptionUnwindsNamesTheCallsException) {
    const int i = GetParam();
    EXPECT_DEATH(unwind_through_local_frame(1u << i, false),
                 ran_regex() + "(.|\n)*threw \\(t" + std::to_string(i) +
                     "\\) while another exception was unwinding; calling std::terminate");
}

INSTANTIATE_TEST_SUITE_P(EveryPosition, LocalFrameDeathTest, testing::Range(0, kCalls));

TEST(LocalFrameDeathTest, SeveralThrowingCallsWhileUnwindingNameTheLastOne) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(unwind_through_local_frame(0b101010u, true),
                 ran_regex() + "(.|\n)*threw \\(t1\\) while another exception was unwinding");
}

}  // namespace
