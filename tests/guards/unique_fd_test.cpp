// unique_fd: a POSIX descriptor, -1 (any negative value) unallocated, closed with ::close.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <godefer/unique_fd.hpp>

namespace {

bool fd_is_open(int fd) {
    return ::fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

int open_dev_null() {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    EXPECT_NE(fd, -1);
    return fd;
}

static_assert(
    std::is_same_v<godefer::unique_fd, godefer::unique_resource<int, godefer::fd_deleter,
                                                                godefer::fd_resource_traits>>);
static_assert(std::is_nothrow_default_constructible_v<godefer::unique_fd>);
static_assert(std::is_nothrow_move_constructible_v<godefer::unique_fd>);
static_assert(std::is_nothrow_move_assignable_v<godefer::unique_fd>);
static_assert(std::is_nothrow_swappable_v<godefer::unique_fd>);
static_assert(!std::is_copy_constructible_v<godefer::unique_fd>);
static_assert(!std::is_convertible_v<int, godefer::unique_fd>);
static_assert(godefer::fd_resource_traits::make_default() == -1);
static_assert(!godefer::fd_resource_traits::is_allocated(-1));
static_assert(godefer::fd_resource_traits::is_allocated(0));

TEST(UniqueFd, ClosesAtScopeEnd) {
    int fd = -1;
    {
        godefer::unique_fd u(open_dev_null());
        fd = u.get();
        EXPECT_TRUE(u);
        EXPECT_TRUE(fd_is_open(fd));
    }
    EXPECT_FALSE(fd_is_open(fd));
}

TEST(UniqueFd, ClosesWhenLeftByAnException) {
    int fd = -1;
    EXPECT_THROW(
        {
            godefer::unique_fd u(open_dev_null());
            fd = u.get();
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_FALSE(fd_is_open(fd));
}

TEST(UniqueFd, AFailedOpenIsNotOwned) {
    godefer::unique_fd u(::open("/nonexistent/godefer", O_RDONLY));
    EXPECT_EQ(u.get(), -1);
    EXPECT_FALSE(u.allocated());
    godefer::unique_fd none;
    EXPECT_EQ(none.get(), -1);
    EXPECT_FALSE(none);
}

TEST(UniqueFd, ReleaseKeepsTheDescriptorOpenAndLeavesMinusOne) {
    const int fd = open_dev_null();
    {
        godefer::unique_fd u(fd);
        u.release();
        EXPECT_EQ(u.get(), -1);
    }
    EXPECT_TRUE(fd_is_open(fd));
    ::close(fd);
}

TEST(UniqueFd, MovesAndSwapsCloseOnce) {
    int first = -1;
    int second = -1;
    {
        godefer::unique_fd a(open_dev_null());
        godefer::unique_fd b(open_dev_null());
        first = a.get();
        second = b.get();
        std::swap(a, b);
        EXPECT_EQ(a.get(), second);
        godefer::unique_fd c(std::move(a));
        EXPECT_EQ(a.get(), -1);  // NOLINT(bugprone-use-after-move): the documented state
        b = std::move(c);        // closes `first`
        EXPECT_FALSE(fd_is_open(first));
        EXPECT_TRUE(fd_is_open(second));
        std::optional<godefer::unique_fd> o(std::in_place, std::move(b));
    }
    EXPECT_FALSE(fd_is_open(second));
}

TEST(UniqueFd, ResetClosesTheOldDescriptor) {
    godefer::unique_fd u(open_dev_null());
    const int first = u.get();
    u.reset(open_dev_null());
    EXPECT_NE(u.get(), -1);
    u.reset(-1);  // closes the second one, owns nothing
    EXPECT_FALSE(u);
    u.reset();
    static_cast<void>(first);
}

// A descriptor that someone else already closed: the deleter's close fails with EBADF, which is
// ignored (close has no way to report it from a destructor), and nothing else is touched.
TEST(UniqueFd, ADescriptorClosedBehindItsBack) {
    const int fd = open_dev_null();
    {
        godefer::unique_fd u(fd);
        ::close(fd);
    }
    EXPECT_FALSE(fd_is_open(fd));
    godefer::fd_deleter{}(fd);  // closing an invalid descriptor does not crash
    EXPECT_EQ(errno, EBADF);
}

}  // namespace
