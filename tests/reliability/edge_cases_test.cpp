// Hostile inputs and rare paths: foreign exceptions of odd types, panic values that cannot be
// printed, goexit and re-raised records seen as values, thread cancellation meeting panics and
// goexit inside deferred calls, crashes of threads of work. (Found short by the coverage run.)
#include <gtest/gtest.h>
#include <pthread.h>
#include <cstdio>
#include <ostream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/run.hpp>
#include <godefer/unique_resource.hpp>

#include "coverage_dump.hpp"

namespace {

using godefer::frame;

template <class Throw>
std::string recovered_message(Throw do_throw) {
    std::string m = "not recovered";
    godefer::run([&](frame& f) {
        f.defer([&] { m = godefer::recover().message(); });
        do_throw();
    });
    return m;
}

struct odd_type {};

TEST(HostileInputs, ForeignExceptionsOfEveryKindHaveAMessage) {
    EXPECT_EQ(recovered_message([] { throw "a C string"; }), "a C string");
    EXPECT_EQ(recovered_message([] { throw std::string("a std::string"); }), "a std::string");
    EXPECT_EQ(recovered_message([] { throw std::make_error_code(std::errc::timed_out); }),
              std::make_error_code(std::errc::timed_out).message());
    EXPECT_EQ(recovered_message([] { throw 42; }), "int");
    EXPECT_NE(recovered_message([] { throw odd_type{}; }).find("odd_type"), std::string::npos);
}

TEST(HostileInputs, APanicWithAPointerToAString) {
    std::string text = "from a pointer";
    const char* p = text.c_str();
    EXPECT_EQ(recovered_message([p] { godefer::panic(p); }), "from a pointer");
    const char* null = nullptr;
    EXPECT_EQ(recovered_message([null] { godefer::panic(null); }),
              "panic called with nil argument");
}

// A value whose text cannot be made: its operator<< throws.
struct unprintable {
    friend std::ostream& operator<<(std::ostream&, const unprintable&) {
        throw std::runtime_error("cannot print");
    }
};

TEST(HostileInputs, APanicValueThatCannotBePrintedStillReports) {
    try {
        godefer::run([] { godefer::panic(unprintable{}); });
        FAIL();
    } catch (const godefer::panic_error& e) {
        EXPECT_STREQ(e.what(), "godefer::panic_error");
        EXPECT_NE(e.value().get_if<unprintable>(), nullptr);
    }
    testing::internal::CaptureStderr();
    int rc = godefer::main([] { godefer::panic(unprintable{}); });
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(rc, 2);
    // Go's report when printing the value panics (its runtime's preprintpanics).
    EXPECT_EQ(err.rfind("fatal error: panic while printing panic value: cannot print\n\ngoroutine "
                        "1 [running]:\n",
                        0),
              0u)
        << err;
}

TEST(HostileInputs, AGoexitRecordSeenAsAValueIsEmptyOfValue) {
    try {
        godefer::goexit();
    } catch (const godefer::goexit_signal& g) {
        godefer::panic_value v(g.record());
        EXPECT_TRUE(v);
        EXPECT_EQ(v.type(), typeid(void));
        EXPECT_EQ(v.get_if<std::string>(), nullptr);
        EXPECT_EQ(v.get_if<int>(), nullptr);
        EXPECT_EQ(v.message(), "");
        EXPECT_FALSE(v.aborted());
        EXPECT_STREQ(g.what(), "godefer::goexit");
    }
}

TEST(HostileInputs, AReRaisedValueKeepsItsTypeAndIdentity) {
    godefer::panic_value outer;
    godefer::run([&](frame& f) {
        f.defer([&] { outer = godefer::recover(); });
        godefer::run([](frame& g) {
            g.defer([] { godefer::recover().repanic(); });
            godefer::panic(std::string("again"));
        });
    });
    ASSERT_TRUE(outer);
    EXPECT_EQ(outer.type(), typeid(std::string));
    ASSERT_NE(outer.get_if<std::string>(), nullptr);
    EXPECT_EQ(*outer.get_if<std::string>(), "again");
    ASSERT_TRUE(outer.aborted());
    EXPECT_EQ(outer.aborted().get_if<std::string>(), outer.get_if<std::string>());  // same object
    EXPECT_EQ(outer.record()->value_address(), outer.aborted().record()->value_address());
}

// A resource whose move assignment may throw, with a deleter that is a function pointer.
struct handle {
    int fd = -1;
    handle() = default;
    explicit handle(int v) : fd(v) {}
    handle(const handle&) = default;
    handle& operator=(const handle& o) {
        if (o.fd == -2)
            throw std::runtime_error("cannot copy");
        fd = o.fd;
        return *this;
    }
};
std::vector<int> g_closed;
void close_handle(const handle& h) {
    g_closed.push_back(h.fd);
}

TEST(HostileInputs, UniqueResourceMoveAssignmentWithACopiedResource) {
    g_closed.clear();
    {
        godefer::unique_resource<handle, void (*)(const handle&)> a{handle{1}, close_handle};
        godefer::unique_resource<handle, void (*)(const handle&)> b{handle{2}, close_handle};
        a = std::move(b);  // closes 1, takes 2
        EXPECT_EQ(a.get().fd, 2);
        EXPECT_EQ(g_closed, std::vector<int>{1});
    }
    EXPECT_EQ(g_closed, (std::vector<int>{1, 2}));
}

// --- Thread cancellation (abi::__forced_unwind) meeting panics and goexit -----------------------

// A deferred call cancels the thread; the rest of the calls run and cannot recover; a goexit in
// one of them does not stop the cancellation.
std::vector<std::string> cancel_from_a_call(bool panicking) {
    std::vector<std::string> order;
    std::thread t([&] {
        godefer::run([&](frame& outer) {
            outer.defer([&] { order.push_back("outer call"); });
            godefer::run([&](frame& f) {
                f.defer([&] {
                    order.push_back(godefer::recover() ? "recovered?" : "oldest call, nil");
                });
                f.defer([&] {
                    order.push_back("a goexit inside the cancellation");
                    godefer::goexit();
                });
                f.defer([&] {
                    order.push_back("a call cancels the thread");
                    pthread_exit(nullptr);
                });
                if (panicking)
                    godefer::panic("in flight");
            });
        });
    });
    t.join();
    return order;
}

const std::vector<std::string> kCancelledOrder = {"a call cancels the thread",
                                                  "a goexit inside the cancellation",
                                                  "oldest call, nil", "outer call"};

TEST(Cancellation, ACancellationStartedByACallRunsTheRestAndSwallowsAGoexit) {
    EXPECT_EQ(cancel_from_a_call(false), kCancelledOrder);
}

// A platform limit, documented (docs/go-differences.md, section 3): a run frame runs its calls
// inside the handler of the panic (so that `throw;` in a call sees the panic), and libstdc++
// cannot catch a forced unwind (pthread_exit, pthread_cancel) while another exception is being
// handled: __cxa_begin_catch calls std::terminate. A call of a panicking frame that cancels the
// thread therefore ends the process with std::terminate (SIGABRT), after the calls that ran before
// it.
TEST(CancellationDeathTest, ACancellationStartedByACallDuringAPanicTerminates) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            godefer_test::dump_coverage_on_abort();
            std::thread t([] {
                godefer::run([](frame& f) {
                    f.defer([] { std::fputs("older call not reached\n", stderr); });
                    f.defer([] { pthread_exit(nullptr); });
                    f.defer([] { std::fputs("newest call ran\n", stderr); });
                    godefer::panic("in flight");
                });
            });
            t.join();
        },
        "newest call ran\n(.|\n)*terminate called");
}

TEST(Cancellation, ACancellationStartedByALocalFramesCallRunsTheRest) {
    // A forced unwind is not a C++ exception (no exception_ptr): rethrowing a null one crashed.
    std::vector<std::string> order;
    std::thread t([&] {
        godefer::frame local;
        local.defer([&] { order.push_back("older call"); });
        local.defer([&] {
            order.push_back("a call cancels the thread");
            pthread_exit(nullptr);
        });
    });
    t.join();
    EXPECT_EQ(order, (std::vector<std::string>{"a call cancels the thread", "older call"}));
}

TEST(Cancellation, MainAndGoLetTheCancellationThrough) {
    std::vector<std::string> order;
    std::thread t([&] {
        godefer::main([&](frame& f) {
            f.defer([&] { order.push_back("main's call"); });
            pthread_exit(nullptr);
        });
        order.push_back("unreachable");
    });
    t.join();
    std::thread g = godefer::go([&] { pthread_exit(nullptr); });
    g.join();
    EXPECT_EQ(order, std::vector<std::string>{"main's call"});
}

TEST(CancellationDeathTest, APanicDuringACancellationEndsTheProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            godefer_test::dump_coverage_on_abort();
            godefer::set_stacktrace_capture(false);
            std::thread t([] {
                godefer::run([](frame& f) {
                    f.defer([] { throw std::runtime_error("foreign during cancellation"); });
                    f.defer([] { godefer::panic("during cancellation"); });
                    pthread_exit(nullptr);
                });
            });
            t.join();
        },
        testing::ExitedWithCode(2),
        "panic: during cancellation\n(.|\n)*fatal error: a deferred call panicked during thread "
        "cancellation");
}

TEST(GoDeathTest, AForeignExceptionEndsTheProcessWithItsReport) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            std::thread t = godefer::go([] {
                godefer::run([](frame& f) {
                    f.defer([] { std::fputs("the thread's call runs\n", stderr); });
                    throw std::out_of_range("worker failed");
                });
            });
            t.join();
        },
        testing::ExitedWithCode(2),
        "the thread's call runs\npanic: worker failed\n\ngoroutine [0-9]+ \\[running\\]:");
}

}  // namespace

#if defined(GODEFER_TEST_COVERAGE)
// Coverage builds only: the paths that end the process with std::_Exit (a thread of work that
// crashes, a panic during a cancellation) would lose their counters, which exit() writes and
// _Exit() does not. This _Exit writes them first.
#include <sys/syscall.h>
#include <unistd.h>
extern "C" void _Exit(int status) noexcept {
    godefer_test::write_coverage();
    ::syscall(SYS_exit_group, status);
    __builtin_unreachable();
}
#endif
