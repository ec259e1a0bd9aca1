// unique_resource and make_unique_resource_checked: the Library Fundamentals TS v3 behaviour, with
// real POSIX file descriptors and FILE*, and the rules for constructions and moves that throw.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include <godefer/unique_resource.hpp>

namespace {

bool fd_is_open(int fd) {
    return ::fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

int open_dev_null() {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    EXPECT_NE(fd, -1);
    return fd;
}

// A deleter that records what it deletes.
struct recording_deleter {
    std::vector<int>* deleted;
    void operator()(int r) const noexcept { deleted->push_back(r); }
};

struct counting_fclose {
    int* calls;
    void operator()(std::FILE* f) const noexcept {
        ++*calls;
        std::fclose(f);
    }
};

// --- CTAD and the shape of the class -------------------------------------------------------------

static_assert(std::is_same_v<decltype(godefer::unique_resource{0, &::close}),
                             godefer::unique_resource<int, int (*)(int)>>);
static_assert(std::is_same_v<decltype(godefer::make_unique_resource_checked(
                                 static_cast<std::FILE*>(nullptr), nullptr, &std::fclose)),
                             godefer::unique_resource<std::FILE*, int (*)(std::FILE*)>>);
using fd_resource = godefer::unique_resource<int, int (*)(int)>;
static_assert(std::is_nothrow_move_constructible_v<fd_resource>);
static_assert(std::is_nothrow_move_assignable_v<fd_resource>);
static_assert(!std::is_copy_constructible_v<fd_resource>);
static_assert(!std::is_copy_assignable_v<fd_resource>);
static_assert(std::is_nothrow_default_constructible_v<fd_resource>);

// --- POSIX file descriptors ----------------------------------------------------------------------

TEST(UniqueResourceFd, ClosesAtScopeEnd) {
    int fd = -1;
    {
        auto r = godefer::make_unique_resource_checked(open_dev_null(), -1, &::close);
        fd = r.get();
        EXPECT_TRUE(fd_is_open(fd));
    }
    EXPECT_FALSE(fd_is_open(fd));
}

TEST(UniqueResourceFd, ClosesWhenLeftByAnException) {
    int fd = -1;
    EXPECT_THROW(
        {
            godefer::unique_resource r(open_dev_null(), &::close);
            fd = r.get();
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_FALSE(fd_is_open(fd));
}

TEST(UniqueResourceFd, InvalidValueIsNotOwned) {
    std::vector<int> deleted;
    {
        auto r = godefer::make_unique_resource_checked(-1, -1, recording_deleter{&deleted});
        EXPECT_EQ(r.get(), -1);
    }
    EXPECT_TRUE(deleted.empty());
}

TEST(UniqueResourceFd, ReleaseKeepsTheDescriptorOpen) {
    int fd = -1;
    {
        godefer::unique_resource r{open_dev_null(), &::close};
        fd = r.get();
        r.release();
    }
    EXPECT_TRUE(fd_is_open(fd));
    ::close(fd);
}

TEST(UniqueResourceFd, ResetWithANewDescriptorClosesTheOldOne) {
    const int first = open_dev_null();
    godefer::unique_resource r{first, &::close};
    r.reset(open_dev_null());
    EXPECT_FALSE(fd_is_open(first) && first != r.get());
    EXPECT_TRUE(fd_is_open(r.get()));
    const int second = r.get();
    r.reset();
    EXPECT_FALSE(fd_is_open(second));
    r.reset();  // already released: nothing
}

// --- FILE* ---------------------------------------------------------------------------------------

TEST(UniqueResourceFile, ClosedExactlyOnceAcrossMoves) {
    int calls = 0;
    {
        godefer::unique_resource a{std::fopen("/dev/null", "r"), counting_fclose{&calls}};
        ASSERT_NE(a.get(), nullptr);
        auto b = std::move(a);
        godefer::unique_resource<std::FILE*, counting_fclose> c;
        c = std::move(b);
        EXPECT_EQ(c.get_deleter().calls, &calls);
        EXPECT_EQ(calls, 0);
    }
    EXPECT_EQ(calls, 1);
}

TEST(UniqueResourceFile, PointerAccess) {
    struct point {
        int x;
        int y;
    };
    point p{1, 2};
    godefer::unique_resource r{&p, [](point* q) { q->x = 0; }};
    EXPECT_EQ(r->y, 2);
    EXPECT_EQ((*r).x, 1);
    r.reset();
    EXPECT_EQ(p.x, 0);
}

TEST(UniqueResourceFile, CheckedNullFileIsNotClosed) {
    int calls = 0;
    {
        auto f = godefer::make_unique_resource_checked(std::fopen("/nonexistent/godefer", "r"),
                                                       nullptr, counting_fclose{&calls});
        EXPECT_EQ(f.get(), nullptr);
    }
    EXPECT_EQ(calls, 0);
}

// --- Move assignment, default construction, references -----------------------------------------

TEST(UniqueResource, MoveAssignmentReleasesTheOldResourceFirst) {
    std::vector<int> deleted;
    {
        godefer::unique_resource a{1, recording_deleter{&deleted}};
        godefer::unique_resource b{2, recording_deleter{&deleted}};
        a = std::move(b);
        EXPECT_EQ(deleted, std::vector<int>{1});
        EXPECT_EQ(a.get(), 2);
    }
    EXPECT_EQ(deleted, (std::vector<int>{1, 2}));
}

TEST(UniqueResource, DefaultConstructedOwnsNothing) {
    godefer::unique_resource<int, void (*)(int)> r;
    EXPECT_EQ(r.get(), 0);
    r.reset();  // the null deleter is never called
}

TEST(UniqueResource, LvalueReferenceResource) {
    int value = 7;
    {
        godefer::unique_resource<int&, void (*)(int&)> r{value, [](int& v) { v = 0; }};
        EXPECT_EQ(&r.get(), &value);
    }
    EXPECT_EQ(value, 0);
}

// --- Construction and moves that throw -----------------------------------------------------------

// A resource whose copy may throw (it has no move constructor, so it is always copied).
struct flaky_handle {
    static inline bool copies_throw = false;
    int id = 0;
    flaky_handle() = default;
    explicit flaky_handle(int i) : id(i) {}
    flaky_handle(const flaky_handle& o) : id(o.id) {
        if (copies_throw)
            throw std::runtime_error("copy of handle");
    }
    flaky_handle& operator=(const flaky_handle& o) {
        if (copies_throw)
            throw std::runtime_error("copy of handle");
        id = o.id;
        return *this;
    }
    bool operator==(const flaky_handle& o) const { return id == o.id; }
};

struct handle_deleter {
    std::vector<int>* deleted;
    void operator()(const flaky_handle& h) const noexcept { deleted->push_back(h.id); }
};

// A deleter whose copy may throw.
struct flaky_deleter {
    static inline bool copies_throw = false;
    std::vector<int>* deleted;
    explicit flaky_deleter(std::vector<int>* d) : deleted(d) {}
    flaky_deleter(const flaky_deleter& o) : deleted(o.deleted) {
        if (copies_throw)
            throw std::runtime_error("copy of deleter");
    }
    flaky_deleter& operator=(const flaky_deleter&) = default;
    void operator()(int r) const noexcept { deleted->push_back(r); }
};

class ThrowingStore : public ::testing::Test {
  protected:
    void TearDown() override {
        flaky_handle::copies_throw = false;
        flaky_deleter::copies_throw = false;
    }
    std::vector<int> deleted;
};

TEST_F(ThrowingStore, ResourceCopyThrowsTheResourceIsDeleted) {
    flaky_handle h{5};
    flaky_handle::copies_throw = true;
    using ur = godefer::unique_resource<flaky_handle, handle_deleter>;
    EXPECT_THROW(ur(h, handle_deleter{&deleted}), std::runtime_error);
    EXPECT_EQ(deleted, std::vector<int>{5});
}

TEST_F(ThrowingStore, DeleterCopyThrowsTheResourceIsDeleted) {
    flaky_deleter d{&deleted};
    flaky_deleter::copies_throw = true;
    using ur = godefer::unique_resource<int, flaky_deleter>;
    EXPECT_THROW(ur(9, d), std::runtime_error);
    EXPECT_EQ(deleted, std::vector<int>{9});
}

TEST_F(ThrowingStore, CheckedInvalidResourceIsNotDeletedOnFailure) {
    flaky_deleter d{&deleted};
    flaky_deleter::copies_throw = true;
    EXPECT_THROW(godefer::make_unique_resource_checked(-1, -1, d), std::runtime_error);
    EXPECT_TRUE(deleted.empty());
    EXPECT_THROW(godefer::make_unique_resource_checked(3, -1, d), std::runtime_error);
    EXPECT_EQ(deleted, std::vector<int>{3});
}

TEST_F(ThrowingStore, MoveWhoseResourceCopyThrowsLeavesTheSourceOwning) {
    {
        godefer::unique_resource a{flaky_handle{4}, handle_deleter{&deleted}};
        flaky_handle::copies_throw = true;
        EXPECT_THROW(auto b = std::move(a), std::runtime_error);
        EXPECT_TRUE(deleted.empty());
        flaky_handle::copies_throw = false;
    }
    EXPECT_EQ(deleted, std::vector<int>{4});  // once, by the source
}

TEST_F(ThrowingStore, MoveWhoseDeleterCopyThrowsDeletesOnce) {
    {
        godefer::unique_resource a{8, flaky_deleter{&deleted}};
        flaky_deleter::copies_throw = true;
        EXPECT_THROW(auto b = std::move(a), std::runtime_error);
        EXPECT_EQ(deleted, std::vector<int>{8});  // deleted by the source's deleter, now
        flaky_deleter::copies_throw = false;
    }
    EXPECT_EQ(deleted, std::vector<int>{8});  // and not again
}

TEST_F(ThrowingStore, ResetWhoseCopyThrowsDeletesTheNewResource) {
    godefer::unique_resource a{flaky_handle{1}, handle_deleter{&deleted}};
    flaky_handle next{2};
    flaky_handle::copies_throw = true;
    EXPECT_THROW(a.reset(next), std::runtime_error);
    EXPECT_EQ(deleted, (std::vector<int>{1, 2}));
    flaky_handle::copies_throw = false;
    a.reset();  // owns nothing now
    EXPECT_EQ(deleted, (std::vector<int>{1, 2}));
}

TEST_F(ThrowingStore, MoveAssignmentWhoseCopyThrowsLeavesTheSourceIntact) {
    {
        godefer::unique_resource a{flaky_handle{1}, handle_deleter{&deleted}};
        godefer::unique_resource b{flaky_handle{2}, handle_deleter{&deleted}};
        flaky_handle::copies_throw = true;
        EXPECT_THROW(a = std::move(b), std::runtime_error);
        flaky_handle::copies_throw = false;
        EXPECT_EQ(deleted, std::vector<int>{1});  // a was reset first
    }
    EXPECT_EQ(deleted, (std::vector<int>{1, 2}));  // b still owned 2
}

TEST_F(ThrowingStore, MoveAssignmentCopiesWhatMayThrowToMove) {
    {
        godefer::unique_resource a{flaky_handle{1}, handle_deleter{&deleted}};
        godefer::unique_resource b{flaky_handle{2}, handle_deleter{&deleted}};
        a = std::move(b);  // the handle is copied (its move may throw), the deleter moved
        EXPECT_EQ(a.get().id, 2);
        EXPECT_EQ(deleted, std::vector<int>{1});
        godefer::unique_resource c{3, flaky_deleter{&deleted}};
        godefer::unique_resource d{4, flaky_deleter{&deleted}};
        c = std::move(d);  // the deleter is copied first, then the handle moved
        EXPECT_EQ(c.get(), 4);
        EXPECT_EQ(deleted, (std::vector<int>{1, 3}));
    }
    EXPECT_EQ(deleted, (std::vector<int>{1, 3, 4, 2}));
}

}  // namespace
