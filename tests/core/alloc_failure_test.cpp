// Storage failure: the k-th allocation fails, for every k. A registered call always runs exactly
// once, in LIFO order; the call whose storage failed runs at once; the error surfaces.
#include <godefer/run.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

namespace {
long g_countdown = -1;  // fail when it reaches 0; negative: never
}

// The replacement pair allocates with malloc and frees with free; GCC cannot see that they match.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
    if (g_countdown >= 0 && g_countdown-- == 0) throw std::bad_alloc();
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

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
                    if (auto r = godefer::recover()) outcome = "recovered " + r.message();
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
            for (int i = 1; i <= at_once; ++i) ASSERT_EQ(ran[static_cast<std::size_t>(i)], at_once - i);
        }
        // A bad_alloc is a panic like any other: the frame's recover call stopped it.
        EXPECT_EQ(outcome, "recovered std::bad_alloc");
    }
    godefer::set_stacktrace_capture(capture);
    EXPECT_EQ(completed, 1);
}

}  // namespace
