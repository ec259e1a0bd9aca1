// unique_resource beyond the TS: allocated() and operator bool, unique_resource(r), resource
// traits, deleters constructed from their argument, reference deleters, and the constrained move
// assignment (std::is_move_assignable_v, std::is_swappable_v, std::optional, std::swap).
#include <gtest/gtest.h>
#include <functional>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include <godefer/unique_resource.hpp>

#include "tracked.hpp"

namespace godefer_test::resource_checks {

void close_fn(int) noexcept {}
inline int lambda_state = 0;
// A capturing lambda: not assignable (a captureless one is, from C++20 on).
inline auto lambda_deleter = [p = &lambda_state](int) noexcept { ++*p; };
using lambda_deleter_t = decltype(lambda_deleter);
struct functor_deleter {
    void operator()(int) const noexcept {}
};

// Move assignment takes part in overload resolution only when it can work.
using with_lambda = godefer::unique_resource<int, lambda_deleter_t>;
using with_function_ref = godefer::unique_resource<int, void (&)(int) noexcept>;
using with_functor_ref = godefer::unique_resource<int, functor_deleter&>;
using with_pointer = godefer::unique_resource<int, void (*)(int) noexcept>;
using with_functor = godefer::unique_resource<int, functor_deleter>;

static_assert(!std::is_move_assignable_v<with_lambda>);
static_assert(!std::is_swappable_v<with_lambda>);
static_assert(std::is_move_constructible_v<with_lambda>);
static_assert(std::is_nothrow_move_assignable_v<with_function_ref>);  // rebinds the reference
static_assert(std::is_swappable_v<with_function_ref>);
static_assert(std::is_nothrow_move_assignable_v<with_functor_ref>);
static_assert(std::is_nothrow_move_assignable_v<with_pointer>);
static_assert(std::is_nothrow_swappable_v<with_functor>);
static_assert(!std::is_copy_assignable_v<with_functor>);
static_assert(!std::is_copy_constructible_v<with_functor>);

// unique_resource(r): with a default-constructible deleter only, and explicit.
static_assert(std::is_constructible_v<with_functor, int>);
static_assert(!std::is_convertible_v<int, with_functor>);
static_assert(!std::is_constructible_v<with_pointer, int>);  // it would be a null pointer
static_assert(!std::is_constructible_v<with_function_ref, int>);

// operator bool is explicit.
static_assert(std::is_constructible_v<bool, with_functor>);
static_assert(!std::is_convertible_v<with_functor, bool>);

}  // namespace godefer_test::resource_checks

namespace {

using godefer_test::resource_checks::functor_deleter;

struct recording_deleter {
    std::vector<int>* deleted;
    void operator()(int r) const noexcept { deleted->push_back(r); }
};

// A deleter made from a pool pointer (the pointer itself is not callable).
struct pool {
    std::vector<int> returned;
};
struct return_to_pool {
    pool* p;
    return_to_pool(pool* q) noexcept : p(q) {}  // NOLINT(google-explicit-constructor): on purpose
    void operator()(int conn) const noexcept { p->returned.push_back(conn); }
};

// A deleter that counts, default-constructible (for unique_resource(r)).
struct global_deleter {
    static inline std::vector<int> deleted;
    void operator()(int r) const noexcept { deleted.push_back(r); }
};

// Traits: negative values are unallocated, -1 is the default.
struct negative_unallocated {
    static int make_default() noexcept { return -1; }
    static bool is_allocated(int r) noexcept { return r >= 0; }
};

// --- Deleters constructed from their argument ----------------------------------------------------

TEST(ConstructedDeleter, FromAPoolPointer) {
    pool p;
    {
        godefer::unique_resource<int, return_to_pool> conn(7, &p);
        EXPECT_EQ(conn.get_deleter().p, &p);
        godefer::unique_resource<int, return_to_pool> other(8, &p);
        conn = std::move(other);
        EXPECT_EQ(p.returned, std::vector<int>{7});
    }
    EXPECT_EQ(p.returned, (std::vector<int>{7, 8}));
}

// A deleter whose constructor from its argument throws: the argument is no deleter, so nothing
// can be called (the resource is not deleted: documented).
struct flaky_pool_deleter {
    static inline bool throws = false;
    pool* p;
    explicit flaky_pool_deleter(pool* q) : p(q) {
        if (throws)
            throw std::runtime_error("flaky_pool_deleter");
    }
    void operator()(int conn) const noexcept { p->returned.push_back(conn); }
};

TEST(ConstructedDeleter, AFailedConstructionHasNothingToCall) {
    pool p;
    flaky_pool_deleter::throws = true;
    using ur = godefer::unique_resource<int, flaky_pool_deleter>;
    EXPECT_THROW(ur(9, &p), std::runtime_error);
    flaky_pool_deleter::throws = false;
    EXPECT_TRUE(p.returned.empty());
}

// --- allocated(), operator bool, unique_resource(r) ----------------------------------------------

TEST(Ownership, AllocatedFollowsOwnership) {
    std::vector<int> deleted;
    godefer::unique_resource r{1, recording_deleter{&deleted}};
    EXPECT_TRUE(r.allocated());
    EXPECT_TRUE(static_cast<bool>(r));
    r.release();
    EXPECT_FALSE(r.allocated());
    EXPECT_FALSE(r);
    EXPECT_EQ(r.get(), 1);  // without traits, the handle stays as it was (TS)
    r.reset(2);
    EXPECT_TRUE(r);
    r.reset();
    EXPECT_FALSE(r);
    auto checked = godefer::make_unique_resource_checked(-1, -1, recording_deleter{&deleted});
    EXPECT_FALSE(checked);
    EXPECT_EQ(deleted, std::vector<int>{2});
}

TEST(Ownership, DefaultConstructedIsNotAllocated) {
    godefer::unique_resource<int, functor_deleter> r;
    EXPECT_FALSE(r.allocated());
}

TEST(Ownership, ResourceOnlyConstructorValueInitialisesTheDeleter) {
    global_deleter::deleted.clear();
    {
        godefer::unique_resource<int, global_deleter> r(4);
        EXPECT_TRUE(r);
        auto s = std::move(r);
        EXPECT_FALSE(r);  // NOLINT(bugprone-use-after-move): the documented state
    }
    EXPECT_EQ(global_deleter::deleted, std::vector<int>{4});
}

// --- Resource traits
// ---------------------------------------------------------------------------------

using traited = godefer::unique_resource<int, global_deleter, negative_unallocated>;

TEST(ResourceTraits, UnallocatedValuesAreNeverDeleted) {
    global_deleter::deleted.clear();
    {
        traited none;
        EXPECT_EQ(none.get(), -1);
        EXPECT_FALSE(none);
        traited also_none(-5);
        EXPECT_FALSE(also_none.allocated());
        traited one(3);
        EXPECT_TRUE(one.allocated());
        traited with_deleter(6, global_deleter{});
        EXPECT_TRUE(with_deleter);
    }
    EXPECT_EQ(global_deleter::deleted, (std::vector<int>{6, 3}));
}

TEST(ResourceTraits, ReleaseAndMovesLeaveTheDefault) {
    global_deleter::deleted.clear();
    {
        traited a(1);
        a.release();
        EXPECT_EQ(a.get(), -1);
        traited b(2);
        traited c(std::move(b));
        EXPECT_EQ(b.get(), -1);  // NOLINT(bugprone-use-after-move): the documented state
        EXPECT_EQ(c.get(), 2);
        traited d(3);
        d = std::move(c);
        EXPECT_EQ(global_deleter::deleted, std::vector<int>{3});
        EXPECT_EQ(c.get(), -1);  // NOLINT(bugprone-use-after-move): the documented state
        EXPECT_EQ(d.get(), 2);
        d.reset(-1);  // deletes 2; owns nothing
        EXPECT_FALSE(d);
        d.reset(4);
        EXPECT_TRUE(d);
        d.reset();
        EXPECT_EQ(d.get(), -1);
    }
    EXPECT_EQ(global_deleter::deleted, (std::vector<int>{3, 2, 4}));
}

TEST(ResourceTraits, SwapAndSelfMove) {
    global_deleter::deleted.clear();
    {
        traited a(1);
        traited b(-1);
        std::swap(a, b);
        EXPECT_EQ(a.get(), -1);
        EXPECT_EQ(b.get(), 1);
        auto& alias = b;
        b = std::move(alias);  // self-move: nothing happens
        EXPECT_EQ(b.get(), 1);
        EXPECT_TRUE(global_deleter::deleted.empty());
    }
    EXPECT_EQ(global_deleter::deleted, std::vector<int>{1});
}

// A deleter whose copy may throw, with traits: a failed move deletes once; a failed move
// assignment leaves the source owning.
struct flaky_deleter {
    static inline bool copies_throw = false;
    std::vector<int>* deleted;
    explicit flaky_deleter(std::vector<int>* d) : deleted(d) {}
    flaky_deleter(const flaky_deleter& o) : deleted(o.deleted) {
        if (copies_throw)
            throw std::runtime_error("copy of deleter");
    }
    flaky_deleter& operator=(const flaky_deleter& o) {
        if (copies_throw)
            throw std::runtime_error("assignment of deleter");
        deleted = o.deleted;
        return *this;
    }
    void operator()(int r) const noexcept { deleted->push_back(r); }
};

TEST(ResourceTraits, ThrowingDeleterCopies) {
    using ur = godefer::unique_resource<int, flaky_deleter, negative_unallocated>;
    std::vector<int> deleted;
    {
        ur a(1, flaky_deleter(&deleted));
        flaky_deleter::copies_throw = true;
        EXPECT_THROW(ur b(std::move(a)), std::runtime_error);
        EXPECT_EQ(deleted, std::vector<int>{1});  // deleted by the source's deleter, at once
        EXPECT_FALSE(a);
        flaky_deleter::copies_throw = false;
        ur c(2, flaky_deleter(&deleted));
        ur d(3, flaky_deleter(&deleted));
        flaky_deleter::copies_throw = true;
        EXPECT_THROW(c = std::move(d), std::runtime_error);
        flaky_deleter::copies_throw = false;
        EXPECT_FALSE(c);  // reset first
        EXPECT_TRUE(d);   // intact
        EXPECT_EQ(deleted, (std::vector<int>{1, 2}));
        c = std::move(d);  // the deleter is copied first, then the resource moved
        EXPECT_TRUE(c);
        EXPECT_FALSE(d);  // NOLINT(bugprone-use-after-move): the documented state
        EXPECT_THROW(ur(-1,
                        [&] {
                            flaky_deleter::copies_throw = true;
                            return flaky_deleter(&deleted);
                        }()),
                     std::runtime_error);
        flaky_deleter::copies_throw = false;
        EXPECT_EQ(deleted, (std::vector<int>{1, 2}));  // -1 is not allocated: not deleted
    }
    EXPECT_EQ(deleted, (std::vector<int>{1, 2, 3}));
}

// A handle whose copies may throw (moves cannot), with traits: reset(r) from an lvalue copies it;
// a copy that throws deletes r, and the unique_resource owns nothing (no double deletion).
struct copy_flaky_handle {
    static inline bool copies_throw = false;
    int id;
    explicit copy_flaky_handle(int i) noexcept : id(i) {}
    copy_flaky_handle(const copy_flaky_handle& o) : id(o.id) {
        if (copies_throw)
            throw std::runtime_error("copy of handle");
    }
    copy_flaky_handle(copy_flaky_handle&&) noexcept = default;
    copy_flaky_handle& operator=(const copy_flaky_handle& o) {
        id = o.id;  // fails half-way: the new id is in, then it throws
        if (copies_throw)
            throw std::runtime_error("copy of handle");
        return *this;
    }
    copy_flaky_handle& operator=(copy_flaky_handle&&) noexcept = default;
};
struct copy_flaky_traits {
    static copy_flaky_handle make_default() noexcept { return copy_flaky_handle(-1); }
    static bool is_allocated(const copy_flaky_handle& h) noexcept { return h.id >= 0; }
};
struct handle_deleter {
    std::vector<int>* deleted;
    void operator()(const copy_flaky_handle& h) const noexcept { deleted->push_back(h.id); }
};

TEST(ResourceTraits, ResetFromACopyThatThrows) {
    std::vector<int> deleted;
    using ur = godefer::unique_resource<copy_flaky_handle, handle_deleter, copy_flaky_traits>;
    {
        ur a(copy_flaky_handle(1), handle_deleter{&deleted});
        const copy_flaky_handle next(2);
        copy_flaky_handle::copies_throw = true;
        EXPECT_THROW(a.reset(next), std::runtime_error);
        copy_flaky_handle::copies_throw = false;
        EXPECT_EQ(deleted, (std::vector<int>{1, 2}));
        EXPECT_FALSE(a);
        EXPECT_EQ(a.get().id, -1);
        a.reset(next);  // copied
        EXPECT_TRUE(a);
        a.reset(copy_flaky_handle(3));  // moved
    }
    EXPECT_EQ(deleted, (std::vector<int>{1, 2, 2, 3}));
}

// --- Reference deleters and the constrained move assignment
// -------------------------------------------

std::vector<int>* function_deleted = nullptr;
void delete_into_vector(int r) noexcept {
    function_deleted->push_back(r);
}

TEST(ReferenceDeleter, FunctionReferenceMovesAndSwaps) {
    std::vector<int> deleted;
    function_deleted = &deleted;
    {
        godefer::unique_resource<int, void (&)(int) noexcept> a(1, delete_into_vector);
        godefer::unique_resource<int, void (&)(int) noexcept> b(2, delete_into_vector);
        EXPECT_EQ(&a.get_deleter(), &delete_into_vector);
        std::swap(a, b);
        EXPECT_EQ(a.get(), 2);
        a = std::move(b);
        EXPECT_EQ(deleted, std::vector<int>{2});
    }
    EXPECT_EQ(deleted, (std::vector<int>{2, 1}));
}

TEST(ReferenceDeleter, ObjectReferenceIsNotCopied) {
    std::vector<int> deleted;
    recording_deleter d{&deleted};
    recording_deleter other{nullptr};
    {
        godefer::unique_resource<int, recording_deleter&> a(1, d);
        godefer::unique_resource<int, recording_deleter&> b(2, other);
        b.release();
        b = std::move(a);  // rebinds b to d; `other` is untouched
        EXPECT_EQ(&b.get_deleter(), &d);
        EXPECT_EQ(other.deleted, nullptr);
    }
    EXPECT_EQ(deleted, std::vector<int>{1});
}

TEST(ConstrainedMoveAssignment, LambdaDeletersWorkInOptional) {
    int deleted = 0;
    auto deleter = [&](int) noexcept { ++deleted; };
    using ur = godefer::unique_resource<int, decltype(deleter)>;
    static_assert(!std::is_move_assignable_v<ur>);
    {
        std::optional<ur> o;
        o.emplace(1, deleter);
        std::optional<ur> p = std::move(o);  // move construction only
        EXPECT_EQ(deleted, 0);
        o.reset();
        EXPECT_EQ(deleted, 0);
    }
    EXPECT_EQ(deleted, 1);
}

TEST(ConstrainedMoveAssignment, FunctorDeletersSwap) {
    std::vector<int> deleted;
    {
        godefer::unique_resource a{1, recording_deleter{&deleted}};
        godefer::unique_resource b{2, recording_deleter{&deleted}};
        b.release();
        using std::swap;
        swap(a, b);
        EXPECT_FALSE(a);
        EXPECT_TRUE(b);
        EXPECT_EQ(b.get(), 1);
        auto& alias = b;
        b = std::move(alias);
        EXPECT_TRUE(b);
    }
    EXPECT_EQ(deleted, std::vector<int>{1});
}

}  // namespace
