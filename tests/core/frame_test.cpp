// frame: arguments copied at defer time, LIFO, loops, member pointers, move-only calls, null
// refusal, storage that never moves, a million calls, and the local-frame exception rules.
#include <gtest/gtest.h>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <godefer/frame.hpp>
#include <godefer/gtest.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;
using testing::HasSubstr;

std::vector<std::string> g_log;
void log_int(int v) {
    g_log.push_back(std::to_string(v));
}

TEST(Frame, ArgumentsAreEvaluatedAtDeferTime) {  // R1
    std::vector<std::string> out;
    {
        int x = 1;
        frame f;
        f.defer([&out](int v) { out.push_back("arg " + std::to_string(v)); }, x);
        f.defer([&out, &x] { out.push_back("ref " + std::to_string(x)); });
        x = 3;
    }
    EXPECT_EQ(out, (std::vector<std::string>{"ref 3", "arg 1"}));
}

TEST(Frame, FunctionValueIsEvaluatedAtDeferTime) {  // R1: f := a; defer f(); f = b
    g_log.clear();
    {
        frame f;
        void (*fn)(int) = &log_int;
        f.defer(fn, 1);
        fn = nullptr;
    }
    EXPECT_EQ(g_log, std::vector<std::string>{"1"});
}

TEST(Frame, StdRefPassesAReference) {
    int seen = 0;
    {
        int x = 1;
        frame f;
        f.defer([&seen](int& v) { seen = v; }, std::ref(x));
        x = 7;
    }
    EXPECT_EQ(seen, 7);
}

TEST(Frame, LifoOrderAndLoopsAccumulate) {  // R2, R3
    std::string order;
    {
        frame f;
        for (int i = 0; i < 10; ++i) {
            f.defer([&order](int v) { order += static_cast<char>('0' + v); }, i);
            EXPECT_EQ(f.size(), static_cast<std::size_t>(i + 1));
        }
        {
            f.defer([&order] { order += "|block"; });
        }
        EXPECT_EQ(order, "");  // function-scoped, not block-scoped
        EXPECT_EQ(f.size(), 11u);
    }
    EXPECT_EQ(order, "|block9876543210");
}

struct counter_t {
    int value = 0;
    void add(int n) { value += n; }
    void show(std::string* out) const { *out = std::to_string(value); }
};

TEST(Frame, MemberFunctionPointers) {
    counter_t c;
    std::string by_value;
    {
        frame f;
        f.defer(&counter_t::add, &c, 2);  // pointer: fields read when the call runs
        f.defer(&counter_t::add, std::ref(c), 3);
        f.defer(&counter_t::show, c, &by_value);  // value receiver copied now (R1)
        c.value = 10;
    }
    EXPECT_EQ(by_value, "0");
    EXPECT_EQ(c.value, 15);
}

TEST(Frame, MoveOnlyCallablesAndArguments) {
    int got = 0;
    {
        frame f;
        auto p = std::make_unique<int>(41);
        f.defer([q = std::make_unique<int>(1), &got](std::unique_ptr<int> a) { got = *q + *a; },
                std::move(p));
        EXPECT_EQ(p, nullptr);
    }
    EXPECT_EQ(got, 42);
}

struct tracked {
    static inline int alive = 0;
    static inline int calls = 0;
    tracked() { ++alive; }
    tracked(const tracked&) { ++alive; }
    tracked(tracked&&) noexcept { ++alive; }
    ~tracked() { --alive; }
    void operator()() const { ++calls; }
};

TEST(Frame, EveryStoredCopyIsDestroyedOnceAndCalledOnce) {
    tracked::alive = 0;
    tracked::calls = 0;
    {
        frame f;
        tracked t;
        for (int i = 0; i < 100; ++i) f.defer(t);
        f.defer(tracked{});
        EXPECT_EQ(tracked::alive, 102);
    }
    EXPECT_EQ(tracked::alive, 0);
    EXPECT_EQ(tracked::calls, 101);
}

// Records where it lives when deferred and when called: spilling must never move it.
struct address_check {
    const void** at_defer;
    std::vector<const void*>* at_call;
    char pad[40];
    address_check(const void** a, std::vector<const void*>* c) : at_defer(a), at_call(c), pad{} {}
    address_check(address_check&& o) noexcept : at_defer(o.at_defer), at_call(o.at_call), pad{} {
        *at_defer = this;
    }
    address_check(const address_check&) = delete;
    void operator()() { at_call->push_back(this); }
};

TEST(Frame, StoredCallsNeverMoveWhenTheFrameSpills) {
    constexpr int n = 5000;
    std::vector<const void*> deferred_at(static_cast<std::size_t>(n));
    std::vector<const void*> called_at;
    {
        frame f;
        for (std::size_t i = 0; i < deferred_at.size(); ++i)
            f.defer(address_check(&deferred_at[i], &called_at));
    }
    ASSERT_EQ(called_at.size(), static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < deferred_at.size(); ++i)
        EXPECT_EQ(called_at[deferred_at.size() - 1 - i], deferred_at[i]);
}

TEST(Frame, AMillionPendingCallsDrainInLifoOrder) {
    constexpr long n = 1'000'000;
    long expected = n - 1;
    long wrong = 0;
    {
        frame f;
        for (long i = 0; i < n; ++i)
            f.defer([&expected, &wrong](long v) { wrong += (v != expected--); }, i);
        EXPECT_EQ(f.size(), static_cast<std::size_t>(n));
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(expected, -1);
}

TEST(Frame, CallsDeferredWhileDrainingRunBeforeOlderOnes) {
    std::string order;
    {
        frame f;
        f.defer([&] { order += "1"; });
        f.defer([&] {
            order += "2";
            f.defer([&] { order += "n"; });
        });
    }
    EXPECT_EQ(order, "2n1");
}

void null_fn(int) {}

TEST(Frame, NullCallablesAreRefusedAtTheDeferCall) {
    const auto refused = [](auto&& make_defer) {
        godefer::run([&](frame& f) {
            make_defer(f);
            ADD_FAILURE() << "the defer call returned";
        });
    };
    EXPECT_PANIC(refused([](frame& f) { f.defer(std::function<void()>{}); }), godefer::defer_error);
    EXPECT_PANIC(refused([](frame& f) { f.defer(std::function<void()>{}); }),
                 std::invalid_argument);
    EXPECT_PANIC_MESSAGE(refused([](frame& f) { f.defer(static_cast<void (*)(int)>(nullptr), 1); }),
                         HasSubstr("null function pointer"));
    EXPECT_PANIC_MESSAGE(refused([](frame& f) {
                             f.defer(static_cast<void (counter_t::*)(int)>(nullptr), counter_t{},
                                     1);
                         }),
                         HasSubstr("null member pointer"));
    EXPECT_PANIC_MESSAGE(refused([](frame& f) { f.defer(std::function<void()>{}); }),
                         HasSubstr("empty function object"));
    EXPECT_PANIC_MESSAGE(
        refused([](frame& f) { f.defer(&counter_t::add, static_cast<counter_t*>(nullptr), 1); }),
        HasSubstr("null object pointer"));
    EXPECT_PANIC_MESSAGE(
        refused([](frame& f) { f.defer(&counter_t::add, std::shared_ptr<counter_t>{}, 1); }),
        HasSubstr("null object pointer"));
    // Non-null ones are accepted.
    EXPECT_NO_PANIC(godefer::run([](frame& f) { f.defer(&null_fn, 1); }));
}

struct throwing_copy {
    static inline int copies_allowed = 0;
    throwing_copy() = default;
    throwing_copy(const throwing_copy&) {
        if (copies_allowed-- <= 0)
            throw std::runtime_error("copy failed");
    }
};

TEST(Frame, ThrowingArgumentCopyCallsAtOnceAndRethrows) {
    std::vector<std::string> order;
    try {
        frame f;
        f.defer([&order] { order.push_back("older"); });
        throwing_copy::copies_allowed = 0;
        throwing_copy arg;
        f.defer([&order](const throwing_copy&) { order.push_back("called at once"); }, arg);
        order.push_back("not reached");
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "copy failed");
        order.push_back("caught");
    }
    EXPECT_EQ(order, (std::vector<std::string>{"called at once", "older", "caught"}));
}

TEST(LocalFrame, ThrowingCallDuringNormalExitRunsTheRestThenTheLastPropagates) {
    std::vector<std::string> order;
    try {
        frame f;
        f.defer([&] { order.push_back("1"); });
        f.defer([] { throw std::runtime_error("first"); });
        f.defer([&] { order.push_back("3"); });
        f.defer([] { throw std::logic_error("second"); });
    } catch (const std::runtime_error& e) {
        order.push_back(std::string("caught ") + e.what());
    } catch (const std::logic_error& e) {
        order.push_back(std::string("wrong ") + e.what());
    }
    EXPECT_EQ(order, (std::vector<std::string>{"3", "1", "caught first"}));
}

TEST(LocalFrame, RecoverIsEmptyInALocalFrame) {
    bool recovered = false;
    try {
        frame f;
        f.defer([&] { recovered = static_cast<bool>(godefer::recover()); });
        godefer::panic("boom");
    } catch (const godefer::panic_error& e) {
        EXPECT_STREQ(e.what(), "boom");
    }
    EXPECT_FALSE(recovered);
}

TEST(LocalFrameDeathTest, ThrowingWhileUnwindingTerminatesAfterTheRemainingCalls) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            try {
                frame f;
                f.defer([] { std::fputs("remaining call ran\n", stderr); });
                f.defer([] { throw std::runtime_error("close failed"); });
                godefer::panic("disk full");
            } catch (...) {
            }
        },
        "remaining call ran(.|\n)*close failed(.|\n)*disk full");
}

}  // namespace
