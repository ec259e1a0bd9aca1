// recover()'s rule across nested frames, and the identity of re-raised panics: one regression
// test per defect found by running godefer against the Go runtime and by an adversarial pass.
//
// The rule (docs/go-differences.md): recover() stops the panic of the run frame whose deferred
// call is running because of that panic, from the call itself, from anything it calls, and from
// the body of a run frame it starts (Go's `defer func() { defer cleanup(); recover() }()`). Code
// running *as a deferred call* of a frame that is not itself panicking (a run frame returning
// normally, any local frame) recovers nothing. Each raise of an exception is a new panic.
#include <gtest/gtest.h>
#include <cstddef>
#include <exception>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include <godefer/frame.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;
using godefer::recover;
using godefer::run;

using log_t = std::vector<std::string>;

// The messages of a panic's chain, newest first (panic_value::aborted() walked down).
log_t chain_of(godefer::panic_value v) {
    log_t out;
    for (; v; v = v.aborted()) out.push_back(v.message() + (v.recovered() ? " [recovered]" : ""));
    return out;
}

TEST(RecoverRule, GoIdiomANestedRunInTheDeferredCallRecovers) {
    // Go: defer func() { defer fmt.Println("inner cleanup"); if r := recover(); ... }()
    log_t order;
    int v = run([&](frame& f) {
        f.defer([&] {
            run([&](frame& g) {
                g.defer([&] { order.push_back("inner cleanup"); });
                if (auto r = recover())
                    order.push_back("recovered: " + r.message());
            });
        });
        godefer::panic("boom");
        return 1;
    });
    EXPECT_EQ(v, 0);
    EXPECT_EQ(order, (log_t{"recovered: boom", "inner cleanup"}));
}

TEST(RecoverRule, EverythingTheNestedBodyCallsRecoversToo) {
    log_t order;
    auto helper = [&] {
        if (auto r = recover())
            order.push_back("helper: " + r.message());
    };
    run([&](frame& f) {
        f.defer([&] { run([&](frame&) { run([&] { helper(); }); }); });
        godefer::panic("deep");
    });
    EXPECT_EQ(order, (log_t{"helper: deep"}));
}

TEST(RecoverRule, ALocalFrameInTheDeferredCallDoesNotRecoverButTheCallDoes) {
    log_t order;
    run([&](frame& f) {
        f.defer([&] {
            {
                frame local;
                local.defer([&] { order.push_back("local call: " + recover().message() + "."); });
            }
            order.push_back("call: " + recover().message());
        });
        godefer::panic("P");
    });
    EXPECT_EQ(order, (log_t{"local call: .", "call: P"}));
}

TEST(RecoverRule, ALocalFrameInTheDeferredCallLeavesThePanicToTheNextCall) {
    log_t order;
    run([&](frame& f) {
        f.defer([&] { order.push_back("outer call: " + recover().message()); });
        f.defer([&] {
            frame local;
            local.defer([&] { order.push_back("local call: " + recover().message() + "."); });
        });
        godefer::panic("P");
    });
    EXPECT_EQ(order, (log_t{"local call: .", "outer call: P"}));
}

TEST(RecoverRule, CallsOfANestedRunReturningNormallyRecoverNothing) {
    log_t order;
    run([&](frame& f) {
        f.defer([&] { order.push_back("outer 2: " + recover().message()); });
        f.defer([&] {
            run([&](frame& g) {
                g.defer([&] { order.push_back("nested call: " + recover().message() + "."); });
            });
            order.push_back("after nested run");
        });
        godefer::panic("P");
    });
    EXPECT_EQ(order, (log_t{"nested call: .", "after nested run", "outer 2: P"}));
}

TEST(RecoverRule, ALocalFrameDeclaredInTheBodyOfANestedRunRecoversNothing) {
    log_t order;
    run([&](frame& f) {
        f.defer([&] {
            run([&] {
                frame local;
                local.defer([&] { order.push_back("local: " + recover().message() + "."); });
            });
            order.push_back("call: " + recover().message());
        });
        godefer::panic("P");
    });
    EXPECT_EQ(order, (log_t{"local: .", "call: P"}));
}

TEST(RecoverRule, ANestedPanicIsRecoveredByTheNestedFrameAndTheOuterOneGoesOn) {
    log_t order;
    run([&](frame& f) {
        f.defer([&] { order.push_back("outer: " + recover().message()); });
        f.defer([&] {
            run([&](frame& g) {
                g.defer([&] {
                    auto r = recover();
                    order.push_back("nested: " + r.message());
                    EXPECT_EQ(chain_of(r), (log_t{"B [recovered]"}));
                });
                godefer::panic("B");
            });
        });
        godefer::panic("A");
    });
    EXPECT_EQ(order, (log_t{"nested: B", "outer: A"}));
}

TEST(RecoverRule, RepanicKeepsTheExceptionObject) {
    std::exception_ptr before;
    std::exception_ptr after;
    try {
        run([&](frame& f) {
            f.defer([&] {
                auto r = recover();
                before = r.exception();
                r.repanic();
            });
            godefer::panic("same");
        });
    } catch (const godefer::panic_error&) {
        after = std::current_exception();
    }
    ASSERT_TRUE(before);
    EXPECT_TRUE(before == after);
}

TEST(RecoverRule, RepanicOfAForeignExceptionKeepsTheObject) {
    std::exception_ptr before;
    const void* address = nullptr;
    try {
        run([&](frame& f) {
            f.defer([&] {
                auto r = recover();
                before = r.exception();
                address = r.get_if<std::out_of_range>();
                r.repanic();
            });
            throw std::out_of_range("idx");
        });
    } catch (const std::out_of_range& e) {
        EXPECT_TRUE(before == std::current_exception());
        EXPECT_EQ(address, static_cast<const void*>(&e));
    }
}

TEST(RecoverRule, AStoredPanicThrownAgainIsANewPanic) {
    std::exception_ptr saved;
    run([&](frame& f) {
        f.defer([&] { saved = recover().exception(); });
        godefer::panic("first");
    });
    ASSERT_TRUE(saved);
    log_t order;
    try {
        run([&](frame& f) {
            f.defer([&] { order.push_back("call runs"); });
            std::rethrow_exception(saved);
        });
        ADD_FAILURE() << "the re-raised panic vanished";
    } catch (const godefer::panic_error& e) {
        EXPECT_EQ(e.value().message(), "first");
        EXPECT_FALSE(e.value().recovered());
        EXPECT_EQ(chain_of(e.value()), (log_t{"first"}));
    }
    EXPECT_EQ(order, (log_t{"call runs"}));
}

TEST(RecoverRule, AStoredPanicThrownAgainCanBeRecoveredAgain) {
    std::exception_ptr saved;
    run([&](frame& f) {
        f.defer([&] { saved = recover().exception(); });
        godefer::panic(7);
    });
    std::string got;
    run([&](frame& f) {
        f.defer([&] { got = recover().message(); });
        std::rethrow_exception(saved);
    });
    EXPECT_EQ(got, "7");
}

TEST(RecoverRule, RethrowInsideANestedRunThatRecoversLeavesTheOuterPanicInFlight) {
    // `throw;` of the unwinding exception inside a nested run, the usual way to inspect it in C++.
    log_t order;
    run([&](frame& f) {
        f.defer([&] { order.push_back("outer: " + recover().message()); });
        f.defer([&] {
            run([&](frame& g) {
                g.defer([&] { order.push_back("nested: " + recover().message()); });
                try {
                    throw;
                } catch (const godefer::panic_error& e) {
                    order.push_back(std::string("inspected: ") + e.what());
                    throw;
                }
            });
        });
        godefer::panic("P");
    });
    EXPECT_EQ(order, (log_t{"inspected: P", "nested: P", "outer: P"}));
}

TEST(RecoverRule, RethrowOfAForeignExceptionInsideANestedRunIsANewPanic) {
    log_t order;
    try {
        run([&](frame& f) {
            f.defer([&] {
                run([&](frame& g) {
                    g.defer([&] { order.push_back("nested: " + recover().message()); });
                    throw;
                });
            });
            throw std::runtime_error("X");
        });
        ADD_FAILURE() << "the outer panic was stopped";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "X");
    }
    EXPECT_EQ(order, (log_t{"nested: X"}));
}

TEST(RecoverRule, RethrowingTheCurrentExceptionWhileACallPanicsMakesNoCycle) {
    // A nested run rethrows std::current_exception() while a deferred call of its own panics.
    log_t order;
    run([&](frame& f) {
        f.defer([&] {
            auto r = recover();
            order.push_back("outer: " + r.message());
            log_t chain = chain_of(r);
            EXPECT_LE(chain.size(), 4u);
        });
        f.defer([&] {
            run([&](frame& g) {
                g.defer([] { godefer::panic("B"); });
                std::rethrow_exception(std::current_exception());
            });
        });
        godefer::panic("A");
    });
    ASSERT_EQ(order.size(), 1u);
    EXPECT_EQ(order[0], "outer: B");
    // The thread is left with no chain in flight: a new panic is alone.
    try {
        run([] { godefer::panic("C"); });
    } catch (const godefer::panic_error& e) {
        EXPECT_EQ(chain_of(e.value()), (log_t{"C"}));
    }
}

TEST(RecoverRule, ReplacingPanicsLinksTheOldOneUnderTheNewOne) {
    try {
        run([&](frame& f) {
            f.defer([] { godefer::panic("C"); });
            f.defer([] { godefer::panic("B"); });
            godefer::panic("A");
        });
    } catch (const godefer::panic_error& e) {
        EXPECT_EQ(chain_of(e.value()), (log_t{"C", "B", "A"}));
    }
}

TEST(RecoverRule, ReplacingAPanicIsConstantTime) {
    // 100,000 panics replacing each other in one frame: linear in the count (a walk of the chain
    // per replacement would make it quadratic, 5e9 steps); then the whole chain is freed.
    constexpr int n = 100000;
    int count = 0;
    try {
        run([&](frame& f) {
            for (int i = 0; i < n; ++i)
                f.defer([&count] {
                    ++count;
                    godefer::panic(count);
                });
            godefer::panic(0);
        });
    } catch (const godefer::panic_error& e) {
        EXPECT_EQ(e.value().message(), std::to_string(n));
        EXPECT_EQ(e.value().aborted().message(), std::to_string(n - 1));
    }
    EXPECT_EQ(count, n);
}

TEST(RecoverRule, ReplacingAPanicByAForeignExceptionIsConstantTime) {
    // The same with foreign exceptions (each one needs an entry of its own): 100,000 of them.
    constexpr int n = 100000;
    const bool capture = godefer::set_stacktrace_capture(false);
    try {
        run([&](frame& f) {
            for (int i = 1; i <= n; ++i)
                f.defer([i] { throw std::runtime_error(std::to_string(i)); });
            throw std::runtime_error("0");
        });
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), std::to_string(1).c_str());
    }
    godefer::set_stacktrace_capture(capture);
}

struct tracked_error : std::runtime_error {
    static inline int alive = 0;
    explicit tracked_error(const char* m) : std::runtime_error(m) { ++alive; }
    tracked_error(const tracked_error& o) : std::runtime_error(o) { ++alive; }
    ~tracked_error() override { --alive; }
};

TEST(RecoverRule, ASwallowedForeignExceptionWithoutAChainIsFreedWhenItsCatchEnds) {
    ASSERT_EQ(tracked_error::alive, 0);
    try {
        run([] { throw tracked_error("Y"); });
    } catch (const tracked_error&) {
    }
    EXPECT_EQ(tracked_error::alive, 0);
    try {
        run([](frame& f) {
            f.defer([] { (void)recover(); });
            f.defer([] { throw tracked_error("Z"); });  // replaces A, then recovered
            godefer::panic("A");
        });
    } catch (...) {
        ADD_FAILURE();
    }
    EXPECT_EQ(tracked_error::alive, 0);
}

TEST(RecoverRule, ASwallowedForeignExceptionWithAChainIsFreedByTheNextPanic) {
    // An exception that aborted panics keeps its chain while it travels between run frames, so
    // godefer keeps it until the thread's next run frame catches an exception or a panic is raised
    // outside any unwinding (docs/go-differences.md, section 3).
    ASSERT_EQ(tracked_error::alive, 0);
    try {
        run([&](frame& f) {
            f.defer([] { throw tracked_error("X"); });  // aborts A: X has a chain
            godefer::panic("A");
        });
    } catch (const tracked_error& e) {
        EXPECT_STREQ(e.what(), "X");
    }
    std::string seen;
    run([&](frame& f) {
        f.defer([&] { seen = recover().message(); });
        godefer::panic("next");
    });
    EXPECT_EQ(seen, "next");
    EXPECT_EQ(tracked_error::alive, 0);
}

TEST(RecoverRule, AnotherExceptionOfTheSameTypeIsNotTakenForASwallowedOne) {
    // In a loop, a swallowed exception's memory is the next one's: the outer frame must see the
    // new exception alone, not the chain of the swallowed one.
    log_t chain;
    run([&](frame& outer) {
        outer.defer([&] { chain = chain_of(recover()); });
        for (int i = 0; i < 3; ++i) {
            try {
                run([&](frame& f) {
                    f.defer([] { throw std::runtime_error("swallowed"); });
                    godefer::panic("A");
                });
            } catch (const std::runtime_error&) {
            }
        }
        throw std::runtime_error("new");
    });
    EXPECT_EQ(chain, (log_t{"new [recovered]"}));
}

TEST(RecoverRule, ASwallowedCachedExceptionThrownAgainDoesNotBringBackItsOldChain) {
    std::promise<int> p;
    std::shared_future<int> fut = p.get_future().share();
    p.set_exception(std::make_exception_ptr(std::runtime_error("cached")));
    try {
        run([&](frame& f) {
            f.defer([&] { (void)fut.get(); });  // aborts A
            godefer::panic("A");
        });
    } catch (const std::runtime_error&) {
    }
    std::string seen;
    log_t chain;
    run([&](frame& f) {
        f.defer([&] {
            auto r = recover();
            seen = r.message();
            chain = chain_of(r);
        });
        (void)fut.get();
    });
    EXPECT_EQ(seen, "cached");
    EXPECT_EQ(chain, (log_t{"cached [recovered]"}));
}

TEST(RecoverRule, AForeignExceptionKeepsItsChainAcrossFrames) {
    try {
        run([&](frame&) {
            run([&](frame& f) {
                f.defer([] { throw std::runtime_error("X"); });
                godefer::panic("A");
            });
        });
    } catch (const std::runtime_error&) {
    }
    log_t chain;
    run([&](frame& outer) {
        outer.defer([&] { chain = chain_of(recover()); });
        run([&](frame& f) {
            f.defer([] { throw std::runtime_error("X"); });
            godefer::panic("A");
        });
    });
    EXPECT_EQ(chain, (log_t{"X [recovered]", "A"}));
}

TEST(RecoverRule, AForeignExceptionCaughtAndRethrownByUserCodeGoesOnWithItsChain) {
    log_t chain;
    run([&](frame& outer) {
        outer.defer([&] { chain = chain_of(recover()); });
        try {
            run([&](frame& f) {
                f.defer([] { throw std::runtime_error("X"); });
                godefer::panic("A");
            });
        } catch (...) {
            throw;
        }
    });
    EXPECT_EQ(chain, (log_t{"X [recovered]", "A"}));
}

TEST(RecoverRule, GoexitUnderARecoveredPanicResumesOnce) {
    log_t order;
    try {
        run([&](frame& f) {
            f.defer([&] { order.push_back("last call: " + recover().message() + "."); });
            f.defer([&] {
                run([&](frame& g) {
                    g.defer([&] { order.push_back("nested: " + recover().message()); });
                    godefer::panic("inner");
                });
            });
            f.defer([&] { order.push_back("recovered: " + recover().message()); });
            f.defer([] { godefer::panic("P"); });
            godefer::goexit();
        });
        ADD_FAILURE() << "the goexit was lost";
    } catch (const godefer::goexit_signal&) {
        order.push_back("goexit goes on");
    }
    EXPECT_EQ(order, (log_t{"recovered: P", "nested: inner", "last call: .", "goexit goes on"}));
}

}  // namespace
