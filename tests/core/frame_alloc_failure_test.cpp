// Storage failure: the k-th allocation fails, for every k. A registered call always runs exactly
// once, in LIFO order; the call whose storage failed runs at once; the error surfaces.
#include <gtest/gtest.h>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/run.hpp>

namespace {
long g_countdown = -1;       // fail when it reaches 0; negative: never
bool g_every_after = false;  // once one has failed, fail every later one too
// Blocks of 1 KiB or more (the frame's heap chunks; godefer's panic records are smaller) made
// and not freed yet.
void* g_big[64] = {};
long g_live = 0;
void note_new(void* p, std::size_t n) {
    if (n < 1024)
        return;
    for (void*& slot : g_big)
        if (slot == nullptr) {
            slot = p;
            ++g_live;
            return;
        }
}
void note_delete(void* p) {
    if (p == nullptr)
        return;
    for (void*& slot : g_big)
        if (slot == p) {
            slot = nullptr;
            --g_live;
            return;
        }
}
}  // namespace

// The replacement pair allocates with malloc and frees with free; GCC cannot see that they match.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
    if (g_countdown >= 0 && g_countdown-- == 0) {
        if (g_every_after)
            g_countdown = 0;
        throw std::bad_alloc();
    }
    if (void* p = std::malloc(n ? n : 1)) {
        note_new(p, n);
        return p;
    }
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    note_delete(p);
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    note_delete(p);
    std::free(p);
}

namespace {

using godefer::frame;

struct arm {
    explicit arm(long k) { g_countdown = k; }
    ~arm() { g_countdown = -1; }
};

// Defers n calls in a loop; each records its index when it runs.
void defer_many(frame& f, int n, std::vector<int>& ran) {
    for (int i = 0; i < n; ++i) f.defer([&ran](int v) { ran.push_back(v); }, i);
}

TEST(AllocationFailure, LocalFrameSweep) {
    constexpr int n = 300;  // spills into several chunks
    int failures_seen = 0;
    for (long k = 0; k < 64; ++k) {
        std::vector<int> ran;
        ran.reserve(n + 1);
        bool failed = false;
        try {
            frame f;
            arm a(k);
            defer_many(f, n, ran);
        } catch (const std::bad_alloc&) {
            failed = true;
        }
        if (!failed) {
            ASSERT_EQ(ran.size(), static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) ASSERT_EQ(ran[static_cast<std::size_t>(i)], n - 1 - i);
            break;  // k is past the last allocation: the sweep is complete
        }
        ++failures_seen;
        // The failing call ran at once, then the registered ones in LIFO order, each once.
        ASSERT_FALSE(ran.empty());
        int at_once = ran.front();
        ASSERT_EQ(ran.size(), static_cast<std::size_t>(at_once + 1));
        for (int i = 1; i <= at_once; ++i) ASSERT_EQ(ran[static_cast<std::size_t>(i)], at_once - i);
    }
    EXPECT_GT(failures_seen, 2);
}

TEST(AllocationFailure, RunFrameWithPanicSweep) {
    constexpr int n = 100;
    bool capture = godefer::set_stacktrace_capture(false);
    int completed = 0;
    for (long k = 0; k < 64 && completed == 0; ++k) {
        std::vector<int> ran;
        ran.reserve(n + 1);
        std::string outcome;
        try {
            godefer::run([&](frame& f) {
                f.defer([&] {
                    if (auto r = godefer::recover())
                        outcome = "recovered " + r.message();
                });
                arm a(k);
                defer_many(f, n, ran);
                godefer::panic("boom");
            });
        } catch (const std::bad_alloc&) {
            outcome = "bad_alloc";
        }
        // Whatever failed, every registered call ran exactly once, newest first.
        ASSERT_FALSE(outcome.empty());
        if (ran.size() == static_cast<std::size_t>(n) && outcome == "recovered boom") {
            for (int i = 0; i < n; ++i) ASSERT_EQ(ran[static_cast<std::size_t>(i)], n - 1 - i);
            ++completed;
            continue;
        }
        if (!ran.empty() && ran.size() != static_cast<std::size_t>(n)) {
            int at_once = ran.front();
            ASSERT_EQ(ran.size(), static_cast<std::size_t>(at_once + 1));
            for (int i = 1; i <= at_once; ++i)
                ASSERT_EQ(ran[static_cast<std::size_t>(i)], at_once - i);
        }
        // A bad_alloc is a panic like any other: the frame's recover call stopped it.
        EXPECT_EQ(outcome, "recovered std::bad_alloc");
    }
    godefer::set_stacktrace_capture(capture);
    EXPECT_EQ(completed, 1);
}

}  // namespace

namespace {

// An argument whose copy throws on demand (the storage of the call fails while copying it).
struct copy_bomb {
    static inline bool armed = false;
    int value = 7;
    copy_bomb() = default;
    copy_bomb(const copy_bomb& o) : value(o.value) {
        if (armed)
            throw std::runtime_error("copy failed");
    }
    copy_bomb(copy_bomb&&) noexcept = default;
};

struct bomb_guard {
    bomb_guard() { copy_bomb::armed = true; }
    ~bomb_guard() { copy_bomb::armed = false; }
};

TEST(AllocationFailure, TheCallMadeAtOnceGetsItsMoveOnlyPartsWhenACopyThrows) {
    // A move-only callable and a moved argument next to an argument whose copy throws: the call
    // made at once must see the real unique_ptrs, not moved-from ones.
    std::vector<int> seen;
    try {
        frame f;
        auto owned = std::make_unique<int>(41);
        auto callable = [p = std::make_unique<int>(1), &seen](std::unique_ptr<int> arg,
                                                              const copy_bomb& b) {
            seen.push_back(p ? *p : -1);
            seen.push_back(arg ? *arg : -1);
            seen.push_back(b.value);
        };
        copy_bomb b;
        bomb_guard armed;
        f.defer(std::move(callable), std::move(owned), b);
        ADD_FAILURE() << "the copy should have thrown";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "copy failed");
    }
    EXPECT_EQ(seen, (std::vector<int>{1, 41, 7}));
}

TEST(AllocationFailure, TheCallMadeAtOnceGetsItsMoveOnlyPartsWhenStorageFails) {
    // Storage fails (allocation) after the copies: the move-only parts are still the real ones.
    for (long k = 0; k < 8; ++k) {
        std::vector<int> seen;
        bool failed = false;
        try {
            frame f;
            for (int i = 0; i < 40; ++i) f.defer([] {});  // fill the inline buffer
            auto callable = [p = std::make_unique<int>(1), &seen](std::unique_ptr<int> arg,
                                                                  const std::string& s) {
                seen.push_back(p ? *p : -1);
                seen.push_back(arg ? *arg : -1);
                seen.push_back(static_cast<int>(s.size()));
            };
            std::string s(100, 'x');  // copied (its copy allocates, may fail)
            auto owned = std::make_unique<int>(41);
            arm a(k);
            f.defer(std::move(callable), std::move(owned), s);
        } catch (const std::bad_alloc&) {
            failed = true;
        }
        ASSERT_EQ(seen, (std::vector<int>{1, 41, 100})) << "k=" << k;
        if (!failed)
            break;
    }
}

struct alignas(64) overaligned_call {
    std::unique_ptr<int> p;
    std::vector<int>* seen;
    void operator()() { seen->push_back(p ? *p : -1); }
};

TEST(AllocationFailure, AnOveralignedMoveOnlyCallIsIntactWhenItsStorageFails) {
    // Over-aligned calls are boxed: the box's record may need a new chunk. Every fill level of
    // the storage, every failing allocation: the call runs once, with its real state.
    int failures_seen = 0;
    for (int fill = 30; fill < 300; ++fill) {
        for (long k = 0; k < 3; ++k) {
            std::vector<int> seen;
            bool failed = false;
            try {
                frame f;
                for (int i = 0; i < fill; ++i) f.defer([] {});
                overaligned_call call{std::make_unique<int>(5), &seen};
                arm a(k);
                f.defer(std::move(call));
            } catch (const std::bad_alloc&) {
                failed = true;
                ++failures_seen;
            }
            ASSERT_EQ(seen, (std::vector<int>{5})) << "fill=" << fill << " k=" << k;
            if (!failed)
                break;
        }
    }
    EXPECT_GT(failures_seen, 0);
}

}  // namespace

namespace {

// Every allocation from the panic on fails (and, in turn, each single one): godefer::main still
// prints a report that starts with "panic: " and returns 2; bad_alloc never escapes.
TEST(AllocationFailure, MainReportsAndReturns2WhenMemoryRunsOut) {
    for (long k = 0; k < 40; ++k) {
        for (bool every : {false, true}) {
            testing::internal::CaptureStderr();
            int rc = -1;
            bool escaped = false;
            try {
                rc = godefer::main([&] {
                    g_countdown = k;
                    if (every)
                        g_every_after = true;
                    godefer::panic(std::string(64, 'p'));
                });
            } catch (...) {
                escaped = true;
            }
            g_countdown = -1;
            g_every_after = false;
            std::string err = testing::internal::GetCapturedStderr();
            ASSERT_FALSE(escaped) << "k=" << k;
            ASSERT_EQ(rc, 2) << "k=" << k;
            ASSERT_EQ(err.rfind("panic: ", 0), 0u) << "k=" << k << " every=" << every << "\n"
                                                   << err;
            ASSERT_NE(err.find("goroutine 1 [running]:"), std::string::npos) << err;
        }
    }
}

TEST(AllocationFailureDeathTest, AGoThreadReportsAndExits2WhenMemoryRunsOut) {
    for (long k : {0L, 1L, 2L, 5L}) {
        EXPECT_EXIT(
            {
                std::thread t = godefer::go([k] {
                    g_countdown = k;
                    g_every_after = true;
                    godefer::panic(std::string(64, 'w'));
                });
                t.join();
            },
            testing::ExitedWithCode(2), "panic: ")
            << "k=" << k;
    }
}

}  // namespace

namespace {

// No memory at all while a run frame handles an exception, and no spare entry: the frame cannot
// record the panic, so its calls run (none can recover) and the same exception goes on.
TEST(AllocationFailure, AFrameThatCannotRecordThePanicRunsItsCallsAndLetsItGoOn) {
    const std::exception_ptr body_error = std::make_exception_ptr(std::runtime_error("body"));
    const std::exception_ptr call_error = std::make_exception_ptr(std::logic_error("call"));
    for (bool from_a_call : {false, true}) {
        std::vector<std::string> order;
        std::string escaped;
        godefer::detail::this_thread_state().spare.reset();
        try {
            godefer::run([&](frame& f) {
                f.defer([&order] {
                    order.push_back(godefer::recover() ? "recovered?" : "older call");
                });
                if (from_a_call)
                    f.defer([&call_error] { std::rethrow_exception(call_error); });
                order.reserve(4);
                g_countdown = 0;
                g_every_after = true;
                std::rethrow_exception(body_error);
            });
        } catch (const std::exception& e) {
            escaped = e.what();
        }
        g_countdown = -1;
        g_every_after = false;
        EXPECT_EQ(order, std::vector<std::string>{"older call"}) << from_a_call;
        EXPECT_EQ(escaped, from_a_call ? "call" : "body");
    }
}

// A callable too big for the frame's inline buffer, whose copy throws when told to: its defer
// allocates a heap chunk, then fails, and nothing is pending.
struct big_call {
    static inline bool copy_throws = false;
    int* calls;
    unsigned char payload[1024] = {};
    explicit big_call(int* c) : calls(c) {}
    big_call(const big_call& o) : calls(o.calls) {
        if (copy_throws)
            throw std::runtime_error("copy");
    }
    void operator()() const { ++*calls; }
};

// How run leaves after that failed defer, the body having caught its exception.
enum class then { return_normally, panic_unrecovered, panic_recovered, defer_more_and_return };

// The heap chunk of a defer that failed is freed however run is left, also when no call is
// pending: run's frame has no cleanup of its own, so run and its handler free the storage.
TEST(AllocationFailure, TheChunkOfAFailedDeferIsFreedHoweverRunIsLeft) {
    for (then how : {then::return_normally, then::panic_unrecovered, then::panic_recovered,
                     then::defer_more_and_return}) {
        int calls = 0;
        int made_at_once = 0;
        const big_call call(&made_at_once);
        const long live_before = g_live;
        try {
            godefer::run([&](frame& f) {
                if (how == then::panic_recovered)
                    f.defer([] { (void)godefer::recover(); });
                big_call::copy_throws = true;
                try {
                    f.defer(call);
                } catch (const std::runtime_error&) {
                }
                big_call::copy_throws = false;
                if (how == then::defer_more_and_return)
                    f.defer(big_call(&calls));
                if (how == then::panic_unrecovered || how == then::panic_recovered)
                    godefer::panic("after the failed defer");
            });
        } catch (const godefer::panic_error&) {
        }
        big_call::copy_throws = false;
        EXPECT_EQ(made_at_once, 1) << static_cast<int>(how);  // the failed call was made at once
        EXPECT_EQ(calls, how == then::defer_more_and_return ? 1 : 0);
        EXPECT_EQ(g_live, live_before) << "a heap chunk leaked, case " << static_cast<int>(how);
    }
}

// The same with a local frame (its destructor frees the storage).
TEST(AllocationFailure, TheChunkOfAFailedDeferOfALocalFrameIsFreed) {
    int made_at_once = 0;
    const big_call call(&made_at_once);
    const long live_before = g_live;
    {
        frame f;
        big_call::copy_throws = true;
        try {
            f.defer(call);
        } catch (const std::runtime_error&) {
        }
        big_call::copy_throws = false;
    }
    EXPECT_EQ(made_at_once, 1);
    EXPECT_EQ(g_live, live_before);
}

}  // namespace
