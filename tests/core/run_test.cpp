// run: Go's state machine — results, recovery, remaining calls, replacement, foreign exceptions,
// nested frames, goexit (and the matching Go rules of docs/go-rules.md).
#include <gtest/gtest.h>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <godefer/run.hpp>

namespace {

using godefer::frame;
using godefer::recover;
using godefer::run;

TEST(Run, NormalReturnKeepsTheResultThenRunsTheCalls) {  // R5
    std::vector<std::string> order;
    int v = run([&](frame& f) {
        f.defer([&] { order.push_back("defer"); });
        order.push_back("body");
        return 7;
    });
    EXPECT_EQ(v, 7);
    EXPECT_EQ(order, (std::vector<std::string>{"body", "defer"}));
    run([&] { order.push_back("no frame"); });
    EXPECT_EQ(order.back(), "no frame");
}

TEST(Run, NamedResultsAreVariablesTheCallsMayChange) {  // R6
    int result = 0;
    run([&](frame& f) {
        f.defer([&] { result *= 7; });
        result = 6;
    });
    EXPECT_EQ(result, 42);
}

TEST(Run, RecoverStopsThePanicAndTheRemainingCallsRun) {  // R14
    std::vector<std::string> order;
    run([&](frame& f) {
        f.defer([&] { order.push_back("defer 1"); });
        f.defer([&] {
            auto r = recover();
            ASSERT_TRUE(r);
            order.push_back("defer 2 recovers " + r.message());
        });
        f.defer([&] { order.push_back("defer 3"); });
        godefer::panic("P");
    });
    EXPECT_EQ(order, (std::vector<std::string>{"defer 3", "defer 2 recovers P", "defer 1"}));
}

TEST(Run, ResultAfterRecoveryIsValueInitialised) {  // R13
    auto v = run([](frame& f) -> std::pair<int, std::string> {
        f.defer([] { (void)recover(); });
        godefer::panic(1);
    });
    EXPECT_EQ(v.first, 0);
    EXPECT_EQ(v.second, "");
}

TEST(Run, ResultSetByReturnSurvivesAPanicInACallThatIsRecovered) {  // R21 g
    int n = 0;
    int v = run([&](frame& f) {
        f.defer([&] {
            auto r = recover();
            EXPECT_EQ(r.message(), "late-g");
            EXPECT_EQ(n, 5);
        });
        f.defer([] { godefer::panic("late-g"); });
        n = 5;
        return 5;
    });
    EXPECT_EQ(v, 5);
}

TEST(Run, PanicInACallDuringNormalReturnPropagates) {  // R21 f
    std::vector<std::string> order;
    try {
        run([&](frame& f) {
            f.defer([&] { order.push_back("defer 1 runs"); });
            f.defer([] { godefer::panic("late"); });
            return 5;
        });
        order.push_back("not reached");
    } catch (const godefer::panic_error& e) {
        order.push_back(std::string("caught ") + e.what());
    }
    EXPECT_EQ(order, (std::vector<std::string>{"defer 1 runs", "caught late"}));
}

TEST(Run, PanicInACallReplacesThePanicInFlight) {  // R16
    std::vector<std::string> order;
    run([&](frame& outer) {
        outer.defer([&] { order.push_back("outer 1: " + recover().message() + "."); });
        outer.defer([&] { order.push_back("outer 2: " + recover().message()); });
        outer.defer([&] { order.push_back("outer 3"); });
        run([&](frame& inner) {
            inner.defer([&] { order.push_back("inner 1"); });
            inner.defer([] { godefer::panic("B"); });
            inner.defer([&] { order.push_back("inner 3"); });
            godefer::panic("A");
        });
    });
    EXPECT_EQ(order, (std::vector<std::string>{"inner 3", "inner 1", "outer 3", "outer 2: B",
                                               "outer 1: ."}));
}

TEST(Run, TheReplacedPanicStaysOnTheChainAsAborted) {  // R17, R18
    try {
        run([](frame& f) {
            f.defer([] { godefer::panic("B"); });
            godefer::panic("A");
        });
        FAIL();
    } catch (const godefer::panic_error& e) {
        auto v = e.value();
        EXPECT_EQ(v.message(), "B");
        ASSERT_TRUE(v.aborted());
        EXPECT_EQ(v.aborted().message(), "A");
        EXPECT_FALSE(v.aborted().recovered());
        EXPECT_FALSE(v.aborted().aborted());
    }
    try {
        run([](frame& f) {
            f.defer([] {
                (void)recover();
                godefer::panic("B");
            });
            godefer::panic("A");
        });
        FAIL();
    } catch (const godefer::panic_error& e) {
        EXPECT_TRUE(e.value().aborted().recovered());  // "panic: A [recovered]"
    }
}

TEST(Run, RecoverReturnsTheValueOnlyOnce) {  // R15
    std::vector<std::string> seen;
    run([&](frame& f) {
        f.defer([&] { seen.push_back("defer 1: " + recover().message()); });
        f.defer([&] {
            auto first = recover();
            auto second = recover();
            ASSERT_NE(first.get_if<int>(), nullptr);
            seen.push_back(std::to_string(*first.get_if<int>()) + (second ? " again" : " once"));
        });
        godefer::panic(42);
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"42 once", "defer 1: "}));
}

TEST(Run, RecoverIsEmptyWhenNotPanicking) {  // R8
    EXPECT_FALSE(recover());
    bool in_call = true;
    bool in_body = true;
    run([&](frame& f) {
        in_body = static_cast<bool>(recover());
        f.defer([&] { in_call = static_cast<bool>(recover()); });
    });
    EXPECT_FALSE(in_body);
    EXPECT_FALSE(in_call);
}

void helper_recovers(std::string* out) {
    *out = recover().message();
}

TEST(Run, RecoverWorksFromFunctionsTheCallCalls) {  // deliberate deviation from R9 a
    std::string got;
    run([&](frame& f) {
        f.defer([&] { helper_recovers(&got); });
        godefer::panic("a");
    });
    EXPECT_EQ(got, "a");
}

TEST(Run, DeferRecoverDirectlyInThePanickingFrameRecovers) {  // deviation from R9 c
    EXPECT_NO_THROW(run([](frame& f) {
        f.defer(&godefer::recover);
        godefer::panic("c");
    }));
}

TEST(Run, NestedFrameThatIsNotPanickingCannotRecover) {  // R20, R9 d
    std::vector<std::string> order;
    run([&](frame& f) {
        f.defer([&] { order.push_back("f 1: " + recover().message()); });
        f.defer([&] {
            run([&](frame& g) {
                g.defer([&] { order.push_back("f 2 own: " + recover().message()); });
                godefer::panic("B");
            });
        });
        f.defer([&] {
            run([&](frame& g) {
                g.defer([&] { order.push_back("f 3 own: " + recover().message() + "."); });
                g.defer(&godefer::recover);  // recovers nothing: this frame is not panicking
            });
        });
        godefer::panic("A");
    });
    EXPECT_EQ(order, (std::vector<std::string>{"f 3 own: .", "f 2 own: B", "f 1: A"}));
}

TEST(Run, APanicRecoveredInsideACallIsGoneFromTheChain) {  // R20b, R35
    try {
        run([](frame& f) {
            f.defer([] {
                run([](frame& g) {
                    g.defer([] { (void)recover(); });
                    godefer::panic("B");
                });
            });
            godefer::panic("A");
        });
        FAIL();
    } catch (const godefer::panic_error& e) {
        EXPECT_EQ(e.value().message(), "A");
        EXPECT_FALSE(e.value().aborted());
    }
}

TEST(Run, ForeignExceptionsArePanicsAndLeaveAsThemselves) {
    const std::runtime_error* thrown_at = nullptr;
    std::vector<std::string> order;
    try {
        run([&](frame& f) {
            f.defer([&] { order.push_back("outer call"); });
            run([&](frame& g) {
                g.defer([&] { order.push_back("inner call"); });
                try {
                    throw std::runtime_error("disk");
                } catch (const std::runtime_error& e) {
                    thrown_at = &e;
                    throw;
                }
            });
        });
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(&e, thrown_at);  // the same object
        order.push_back(e.what());
    }
    EXPECT_EQ(order, (std::vector<std::string>{"inner call", "outer call", "disk"}));
}

TEST(Run, ForeignExceptionsCanBeRecoveredAndMatchLikeACatchClause) {
    std::string msg;
    bool is_logic = true;
    bool is_exception = false;
    run([&](frame& f) {
        f.defer([&] {
            auto r = recover();
            msg = r.message();
            is_logic = r.get_if<std::logic_error>() != nullptr;
            is_exception = r.get_if<std::exception>() != nullptr;
            EXPECT_TRUE(r.exception());
        });
        (void)std::vector<int>{}.at(3);
    });
    EXPECT_NE(msg.find("range"), std::string::npos) << msg;
    EXPECT_TRUE(is_logic);  // std::out_of_range derives from std::logic_error
    EXPECT_TRUE(is_exception);
}

TEST(Run, RepanicKeepsTheValueAndItsIdentity) {  // R19
    struct my_err {
        int code;
    };
    const my_err* first = nullptr;
    const my_err* second = nullptr;
    godefer::panic_value kept;  // keeps the value alive after run returns
    std::vector<std::string> order;
    run([&](frame& outer) {
        outer.defer([&] {
            kept = recover();
            second = kept.get_if<my_err>();
            order.push_back("outer recovered");
        });
        run([&](frame& inner) {
            inner.defer([&] { order.push_back("inner 1 runs after re-panic"); });
            inner.defer([&] {
                auto r = recover();
                first = r.get_if<my_err>();
                r.repanic();
            });
            godefer::panic(my_err{7});
        });
    });
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first, second);
    EXPECT_EQ(second->code, 7);
    EXPECT_EQ(order, (std::vector<std::string>{"inner 1 runs after re-panic", "outer recovered"}));
}

TEST(Run, RepanicOfAForeignExceptionRethrowsTheSameObject) {
    const void* original = nullptr;
    const void* caught = nullptr;
    try {
        run([&](frame& f) {
            f.defer([] { recover().repanic(); });
            try {
                throw std::range_error("r");
            } catch (const std::range_error& e) {
                original = &e;
                throw;
            }
        });
    } catch (const std::range_error& e) {
        caught = &e;
    }
    EXPECT_EQ(original, caught);
}

TEST(Run, UnrecoveredPanicLeavesAsPanicError) {
    try {
        run([](frame& f) {
            f.defer([] {});
            godefer::panic(std::string("plain"));
        });
        FAIL();
    } catch (const std::exception& e) {
        EXPECT_NE(dynamic_cast<const godefer::panic_error*>(&e), nullptr);
        EXPECT_STREQ(e.what(), "plain");
    }
}

// run's one handler sorts what it caught by type as catch clauses would: a class derived from
// panic_error is a godefer panic (recover() returns its value), a foreign exception whose type
// derives from a standard one stays itself, and goexit's signal is told from both.
struct derived_panic : godefer::panic_error {
    using panic_error::panic_error;
};

TEST(Run, AClassDerivedFromPanicErrorIsSortedAsAPanic) {
    std::string got;
    bool site_known = false;
    run([&](frame& f) {
        f.defer([&] {
            godefer::panic_value r = recover();
            // The panic's own value and site, not a foreign exception standing for it.
            if (const std::string* v = r.get_if<std::string>())
                got = *v;
            site_known = r.site().known();
        });
        throw derived_panic(godefer::detail::new_panic_record<std::string>(
            std::string("derived"), godefer::panic_site::current()));
    });
    EXPECT_EQ(got, "derived");
    EXPECT_TRUE(site_known);
    try {
        run([](frame& f) {
            f.defer([] {});
            run([] {
                throw derived_panic(godefer::detail::new_panic_record<std::string>(
                    std::string("through"), godefer::panic_site::current()));
            });
        });
        FAIL() << "the panic was lost";
    } catch (const derived_panic& e) {  // the same object goes on through both frames
        EXPECT_STREQ(e.what(), "through");
    }
}

// A class deriving from panic_error after another base (the panic_error subobject is not at the
// start of the exception object): repanic() of its recovered value must be a new panic on the
// chain above the recovered one, as for panic_error itself or a class deriving from it first.
// (adopt_carried compares the handoff's object with the exception object's address, not with the
// address of the panic_error subobject that a catch clause or caught_as adjusts to.)
struct panic_error_after_a_base_pad {
    virtual ~panic_error_after_a_base_pad() = default;
    long pad = 0;
};
struct derived_panic_at_an_offset : panic_error_after_a_base_pad, godefer::panic_error {
    using panic_error::panic_error;
};

template <class Thrown>
std::vector<std::string> chain_after_a_repanic_of() {
    std::vector<std::string> chain;
    run([&](frame& f) {
        f.defer([&] {
            for (godefer::panic_value v = recover(); v; v = v.aborted())
                chain.push_back(v.message() + (v.recovered() ? " [recovered]" : ""));
        });
        run([](frame& g) {
            g.defer([] { recover().repanic(); });
            throw Thrown(godefer::detail::new_panic_record<std::string>(
                std::string("re"), godefer::panic_site::current()));
        });
    });
    return chain;
}

TEST(Run, ARepanicOfAPanicErrorDerivedAtAnOffsetIsANewPanicOnTheChain) {
    const std::vector<std::string> expected{"re [recovered]", "re [recovered]"};
    EXPECT_EQ(chain_after_a_repanic_of<godefer::panic_error>(), expected);
    EXPECT_EQ(chain_after_a_repanic_of<derived_panic>(), expected);
    EXPECT_EQ(chain_after_a_repanic_of<derived_panic_at_an_offset>(), expected);
}

TEST(Run, AForeignExceptionOfADerivedTypeGoesOnAsItself) {
    struct my_error : std::out_of_range {
        my_error() : std::out_of_range("mine") {}
    };
    std::vector<std::string> order;
    try {
        run([&](frame& f) {
            f.defer([&] { order.push_back("outer call"); });
            run([&](frame& g) {
                g.defer([&] { order.push_back("inner call"); });
                throw my_error();
            });
        });
        FAIL() << "the exception was lost";
    } catch (const my_error& e) {
        EXPECT_STREQ(e.what(), "mine");
    }
    EXPECT_EQ(order, (std::vector<std::string>{"inner call", "outer call"}));
}

TEST(Run, GoexitRunsEveryCallAndIsInvisibleToRecover) {  // R22
    std::vector<std::string> order;
    EXPECT_THROW(run([&](frame& top) {
                     top.defer([&] { order.push_back("top"); });
                     run([&](frame& f) {
                         f.defer([&] { order.push_back("f 1"); });
                         f.defer([&] { order.push_back(recover() ? "recovered" : "nil"); });
                         godefer::goexit();
                     });
                     order.push_back("unreachable");
                 }),
                 godefer::goexit_signal);
    EXPECT_EQ(order, (std::vector<std::string>{"nil", "f 1", "top"}));
}

TEST(Run, RecoveredPanicDuringGoexitDoesNotCancelIt) {  // R23
    std::vector<std::string> order;
    EXPECT_THROW(run([&](frame& top) {
                     top.defer([&] { order.push_back("top"); });
                     run([&](frame& f) {
                         f.defer([&] { order.push_back("recovered " + recover().message()); });
                         f.defer([] { godefer::panic("hello"); });
                         f.defer([] { godefer::panic("twice"); });
                         godefer::goexit();
                     });
                     order.push_back("after f");
                 }),
                 godefer::goexit_signal);
    EXPECT_EQ(order, (std::vector<std::string>{"recovered hello", "top"}));
}

TEST(Run, GoexitInACallCancelsThePanic) {  // R25
    std::vector<std::string> order;
    try {
        run([&](frame& f) {
            f.defer([&] { order.push_back("top"); });
            f.defer([&] { order.push_back(recover() ? "recovered" : "nil"); });
            f.defer([] { godefer::goexit(); });
            godefer::panic("hello");
        });
    } catch (const godefer::goexit_signal& g) {
        order.push_back("goexit");
        ASSERT_TRUE(g.record()->older);
        EXPECT_EQ(g.record()->older->message(), "hello");  // kept on the chain, aborted
        EXPECT_TRUE(g.record()->older->aborted);
    }
    EXPECT_EQ(order, (std::vector<std::string>{"nil", "top", "goexit"}));
}

TEST(Run, CatchingAPanicOutsideRunSwallowsIt) {
    try {
        run([] { godefer::panic("first"); });
    } catch (const godefer::panic_error&) {
    }
    try {
        run([] { godefer::panic("second"); });
    } catch (const godefer::panic_error& e) {
        EXPECT_FALSE(e.value().aborted());
    }
}

TEST(Run, RethrowingTheSameExceptionFromACallIsAReRaise) {
    try {
        run([](frame& f) {
            f.defer([] { std::rethrow_exception(recover().exception()); });
            godefer::panic("same");
        });
        FAIL();
    } catch (const godefer::panic_error& e) {
        EXPECT_EQ(e.value().message(), "same");
        ASSERT_TRUE(e.value().aborted());
        EXPECT_TRUE(e.value().aborted().recovered());
    }
}

TEST(Run, MoveOnlyResults) {
    auto p = run([](frame& f) {
        f.defer([] {});
        return std::make_unique<int>(3);
    });
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 3);
}

// A body marked GODEFER_INLINE_BODY (inlined into run) keeps every rule: the result, the order of
// the calls, recovery with Go's zero value, an unrecovered panic, and the recovery of a panic from
// a call made while the body returns normally.
TEST(Run, ABodyMarkedInlineKeepsGoRules) {
    std::vector<std::string> order;
    const int v = run([&](frame& f) GODEFER_INLINE_BODY {
        f.defer([&] { order.push_back("call"); });
        order.push_back("body");
        return 7;
    });
    EXPECT_EQ(v, 7);
    EXPECT_EQ(order, (std::vector<std::string>{"body", "call"}));

    const int zero = run([](frame& f) GODEFER_INLINE_BODY {
        f.defer([] { EXPECT_EQ(recover().message(), "inlined"); });
        godefer::panic("inlined");
        return 1;
    });
    EXPECT_EQ(zero, 0);

    EXPECT_THROW(run([](frame& f) GODEFER_INLINE_BODY {
                     f.defer([] {});
                     godefer::panic("goes on");
                 }),
                 godefer::panic_error);

    const int kept = run([](frame& f) GODEFER_INLINE_BODY {
        f.defer([] { (void)recover(); });
        f.defer([] { godefer::panic("while returning"); });
        return 5;
    });
    EXPECT_EQ(kept, 5);  // R21: the body had returned when the panic started

    int calls = 0;
    run([&]() GODEFER_INLINE_BODY { ++calls; });  // a body without a frame parameter
    EXPECT_EQ(calls, 1);
}

// Code that runs in run after the drain may defer more calls on the frame through a pointer it
// kept: the destructor of the body's result, or of a caught exception. Every call so deferred runs,
// exactly once, whether the frame's calls spilled to the heap or not.
struct defers_when_destroyed {
    frame* f = nullptr;
    int* deferred = nullptr;            // the calls this object and its moved-from copies deferred
    int* ran = nullptr;                 // how many of them ran
    defers_when_destroyed() = default;  // run's zero value
    defers_when_destroyed(frame* fr, int* d, int* r) : f(fr), deferred(d), ran(r) {}
    // A moved-from object keeps the frame: each one run destroys defers a call. The caller's copy
    // must not (its frame is gone): the caller clears f.
    defers_when_destroyed(defers_when_destroyed&& o) noexcept
        : f(o.f), deferred(o.deferred), ran(o.ran) {}
    defers_when_destroyed& operator=(defers_when_destroyed&&) = delete;
    ~defers_when_destroyed() {
        if (f == nullptr)
            return;
        ++*deferred;
        f->defer([r = ran] { ++*r; });
    }
};

TEST(Run, ACallDeferredByTheResultsDestructorRuns) {
    for (int earlier : {2, 100}) {           // 100: the frame's calls are on the heap
        for (int how = 0; how < 3; ++how) {  // returns; a call panics, recovered; unrecovered
            int deferred = 0;
            int late_ran = 0;
            int ran = 0;
            try {
                auto r = run([&](frame& f) {
                    if (how == 1)
                        f.defer([] { (void)recover(); });
                    for (int i = 0; i < earlier; ++i) f.defer([&ran] { ++ran; });
                    if (how > 0)
                        f.defer([] { godefer::panic("after the return"); });
                    return defers_when_destroyed(&f, &deferred, &late_ran);
                });
                r.f = nullptr;  // the frame is gone
            } catch (const godefer::panic_error&) {
                EXPECT_EQ(how, 2);
            }
            EXPECT_EQ(ran, earlier) << earlier << " " << how;
            EXPECT_GE(deferred, how == 2 ? 1 : 2) << earlier << " " << how;  // run's result too
            EXPECT_EQ(late_ran, deferred) << earlier << " " << how;
        }
    }
}

struct thrown_deferring {
    defers_when_destroyed d;
};

TEST(Run, ACallDeferredByACaughtExceptionsDestructorRuns) {
    int deferred = 0;
    int late_ran = 0;
    int recovered = 0;
    run([&](frame& f) {
        f.defer([&] { recovered += recover() ? 1 : 0; });
        throw thrown_deferring{defers_when_destroyed(&f, &deferred, &late_ran)};
    });
    EXPECT_EQ(recovered, 1);
    EXPECT_GE(deferred, 1);
    EXPECT_EQ(late_ran, deferred);
}

// The same when a newer panic replaced the caught exception (a call recovered it, an older call
// panicked): the caught exception is destroyed while the new panic leaves run, and the call its
// destructor defers is made at once (nothing would run it later).
TEST(Run, ACallDeferredByAReplacedExceptionsDestructorIsMadeAtOnce) {
    for (int earlier : {0, 100}) {  // 100: the frame's calls were on the heap
        int deferred = 0;
        int late_ran = 0;
        std::string escaped;
        try {
            run([&](frame& f) {
                f.defer([] { godefer::panic("second"); });
                f.defer([] { (void)recover(); });
                for (int i = 0; i < earlier; ++i) f.defer([] {});
                throw thrown_deferring{defers_when_destroyed(&f, &deferred, &late_ran)};
            });
        } catch (const godefer::panic_error& e) {
            escaped = e.what();
        }
        EXPECT_EQ(escaped, "second");
        EXPECT_GE(deferred, 1);
        EXPECT_EQ(late_ran, deferred) << earlier;
    }
}

}  // namespace
