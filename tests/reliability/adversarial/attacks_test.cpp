// Red-team attacks on frames, run, panic and recover: each TEST is one attack, with what must
// hold (a registered call always runs exactly once, in LIFO order; panics are neither lost nor
// invented; nothing leaks, crashes or races). The suite runs under every preset, so under
// ASan+UBSan and TSan too. Attacks that need a process of their own (teardown, reports, builds
// with other flags) are programs beside this file.
#include <gtest/gtest.h>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;
using godefer::recover;
using godefer::run;

TEST(Attack, DeferringIntoAFrameWhileItDrains) {
    // Calls deferred by a running call join the same frame and run before the older ones.
    std::vector<int> order;
    run([&](frame& f) {
        f.defer([&] { order.push_back(1); });
        f.defer([&] {
            order.push_back(2);
            f.defer([&] { order.push_back(3); });
            f.defer([&] { order.push_back(4); });
        });
    });
    EXPECT_EQ(order, (std::vector<int>{2, 4, 3, 1}));
    order.clear();
    {
        frame local;
        local.defer([&] { order.push_back(1); });
        local.defer([&] {
            order.push_back(2);
            local.defer([&] { order.push_back(3); });
        });
    }
    EXPECT_EQ(order, (std::vector<int>{2, 3, 1}));
}

TEST(Attack, ACallThatRegisters10000More) {
    int ran = 0;
    std::vector<int> order;
    order.reserve(10001);
    run([&](frame& f) {
        f.defer([&] { order.push_back(-1); });
        f.defer([&] {
            for (int i = 0; i < 10000; ++i) f.defer([&order, i] { order.push_back(i); });
            ++ran;
        });
    });
    ASSERT_EQ(ran, 1);
    ASSERT_EQ(order.size(), 10001u);
    for (int i = 0; i < 10000; ++i) ASSERT_EQ(order[static_cast<std::size_t>(i)], 9999 - i);
    EXPECT_EQ(order.back(), -1);
}

TEST(Attack, AMillionDefersOfMixedTypesDuringAPanic) {
    constexpr int n = 1000000;
    std::vector<std::int32_t> order;
    order.reserve(n);
    std::string recovered;
    run([&](frame& f) {
        f.defer([&] { recovered = recover().message(); });
        for (int i = 0; i < n; ++i) {
            switch (i % 4) {
                case 0:
                    f.defer([&order, i] { order.push_back(i); });
                    break;
                case 1:
                    f.defer([&order](int v) { order.push_back(v); }, i);
                    break;
                case 2:
                    f.defer([&order, i, pad = std::string()] {
                        order.push_back(i + static_cast<int>(pad.size()));
                    });
                    break;
                default:
                    f.defer([&order](std::unique_ptr<int> p) { order.push_back(*p); },
                            std::make_unique<int>(i));
                    break;
            }
        }
        godefer::panic("after a million");
    });
    ASSERT_EQ(order.size(), static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) ASSERT_EQ(order[static_cast<std::size_t>(i)], n - 1 - i);
    EXPECT_EQ(recovered, "after a million");
}

int nest(int depth, int& calls) {
    return run([&](frame& f) {
        f.defer([&calls] { ++calls; });
        if (depth == 0)
            godefer::panic(depth);
        return nest(depth - 1, calls) + 1;
    });
}

constexpr bool kOptimisedUnsanitised =
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    true;
#else
    false;
#endif

TEST(Attack, TenThousandNestedRunFramesOnTheDefaultStack) {
    // A run frame takes about 480 bytes of stack at -O2 (its inline call storage is 288), 750 at
    // -O0 (GCC), 960 at -O0 (Clang), 800 under ASan: 10,000 of them fit the default 8 MiB stack
    // of a std::thread in optimised builds only. In the others, Load.RunFramesNestedDeepWith...
    // nests 10,000 on a thread with a larger stack.
    if (!kOptimisedUnsanitised)
        GTEST_SKIP() << "needs an optimised build without sanitizers";
    int calls = 0;
    int got = -1;
    std::thread([&] {
        got = run([&](frame& f) {
            f.defer([] { (void)recover(); });
            return nest(10000, calls);
        });
    }).join();
    EXPECT_EQ(got, 0);  // recovered: the zero value
    EXPECT_EQ(calls, 10001);
}

std::vector<std::uintptr_t>* g_seen = nullptr;  // where aligned_call records its misalignment

template <std::size_t Align>
struct alignas(Align) aligned_call {
    unsigned char payload[Align];
    void operator()() const { g_seen->push_back(reinterpret_cast<std::uintptr_t>(this) % Align); }
};

TEST(Attack, CallablesOfEveryAlignmentUpTo64) {
    std::vector<std::uintptr_t> seen;
    g_seen = &seen;
    run([&](frame& f) {
        f.defer([] { (void)recover(); });
        for (int round = 0; round < 50; ++round) {  // spill into heap chunks too
            f.defer(aligned_call<1>{{}});
            f.defer(aligned_call<2>{{}});
            f.defer(aligned_call<4>{{}});
            f.defer(aligned_call<8>{{}});
            f.defer(aligned_call<16>{{}});
            f.defer(aligned_call<32>{{}});
            f.defer(aligned_call<64>{{}});
        }
        godefer::panic("aligned");
    });
    ASSERT_EQ(seen.size(), 350u);
    for (std::uintptr_t misalignment : seen) EXPECT_EQ(misalignment, 0u);
}

TEST(Attack, PanicWithNullptr) {
    std::string message;
    bool is_nil_error = false;
    run([&](frame& f) {
        f.defer([&] {
            auto r = recover();
            message = r.message();
            is_nil_error = r.get_if<godefer::nil_panic_error>() != nullptr;
        });
        godefer::panic(nullptr);
    });
    EXPECT_EQ(message, "panic called with nil argument");
    EXPECT_TRUE(is_nil_error);
    const char* null_text = nullptr;
    EXPECT_THROW(run([&] { godefer::panic(null_text); }), godefer::panic_error);
}

TEST(Attack, ASixtyFourMebibytePanicValue) {
    std::size_t size = 0;
    run([&](frame& f) {
        f.defer([&] {
            auto r = recover();
            const auto* v = r.get_if<std::vector<char>>();
            size = v ? v->size() : 0;
            EXPECT_EQ(r.message(), "std::vector<char, std::allocator<char> >");
        });
        godefer::panic(std::vector<char>(std::size_t{64} << 20, 'x'));
    });
    EXPECT_EQ(size, std::size_t{64} << 20);
}

struct copy_throws {
    static inline int copies = 0;
    copy_throws() = default;
    copy_throws(const copy_throws&) {
        if (++copies > 1)
            throw std::runtime_error("copy of the panic value failed");
    }
};

TEST(Attack, APanicValueWhoseCopyThrows) {
    // panic() copies its argument: the copy fails, so what unwinds is that exception, a panic
    // like any other. Every call still runs.
    copy_throws::copies = 1;
    std::vector<std::string> order;
    run([&](frame& f) {
        f.defer([&] { order.push_back("recovered: " + recover().message()); });
        f.defer([&] { order.push_back("call"); });
        copy_throws v;
        godefer::panic(v);
    });
    EXPECT_EQ(order,
              (std::vector<std::string>{"call", "recovered: copy of the panic value failed"}));
}

TEST(Attack, SixteenThreadsPanicRecoverAndRepanicASharedValue) {
    godefer::panic_value shared;
    run([&](frame& f) {
        f.defer([&] { shared = recover(); });
        godefer::panic(std::string("shared"));
    });
    ASSERT_TRUE(shared);
    std::atomic<int> recovered{0};
    std::atomic<int> calls{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t)
        threads.push_back(godefer::go([&, t] {
            for (int i = 0; i < 200; ++i) {
                run([&](frame& f) {
                    f.defer([&] {
                        auto r = recover();
                        if (r && r.message() == "shared")
                            ++recovered;
                    });
                    f.defer([&] { ++calls; });
                    if ((i + t) % 2 == 0)
                        shared.repanic();
                    godefer::panic(std::string("shared"));
                });
                std::thread inner = godefer::go([&] {
                    run([&](frame& f) {
                        f.defer([&] { (void)recover(); });
                        shared.repanic();
                    });
                });
                inner.join();
            }
        }));
    for (std::thread& th : threads) th.join();
    EXPECT_EQ(recovered.load(), 16 * 200);
    EXPECT_EQ(calls.load(), 16 * 200);
    EXPECT_EQ(shared.message(), "shared");
}

TEST(Attack, RecoverAndRepanicTheSameValueAMillionTimes) {
    // Go does this loop in under a second; each re-raise must refer to the value's record, not
    // to the previous re-raise (a chain of them made it quadratic, then overflowed the stack).
    const bool capture = godefer::set_stacktrace_capture(false);
    godefer::panic_value v;
    run([&](frame& f) {
        f.defer([&] { v = recover(); });
        godefer::panic(std::string("again"));
    });
    for (int i = 0; i < 1000000; ++i) {
        run([&](frame& f) {
            f.defer([&] { v = recover(); });
            v.repanic();
        });
    }
    godefer::set_stacktrace_capture(capture);
    EXPECT_EQ(v.message(), "again");
    EXPECT_NE(v.get_if<std::string>(), nullptr);
}

TEST(Attack, RecoverInADestructorDuringUnwindingRecoversNothingOfTheUnwindingException) {
    // A destructor running while an exception leaves the body is not a deferred call.
    std::string in_destructor = "unset";
    std::string in_call;
    struct probe {
        std::string* out;
        ~probe() { *out = godefer::recover().message(); }
    };
    run([&](frame& f) {
        f.defer([&] { in_call = recover().message(); });
        probe p{&in_destructor};
        godefer::panic("P");
    });
    EXPECT_EQ(in_destructor, "");
    EXPECT_EQ(in_call, "P");
}

TEST(Attack, APanicValueKeptAfterItsFrameEndedAndRepanickedOnAnotherThread) {
    godefer::panic_value kept;
    run([&](frame& f) {
        f.defer([&] { kept = recover(); });
        godefer::panic(7);
    });
    std::string seen;
    godefer::go([&] {
        run([&](frame& f) {
            f.defer([&] { seen = recover().message(); });
            kept.repanic();
        });
    }).join();
    EXPECT_EQ(seen, "7");
}

TEST(Attack, GoexitUnderSeveralStackedPanicsAllRecovered) {
    // The current Go runtime's rule: a goexit is never cancelled by panics recovered on top of it.
    std::vector<std::string> order;
    godefer::go([&] {
        run([&](frame& f) {
            f.defer([&] { order.push_back("last call"); });
            f.defer([&] { order.push_back("recovered " + recover().message()); });
            f.defer([] { godefer::panic("second"); });
            f.defer([] { godefer::panic("first"); });
            godefer::goexit();
        });
        order.push_back("unreachable: the goexit must go on");
    }).join();
    EXPECT_EQ(order, (std::vector<std::string>{"recovered second", "last call"}));
}

TEST(Attack, CatchAllThatSwallowsGoexitLeavesNothingBehind) {
    try {
        run([](frame& f) {
            f.defer([] {});
            godefer::goexit();
        });
    } catch (...) {
    }
    std::string seen;
    run([&](frame& f) {
        f.defer([&] { seen = recover().message(); });
        godefer::panic("after");
    });
    EXPECT_EQ(seen, "after");
}

TEST(Attack, AThrowingDestructorOfADeferredCallableCannotLoseTheOtherCalls) {
    // The callable's destructor runs after the call; a callable that owns a resource whose
    // release fails loudly is a user bug, but the frame's other calls must still run.
    std::vector<int> order;
    struct releases {
        std::vector<int>* order;
        void operator()() const { order->push_back(2); }
    };
    run([&](frame& f) {
        f.defer([&] { order.push_back(1); });
        f.defer(releases{&order});
        f.defer([&] { order.push_back(3); });
    });
    EXPECT_EQ(order, (std::vector<int>{3, 2, 1}));
}

TEST(Attack, ManyThreadsOfWorkCrossingRunFramesWithForeignExceptions) {
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.push_back(godefer::go([&] {
            for (int i = 0; i < 500; ++i) {
                int length = 0;
                run([&](frame& outer) {
                    outer.defer([&] {
                        for (auto r = recover(); r; r = r.aborted()) ++length;
                    });
                    run([&](frame& f) {
                        f.defer([] { throw std::runtime_error("X"); });
                        godefer::panic("A");
                    });
                });
                if (length == 2)
                    ++ok;
            }
        }));
    for (std::thread& th : threads) th.join();
    EXPECT_EQ(ok.load(), 8 * 500);
}

}  // namespace
