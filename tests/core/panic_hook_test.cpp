// set_panic_hook / take_panic_hook: once per panic, at the panic site, before any deferred call;
// never for goexit; a hook that throws or panics changes nothing; installing while other threads
// panic. And the stack traces the reports print: the panic site first, resolved to file:line.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;
using godefer::panic_value;

// Removes whatever hook a test left behind, before and after it.
struct HookTest : ::testing::Test {
    void SetUp() override { godefer::take_panic_hook(); }
    void TearDown() override { godefer::take_panic_hook(); }
};

TEST_F(HookTest, RunsOncePerPanicAtTheSiteBeforeAnyDeferredCall) {
    std::vector<std::string> order;
    godefer::set_panic_hook([&](const panic_value& v) {
        order.push_back("hook: " + v.message());
        EXPECT_FALSE(v.recovered());
        EXPECT_TRUE(v.site().known());
    });
    godefer::run([&](frame& f) {
        f.defer([&] {
            order.push_back("deferred");
            godefer::recover();
        });
        order.push_back("body");
        godefer::panic("boom");
    });
    EXPECT_EQ(order, (std::vector<std::string>{"body", "hook: boom", "deferred"}));
}

TEST_F(HookTest, SetReturnsThePreviousHookAndTakeRemovesIt) {
    int first = 0;
    int second = 0;
    EXPECT_FALSE(godefer::set_panic_hook([&](const panic_value&) { ++first; }));
    godefer::panic_hook previous = godefer::set_panic_hook([&](const panic_value&) { ++second; });
    ASSERT_TRUE(previous);
    previous(panic_value());  // the returned hook is the first one
    EXPECT_EQ(first, 1);
    godefer::run([] {
        godefer::run([](frame& f) {
            f.defer(godefer::recover);
            godefer::panic(1);
        });
    });
    EXPECT_EQ(second, 1);
    EXPECT_TRUE(godefer::take_panic_hook());
    EXPECT_FALSE(godefer::take_panic_hook());
    godefer::run([](frame& f) {
        f.defer(godefer::recover);
        godefer::panic(2);
    });
    EXPECT_EQ(second, 1);
}

TEST_F(HookTest, NeverForGoexitButForAPanicRaisedDuringIt) {
    std::vector<std::string> seen;
    godefer::set_panic_hook([&](const panic_value& v) { seen.push_back(v.message()); });
    std::thread t = godefer::go([] {
        godefer::run([](frame& f) {
            f.defer([] {
                godefer::run([](frame& g) {
                    g.defer(godefer::recover);
                    godefer::panic("during goexit");
                });
            });
            godefer::goexit();
        });
    });
    t.join();
    EXPECT_EQ(seen, (std::vector<std::string>{"during goexit"}));
}

TEST_F(HookTest, AForeignExceptionOnceWhenItFirstEntersARunFrame) {
    int calls = 0;
    std::string message;
    godefer::set_panic_hook([&](const panic_value& v) {
        ++calls;
        message = v.message();
        EXPECT_NE(v.get_if<std::out_of_range>(), nullptr);
    });
    // It crosses two run frames unrecovered, then the outer one recovers it: one panic.
    godefer::run([](frame& f) {
        f.defer(godefer::recover);
        godefer::run([](frame&) { godefer::run([] { throw std::out_of_range("index"); }); });
    });
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(message, "index");
    // A new exception is a new panic.
    godefer::run([](frame& f) {
        f.defer(godefer::recover);
        throw std::out_of_range("again");
    });
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(message, "again");
}

TEST_F(HookTest, TheHooksValueGivesAnExceptionThatCarriesThePanic) {
    // A hook may keep the panic as an exception_ptr (to log it or hand it to another thread).
    std::exception_ptr kept;
    godefer::set_panic_hook([&](const panic_value& v) { kept = v.exception(); });
    godefer::run([](frame& f) {
        f.defer(godefer::recover);
        godefer::panic(std::string("boom"));
    });
    ASSERT_TRUE(kept);
    try {
        std::rethrow_exception(kept);
    } catch (const godefer::panic_error& e) {
        EXPECT_EQ(e.value().message(), "boom");
        EXPECT_EQ(*e.value().get_if<std::string>(), "boom");
    } catch (...) {
        ADD_FAILURE() << "not a panic_error";
    }
    // A foreign exception is kept as itself: the very object that was thrown.
    const std::out_of_range* thrown = nullptr;
    godefer::run([&](frame& f) {
        f.defer(godefer::recover);
        try {
            throw std::out_of_range("index");
        } catch (const std::out_of_range& e) {
            thrown = &e;
            throw;
        }
    });
    try {
        std::rethrow_exception(kept);
    } catch (const std::out_of_range& e) {
        EXPECT_EQ(&e, thrown);
    } catch (...) {
        ADD_FAILURE() << "not the foreign exception";
    }
}

TEST_F(HookTest, AForeignExceptionCaughtOutsideAndThrownAgainIsANewPanic) {
    int calls = 0;
    godefer::set_panic_hook([&](const panic_value&) { ++calls; });
    std::exception_ptr saved;
    try {
        godefer::run([] { throw std::out_of_range("first"); });
    } catch (...) {
        saved = std::current_exception();
    }
    EXPECT_EQ(calls, 1);
    godefer::run([&](frame& f) {
        f.defer(godefer::recover);
        std::rethrow_exception(saved);
    });
    EXPECT_EQ(calls, 2);
}

TEST_F(HookTest, RecoverInTheHookStopsNothing) {
    // The hook runs for a panic raised inside a deferred call of a panicking frame: recover() in
    // the hook must not stop the panic in flight (P1), nor the new one (P2).
    godefer::set_panic_hook([](const panic_value&) { (void)godefer::recover(); });
    std::string escaped;
    try {
        godefer::run([](frame& f) {
            f.defer([] {
                godefer::run([](frame& g) {
                    g.defer(godefer::recover);  // P2 is recovered here, by its own frame
                    godefer::panic("P2");
                });
            });
            godefer::panic("P1");
        });
    } catch (const godefer::panic_error& e) {
        escaped = e.what();
    }
    EXPECT_EQ(escaped, "P1");
}

TEST_F(HookTest, RepanicIsANewPanic) {
    std::vector<std::string> seen;
    godefer::set_panic_hook([&](const panic_value& v) { seen.push_back(v.message()); });
    godefer::run([](frame& f) {
        f.defer(godefer::recover);
        godefer::run([](frame& g) {
            g.defer([] { godefer::recover().repanic(); });
            godefer::panic("first");
        });
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"first", "first"}));
}

TEST_F(HookTest, AHookThatThrowsOrPanicsChangesNothing) {
    int calls = 0;
    godefer::set_panic_hook([&](const panic_value&) {
        ++calls;
        if (calls == 1)
            throw std::runtime_error("hook failed");
        godefer::panic("hook panicked");  // does not call the hook again
    });
    for (const char* what : {"one", "two"}) {
        std::string recovered;
        testing::internal::CaptureStderr();
        godefer::run([&](frame& f) {
            f.defer([&] { recovered = godefer::recover().message(); });
            godefer::panic(what);
        });
        const std::string err = testing::internal::GetCapturedStderr();
        EXPECT_EQ(recovered, what);
        EXPECT_NE(err.find("the panic hook threw"), std::string::npos) << err;
    }
    EXPECT_EQ(calls, 2);
}

TEST_F(HookTest, InstalledAndCalledFromManyThreadsAtOnce) {
    std::atomic<int> calls{0};
    std::atomic<bool> stop{false};
    std::thread installer([&] {
        while (!stop.load()) {
            godefer::set_panic_hook([&](const panic_value&) { calls.fetch_add(1); });
            godefer::take_panic_hook();
        }
    });
    std::vector<std::thread> workers;
    std::atomic<int> recovered{0};
    for (int t = 0; t < 4; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                godefer::run([&](frame& f) {
                    f.defer([&] {
                        if (godefer::recover())
                            recovered.fetch_add(1);
                    });
                    godefer::panic(i);
                });
            }
        });
    }
    for (std::thread& w : workers) w.join();
    stop = true;
    installer.join();
    EXPECT_EQ(recovered.load(), 2000);
    EXPECT_LE(calls.load(), 2000);
}

#if defined(GODEFER_WITH_LIBDW) && GODEFER_WITH_LIBDW
__attribute__((noinline)) void panics_here() {
    godefer::panic("traced");  // the line the trace's first frame must name
}
constexpr int kPanicLine = __LINE__ - 2;

TEST(StackTrace, StartsAtThePanicSiteWithFileAndLine) {
    std::string trace;
    godefer::run([&](frame& f) {
        f.defer([&] { trace = godefer::recover().stacktrace(); });
        panics_here();
    });
    const std::string first_line = trace.substr(0, trace.find('\n'));
    EXPECT_NE(first_line.find("panics_here"), std::string::npos) << trace;
    EXPECT_NE(trace.find("panic_hook_test.cpp:" + std::to_string(kPanicLine)), std::string::npos)
        << trace;
    EXPECT_EQ(trace.find("godefer::detail"), std::string::npos) << trace;
    EXPECT_EQ(trace.find("std::__invoke"), std::string::npos) << trace;
}

__attribute__((noinline)) void set_up_once() {
    static std::once_flag once;
    std::call_once(once, [] { panics_here(); });
}

TEST(StackTrace, GoesOnThroughTheCLibrary) {
    // std::call_once runs its function through pthread_once, in the C library: the frames below
    // it are still the program's.
    std::string trace;
    godefer::run([&](frame& f) {
        f.defer([&] { trace = godefer::recover().stacktrace(); });
        set_up_once();
    });
    EXPECT_NE(trace.find("panics_here"), std::string::npos) << trace;
    EXPECT_NE(trace.find("set_up_once"), std::string::npos) << trace;
}

TEST(StackTrace, EmptyWhenCaptureIsOff) {
    const bool was = godefer::set_stacktrace_capture(false);
    std::string trace = "unset";
    godefer::run([&](frame& f) {
        f.defer([&] { trace = godefer::recover().stacktrace(); });
        godefer::panic(1);
    });
    godefer::set_stacktrace_capture(was);
    EXPECT_EQ(trace, "");
}

TEST(StackTrace, TheReportOfARecoveredPanicNamesItRecovered) {
    std::string report;
    godefer::run([&](frame& f) {
        f.defer([&] { report = godefer::recover().report(); });
        panics_here();
    });
    EXPECT_EQ(report.rfind("panic: traced [recovered]\n\n", 0), 0u) << report;
    EXPECT_NE(report.find("panics_here"), std::string::npos) << report;
}
#endif

TEST(StackTrace, FramesThatCannotBeResolvedPrintAsModuleAndOffset) {
    // An address in the C library: never a program frame, so the resolved form has nothing to
    // show and the trace falls back to the exported symbol and module+offset.
    // The C library's own abort (a sanitizer's runtime interposes one of its own on &std::abort).
    void* libc = ::dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    ASSERT_NE(libc, nullptr) << ::dlerror();
    void* libc_abort = ::dlsym(libc, "abort");
    ::dlclose(libc);
    ASSERT_NE(libc_abort, nullptr);
    godefer::detail::stack_trace t;
    t.frames[0] = static_cast<char*>(libc_abort) + 1;
    t.depth = 1;
    bool resolved = true;
    const std::string text = t.format(&resolved);
    EXPECT_FALSE(resolved);
    EXPECT_NE(text.find("abort+0x1\n\t"), std::string::npos) << text;
    EXPECT_NE(text.find("libc"), std::string::npos) << text;
    EXPECT_TRUE(godefer::detail::stack_trace().format().empty());
}

TEST(StackTrace, PathsLoseTheirDetours) {
    using godefer::detail::normalize_path;
    EXPECT_EQ(
        normalize_path("/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/tuple"),
        "/usr/include/c++/12/tuple");
    EXPECT_EQ(normalize_path("/src/a.cpp"), "/src/a.cpp");
    EXPECT_EQ(normalize_path("../a/b.cpp"), "../a/b.cpp");
}

TEST(StackTrace, LambdaNamesReadAsTheirFunction) {
    using godefer::detail::simplify_function_name;
    EXPECT_EQ(simplify_function_name(
                  "load()::{lambda(godefer::frame&)#1}::operator()(godefer::frame&) const"),
              "load()::{lambda#1}");
    EXPECT_EQ(simplify_function_name("main::{lambda()#1}::operator()() const::{lambda(int)#2}::"
                                     "operator()(int) const"),
              "main::{lambda#1}::{lambda#2}");
    EXPECT_EQ(simplify_function_name("load()::$_3::operator()(int) const"), "load()::{lambda}");
    EXPECT_EQ(simplify_function_name("serve() [clone .cold]"), "serve()");
    // Names that are not mangled carry the clone's suffix as it is in the symbol table.
    EXPECT_EQ(simplify_function_name("main.cold"), "main");
    EXPECT_EQ(simplify_function_name("plugin_panic.part.0.cold"), "plugin_panic");
    EXPECT_EQ(simplify_function_name("step.isra.0"), "step");
    EXPECT_EQ(simplify_function_name("_GLOBAL__sub_I_main.cpp"), "_GLOBAL__sub_I_main.cpp");
    EXPECT_EQ(simplify_function_name("plain(int)"), "plain(int)");
    // GCC's name of a generic lambda's call operator, as nm -C prints it.
    EXPECT_EQ(simplify_function_name(
                  "auto f()::{lambda(auto:1, std::__cxx11::basic_string<char, "
                  "std::char_traits<char>, std::allocator<char> >)#1}::operator()<int>(int, "
                  "std::__cxx11::basic_string<char, std::char_traits<char>, "
                  "std::allocator<char> >) const"),
              "f()::{lambda#1}");
    EXPECT_EQ(simplify_function_name("std::__cxx11::basic_string<char, std::char_traits<char>, "
                                     "std::allocator<char> > name(std::basic_string_view<char, "
                                     "std::char_traits<char> >)"),
              "std::string name(std::string_view)");
}

TEST(StackTrace, MalformedNamesAreKeptNotCut) {
    // Names from a damaged symbol table or an unknown demangler: never a crash, never a lost tail.
    using godefer::detail::simplify_function_name;
    EXPECT_EQ(simplify_function_name("f()::{lambda(int"), "f()::{lambda(int");
    EXPECT_EQ(simplify_function_name("x}::operator()(int"), "x}::operator()(int");
    EXPECT_EQ(simplify_function_name("x}::operator()"), "x}::operator()");
    EXPECT_EQ(simplify_function_name("x}::operator() y}::operator()(int) const"),
              "x}::operator() y}");
    EXPECT_EQ(simplify_function_name("x}::operator()<int"), "x}::operator()<int");
    EXPECT_EQ(simplify_function_name("g() [clone .part.0"), "g()");
    using godefer::detail::normalize_path;
    EXPECT_EQ(normalize_path("/../a.cpp"), "/../a.cpp");
    EXPECT_EQ(normalize_path("/a/../../b.cpp"), "/../b.cpp");
    EXPECT_EQ(normalize_path("a/../b.cpp"), "a/../b.cpp");
}

TEST(StackTrace, ForeignExceptionsAreDescribed) {
    using godefer::detail::describe_exception;
    EXPECT_EQ(describe_exception(nullptr), "<no exception>");
    EXPECT_EQ(describe_exception(std::make_exception_ptr(std::string("s"))), "s");
    EXPECT_EQ(describe_exception(std::make_exception_ptr(static_cast<const char*>(nullptr))),
              "(null)");
    EXPECT_EQ(describe_exception(
                  std::make_exception_ptr(std::make_error_code(std::errc::invalid_argument))),
              std::make_error_code(std::errc::invalid_argument).message());
    struct odd {};
    EXPECT_NE(describe_exception(std::make_exception_ptr(odd{})).find("odd"), std::string::npos);
}

}  // namespace
