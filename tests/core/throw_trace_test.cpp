// godefer::throw_trace: a C++ exception reaching a run frame carries the stack of its throw; never
// the stack of another exception (a freed object's address reused), also when exceptions are
// thrown and caught in destructors while it unwinds.
#include <gtest/gtest.h>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <godefer/run.hpp>

namespace {

using godefer::frame;

__attribute__((noinline)) int read_past_the_end(const std::vector<int>& v) {
    return v.at(v.size() + 2);
}

std::string trace_of(void (*body)()) {
    std::string trace;
    godefer::run([&](frame& f) {
        f.defer([&] { trace = godefer::recover().stacktrace(); });
        body();
    });
    return trace;
}

TEST(ThrowTrace, AStandardLibraryThrowIsTracedFromItsCaller) {
    const std::string trace = trace_of([] {
        const std::vector<int> v{1, 2, 3};
        read_past_the_end(v);
    });
#if defined(GODEFER_WITH_LIBDW) && GODEFER_WITH_LIBDW
    EXPECT_NE(trace.find("read_past_the_end"), std::string::npos) << trace;
    EXPECT_NE(trace.find("throw_trace_test.cpp"), std::string::npos) << trace;
#else
    EXPECT_FALSE(trace.empty());
#endif
}

__attribute__((noinline)) void old_thrower() {
    throw std::runtime_error("old");
}

TEST(ThrowTrace, AnExceptionMadeWithoutThrowNeverGetsAnotherOnesStack) {
    for (int i = 0; i < 20; ++i) {  // the freed object's address is likely reused
        try {
            old_thrower();
        } catch (...) {
        }
        const std::string trace = trace_of(
            [] { std::rethrow_exception(std::make_exception_ptr(std::runtime_error("new"))); });
        EXPECT_EQ(trace.find("old_thrower"), std::string::npos) << trace;
    }
}

struct throws_in_destructor {
    ~throws_in_destructor() {
        for (int i = 0; i < 6; ++i) {
            try {
                throw std::logic_error("inside a destructor");
            } catch (...) {
            }
        }
    }
};

__attribute__((noinline)) void thrower_with_noisy_locals() {
    throws_in_destructor a;
    throws_in_destructor b;
    throw std::out_of_range("the one that reaches the frame");
}

TEST(ThrowTrace, ExceptionsThrownAndCaughtWhileItUnwindsDoNotPushItOut) {
    const std::string trace = trace_of([] { thrower_with_noisy_locals(); });
#if defined(GODEFER_WITH_LIBDW) && GODEFER_WITH_LIBDW
    EXPECT_NE(trace.find("thrower_with_noisy_locals"), std::string::npos) << trace;
#else
    EXPECT_FALSE(trace.empty());
#endif
}

TEST(ThrowTrace, GodeferPanicsAreNotCapturedTwice) {
    std::string trace;
    godefer::run([&](frame& f) {
        f.defer([&] { trace = godefer::recover().stacktrace(); });
        godefer::panic("a panic captures at its site");
    });
    EXPECT_FALSE(trace.empty());
    for (const auto& slot : godefer::detail::this_thread_state().thrown)
        EXPECT_EQ(slot.object, nullptr);  // nothing left recorded for a panic's throw
}

}  // namespace
