// godefer::group when memory runs out: a failure that cannot be recorded ends the process with
// its report (never lost), wait() still rethrows the failure, and the destructor still reports
// it. The global operator new fails on demand, on the arming thread only: a program of its own.
#include <gtest/gtest.h>
#include <chrono>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>

#include <godefer/group.hpp>
#include <godefer/panic.hpp>

namespace {
thread_local long t_countdown = -1;  // the allocation that fails when it reaches 0; negative: none
}

// The replacement pair allocates with malloc and frees with free; GCC cannot see that they match.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
    if (t_countdown >= 0 && t_countdown-- == 0)
        throw std::bad_alloc();
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace {

using godefer::group;

TEST(GroupOutOfMemory, WaitStillRethrowsTheFailure) {
    group g;
    g.go([] { godefer::panic("kept"); });
    std::string got;
    try {
        t_countdown = 0;  // the entry naming the member's thread cannot be made
        g.wait();
    } catch (const godefer::panic_error& e) {
        t_countdown = -1;
        got = e.value().message();
    }
    t_countdown = -1;
    EXPECT_EQ(got, "kept");
}

TEST(GroupOutOfMemory, TheDestructorStillReportsTheFailure) {
    testing::internal::CaptureStderr();
    {
        group g;
        g.go([] { godefer::panic("reported anyway"); });
        EXPECT_TRUE([&] {
            for (int i = 0; i < 20000 && !g.get_stop_token().stop_requested(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return g.get_stop_token().stop_requested();
        }());
        t_countdown = 0;  // the report's entry cannot be made: the failure's own record is printed
    }
    t_countdown = -1;
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(err.rfind("panic: reported anyway\n\n", 0), 0u) << err;
}

TEST(GroupOutOfMemoryDeathTest, AFailureThatCannotBeRecordedEndsTheProcessWithItsReport) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            group g;
            g.go([] {
                std::runtime_error e("unrecordable");
                t_countdown = 0;  // the member's failure entry cannot be made
                throw e;
            });
            g.wait();
            std::exit(0);
        },
        testing::ExitedWithCode(2), "panic: unrecordable\n\ngoroutine [0-9]+ \\[running\\]:");
}

}  // namespace

#if defined(GODEFER_TEST_COVERAGE)
// Coverage builds only: the crash path ends with std::_Exit, which would lose the counters.
extern "C" void __gcov_dump(void);
#include <sys/syscall.h>
#include <unistd.h>
extern "C" void _Exit(int status) noexcept {
    __gcov_dump();
    ::syscall(SYS_exit_group, status);
    __builtin_unreachable();
}
#endif
