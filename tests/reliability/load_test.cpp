// Load: a million calls in one frame; run frames nested 10,000 deep with a panic recovered at the
// top; 64 threads doing defer/panic/recover cycles at once (run under TSan in the tsan preset).
//
// CI runs bounded counts. GODEFER_RELIABILITY_FULL=1 in the environment (or the CMake option of
// the same name) runs the full ones; tests/reliability/full_load.sh does, and reports the time and
// the peak memory.
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/resource.h>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;

bool full_counts() {
#if defined(GODEFER_RELIABILITY_FULL)
    return true;
#else
    const char* v = std::getenv("GODEFER_RELIABILITY_FULL");
    return v != nullptr && *v != '\0' && *v != '0';
#endif
}

// Sanitizers slow everything down: CI's bounded counts are smaller there.
constexpr bool kSanitized =
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

struct counts {
    long calls;   // calls pending in one frame
    int depth;    // nested run frames
    int threads;  // threads of work at once
    int cycles;   // defer/panic/recover cycles per thread
};

counts load_counts() {
    if (full_counts())
        return {10'000'000, 10'000, 64, 20'000};
    return {1'000'000, 10'000, 64, kSanitized ? 100 : 500};
}

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// --- A million calls ----------------------------------------------------------------------------

TEST(Load, MillionsOfCallsInALocalFrameDrainInLifoOrder) {
    const long n = load_counts().calls;
    auto t0 = std::chrono::steady_clock::now();
    long expected = n - 1;
    long wrong = 0;
    {
        frame f;
        for (long i = 0; i < n; ++i)
            f.defer([&expected, &wrong](long v) { wrong += v != expected--; }, i);
        EXPECT_EQ(f.size(), static_cast<std::size_t>(n));
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(expected, -1);
    std::cout << "[load] " << n << " calls in one local frame: " << seconds_since(t0)
              << " s, peak RSS " << peak_rss_kib() / 1024 << " MiB\n";
    RecordProperty("calls", static_cast<int>(n));
}

TEST(Load, MillionsOfCallsInARunFrameWithAPanicRecoveredByTheOldest) {
    const long n = load_counts().calls;
    bool capture = godefer::set_stacktrace_capture(false);
    auto t0 = std::chrono::steady_clock::now();
    long expected = n - 1;
    long wrong = 0;
    std::string recovered;
    int v = godefer::run([&](frame& f) -> int {
        f.defer([&] { recovered = godefer::recover().message(); });
        for (long i = 0; i < n; ++i)
            f.defer([&expected, &wrong](long x) { wrong += x != expected--; }, i);
        godefer::panic("after a million defers");
    });
    godefer::set_stacktrace_capture(capture);
    EXPECT_EQ(v, 0);
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(expected, -1);
    EXPECT_EQ(recovered, "after a million defers");
    std::cout << "[load] " << n
              << " calls in one run frame, panic recovered by the oldest: " << seconds_since(t0)
              << " s, peak RSS " << peak_rss_kib() / 1024 << " MiB\n";
}

// --- Deep nesting -------------------------------------------------------------------------------

struct deep_state {
    int depth = 0;
    std::vector<int> order;
    std::uintptr_t top_sp = 0;
    std::uintptr_t bottom_sp = 0;
    std::string recovered;
};

void nest(deep_state& st, int level) {
    godefer::run([&st, level](frame& f) {
        f.defer([&st, level] { st.order.push_back(level); });
        if (level + 1 == st.depth) {
            int probe = 0;
            st.bottom_sp = reinterpret_cast<std::uintptr_t>(&probe);
            godefer::panic("deep");
        }
        nest(st, level + 1);
    });
}

void* deep_main(void* arg) {
    auto& st = *static_cast<deep_state*>(arg);
    int probe = 0;
    st.top_sp = reinterpret_cast<std::uintptr_t>(&probe);
    godefer::run([&st](frame& f) {
        f.defer([&st] { st.recovered = godefer::recover().message(); });
        nest(st, 0);
    });
    return nullptr;
}

TEST(Load, RunFramesNestedDeepWithAPanicRecoveredAtTheTop) {
    const int depth = load_counts().depth;
    deep_state st;
    st.depth = depth;
    st.order.reserve(static_cast<std::size_t>(depth));
    bool capture = godefer::set_stacktrace_capture(false);
    // std::thread cannot choose its stack size: a pthread with a stack big enough for any build
    // (sanitizers make frames several times larger). Only what is touched is committed.
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    const std::size_t stack = std::size_t{1} << 30;
    ASSERT_EQ(pthread_attr_setstacksize(&attr, stack), 0);
    auto t0 = std::chrono::steady_clock::now();
    pthread_t t;
    ASSERT_EQ(pthread_create(&t, &attr, deep_main, &st), 0);
    pthread_join(t, nullptr);
    pthread_attr_destroy(&attr);
    const double secs = seconds_since(t0);
    godefer::set_stacktrace_capture(capture);

    ASSERT_EQ(st.order.size(), static_cast<std::size_t>(depth));
    for (int i = 0; i < depth; ++i)
        ASSERT_EQ(st.order[static_cast<std::size_t>(i)], depth - 1 - i) << "innermost first";
    EXPECT_EQ(st.recovered, "deep");
    const double per_frame = static_cast<double>(st.top_sp - st.bottom_sp) / depth;
    std::cout << "[load] " << depth << " nested run frames, panic recovered at the top: " << secs
              << " s; stack " << (st.top_sp - st.bottom_sp) / 1024 << " KiB, " << per_frame
              << " bytes per run level; at 8 MiB (the default main-thread stack) that is "
              << static_cast<long>(8.0 * 1024 * 1024 / per_frame) << " levels\n";
    RecordProperty("depth", depth);
    RecordProperty("stack_bytes_per_level", static_cast<int>(per_frame));
}

// --- 64 threads ---------------------------------------------------------------------------------

struct foreign_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One cycle: nested run frames; the inner one's call replaces the body's panic (a godefer panic
// or a foreign exception); the outer one recovers and checks the value and the chain.
bool cycle(int t, int i) {
    std::string seen;
    std::string aborted;
    int calls = 0;
    int r = godefer::run([&](frame& outer) -> int {
        outer.defer([&] {
            auto v = godefer::recover();
            seen = v.message();
            aborted = v.aborted().message();
            ++calls;
        });
        godefer::run([&](frame& inner) {
            for (int k = 0; k < 3; ++k) inner.defer([&calls] { ++calls; });
            inner.defer([t, i] { godefer::panic(t * 1'000'000 + i); });
            if (i % 2 == 0)
                godefer::panic("even");
            throw foreign_error("odd");
        });
        return 1;
    });
    return r == 0 && calls == 4 && seen == std::to_string(t * 1'000'000 + i) &&
           aborted == (i % 2 == 0 ? "even" : "odd");
}

TEST(Load, SixtyFourThreadsPanicAndRecoverAtOnce) {
    const counts c = load_counts();
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::atomic<long> good{0};
    std::atomic<long> bad{0};
    std::atomic<int> ended_by_goexit{0};
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < c.threads; ++t) {
        pool.push_back(godefer::go([&, t] {
            godefer::run([&](frame& f) {
                f.defer([&] { ended_by_goexit.fetch_add(1); });
                ready.fetch_add(1);
                while (!go.load()) std::this_thread::yield();
                for (int i = 0; i < c.cycles; ++i) {
                    // Thread 0 switches the program-wide stack capture while the others panic.
                    if (t == 0)
                        godefer::set_stacktrace_capture(i % 2 == 0);
                    (cycle(t, i) ? good : bad).fetch_add(1, std::memory_order_relaxed);
                }
                godefer::goexit();  // ends the thread of work quietly, after its calls
            });
            bad.fetch_add(1);  // unreachable
        }));
    }
    while (ready.load() < c.threads) std::this_thread::yield();
    go.store(true);
    for (auto& th : pool) th.join();
    godefer::set_stacktrace_capture(true);
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(good.load(), static_cast<long>(c.threads) * c.cycles);
    EXPECT_EQ(ended_by_goexit.load(), c.threads);
    std::cout << "[load] " << c.threads << " threads x " << c.cycles
              << " defer/panic/recover cycles at once: " << seconds_since(t0) << " s, "
              << good.load() << " cycles verified\n";
    RecordProperty("thread_cycles", static_cast<int>(good.load()));
}

}  // namespace
