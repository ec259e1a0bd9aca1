// How a guard is built: actions constructed from their argument, the second argument (exactly
// bool, or a condition), callables that are callable only as rvalues or move-only with a throwing
// move, and the rule that a cleanup is never lost when storing it throws.
#include <gtest/gtest.h>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <godefer/scope_exit.hpp>
#include <godefer/scope_fail.hpp>
#include <godefer/scope_success.hpp>

#include "tracked.hpp"

namespace godefer_test::construction_checks {

// An action constructed from a descriptor: the argument itself is not callable.
struct closer {
    static inline int closed = -1;
    int fd;
    explicit closer(int f) noexcept : fd(f) {}
    void operator()() const noexcept { closed = fd; }
};

// The same, but its constructor may throw (while `throws` is set).
struct flaky_closer {
    static inline bool throws = false;
    static inline int closed = -1;
    int fd;
    explicit flaky_closer(int f) : fd(f) {
        if (throws)
            throw std::runtime_error("flaky_closer");
    }
    void operator()() const noexcept { closed = fd; }
};

void action() {}
bool true_condition() {
    return true;
}
void void_function() {}
inline auto captureless_void = [] {};
inline auto captureless_bool = [] { return true; };
using action_ptr = void (*)();

// The action constructed from an int: a constructor from the argument, for every guard.
static_assert(std::is_constructible_v<godefer::scope_exit<closer>, int>);
static_assert(std::is_constructible_v<godefer::scope_fail<closer>, int>);
static_assert(std::is_constructible_v<godefer::scope_success<closer>, int>);
static_assert(std::is_nothrow_constructible_v<godefer::scope_exit<closer>, int>);
static_assert(!std::is_nothrow_constructible_v<godefer::scope_exit<flaky_closer>, int>);

// The second argument: exactly bool is the active flag...
static_assert(
    std::is_same_v<decltype(godefer::scope_exit{action, true}), godefer::scope_exit<action_ptr>>);
static_assert(
    std::is_same_v<decltype(godefer::scope_fail{action, false}), godefer::scope_fail<action_ptr>>);
static_assert(std::is_same_v<decltype(godefer::scope_success{action, true}),
                             godefer::scope_success<action_ptr>>);
// ...a function returning bool, a function pointer or a lambda is a condition (Boost.Scope's
// shape), never read as "armed"...
static_assert(std::is_same_v<decltype(godefer::scope_exit{action, true_condition}),
                             godefer::scope_exit<action_ptr, bool (*)()>>);
static_assert(std::is_same_v<decltype(godefer::scope_fail{action, &true_condition}),
                             godefer::scope_fail<action_ptr, bool (*)()>>);
static_assert(std::is_same_v<decltype(godefer::scope_success{action, captureless_bool, false}),
                             godefer::scope_success<action_ptr, decltype(captureless_bool)>>);
// ...and a function that is not a condition, an int or a pointer is rejected (CTAD deduces a
// condition type that the class refuses with a static_assert: see tests/compile_fail). With the
// condition type given, a non-bool flag does not convert: only exactly bool is the flag.
static_assert(
    !std::is_constructible_v<godefer::scope_exit<action_ptr, bool (*)()>, action_ptr, action_ptr>);
static_assert(std::is_constructible_v<godefer::scope_exit<action_ptr, bool (*)()>, action_ptr,
                                      bool (*)(), bool>);

}  // namespace godefer_test::construction_checks

namespace {

using godefer_test::counter;
using godefer_test::construction_checks::closer;
using godefer_test::construction_checks::flaky_closer;

// --- Actions constructed from their argument ---------------------------------------------------

TEST(ConstructedAction, ScopeExitMadeFromAnInt) {
    closer::closed = -1;
    { godefer::scope_exit<closer> g(3); }
    EXPECT_EQ(closer::closed, 3);
    closer::closed = -1;
    { godefer::scope_exit<closer> g(4, false); }
    EXPECT_EQ(closer::closed, -1);
}

TEST(ConstructedAction, ScopeFailAndScopeSuccessMadeFromAnInt) {
    closer::closed = -1;
    { godefer::scope_fail<closer> g(5); }
    EXPECT_EQ(closer::closed, -1);
    EXPECT_THROW(
        {
            godefer::scope_fail<closer> g(6);
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_EQ(closer::closed, 6);
    { godefer::scope_success<closer> g(7); }
    EXPECT_EQ(closer::closed, 7);
}

TEST(ConstructedAction, AFailedConstructionHasNothingToCall) {
    flaky_closer::closed = -1;
    flaky_closer::throws = true;
    EXPECT_THROW((godefer_test::build<godefer::scope_exit<flaky_closer>>(8)), std::runtime_error);
    EXPECT_THROW((godefer_test::build<godefer::scope_fail<flaky_closer>>(8)), std::runtime_error);
    EXPECT_THROW((godefer_test::build<godefer::scope_success<flaky_closer>>(8)),
                 std::runtime_error);
    flaky_closer::throws = false;
    EXPECT_EQ(flaky_closer::closed, -1);  // the int is not an action: nothing was called
}

// A std::function made from a lambda: the lambda is itself the action, so it runs if the
// std::function cannot be made.
struct throwing_into_function {
    int* calls;
    static inline bool copies_throw = false;
    explicit throwing_into_function(int* c) : calls(c) {}
    throwing_into_function(const throwing_into_function& o) : calls(o.calls) {
        if (copies_throw)
            throw std::runtime_error("copy");
    }
    void operator()() const { ++*calls; }
};

TEST(ConstructedAction, AnOriginalThatIsItselfTheActionRunsIfStoringFails) {
    int calls = 0;
    throwing_into_function f(&calls);
    throwing_into_function::copies_throw = true;
    EXPECT_THROW((godefer_test::build<godefer::scope_exit<std::function<void()>>>(f)),
                 std::runtime_error);
    EXPECT_EQ(calls, 1);
    EXPECT_THROW((godefer_test::build<godefer::scope_fail<std::function<void()>>>(f)),
                 std::runtime_error);
    EXPECT_EQ(calls, 2);
    EXPECT_THROW((godefer_test::build<godefer::scope_success<std::function<void()>>>(f)),
                 std::runtime_error);
    EXPECT_EQ(calls, 2);  // the scope has not succeeded
    EXPECT_THROW((godefer_test::build<godefer::scope_exit<std::function<void()>>>(f, false)),
                 std::runtime_error);
    EXPECT_EQ(calls, 2);  // not armed
    throwing_into_function::copies_throw = false;
    { godefer::scope_exit<std::function<void()>> g{f}; }
    EXPECT_EQ(calls, 3);
}

// --- Callables callable only as rvalues
// -----------------------------------------------------------

struct rvalue_only_logger {
    std::string* log;
    void operator()() && { *log += "run "; }
};

TEST(RvalueOnlyAction, RunsOnceFromEveryGuardAndRunNow) {
    std::string log;
    {
        godefer::scope_exit a{rvalue_only_logger{&log}};
        godefer::scope_success b{rvalue_only_logger{&log}};
        godefer::scope_fail c{rvalue_only_logger{&log}};
        godefer::scope_exit d{rvalue_only_logger{&log}};
        d.run_now();
        EXPECT_EQ(log, "run ");
        d.run_now();
    }
    EXPECT_EQ(log, "run run run ");
}

TEST(RvalueOnlyAction, TheDestructorFollowsTheRvalueCall) {
    struct nothrow_rvalue {
        void operator()() && noexcept {}
    };
    static_assert(std::is_nothrow_destructible_v<godefer::scope_exit<nothrow_rvalue>>);
    static_assert(!std::is_nothrow_destructible_v<godefer::scope_exit<rvalue_only_logger>>);
    SUCCEED();
}

// Move-only, a move that may throw, `operator()() const&` deleted and `operator()() &&` (the shape
// of a user-made one-shot callback): stored by moving, called once as an rvalue.
class one_shot_callback {
  public:
    explicit one_shot_callback(std::function<void()> f) : f_(std::move(f)) {}
    one_shot_callback(one_shot_callback&& other) : f_(std::exchange(other.f_, nullptr)) {}
    one_shot_callback(const one_shot_callback&) = delete;
    one_shot_callback& operator=(const one_shot_callback&) = delete;
    one_shot_callback& operator=(one_shot_callback&&) = delete;
    void operator()() const& = delete;
    void operator()() && {
        ASSERT_TRUE(f_);
        f_();
        f_ = nullptr;
    }

  private:
    std::function<void()> f_;
};

TEST(RvalueOnlyAction, OneShotMoveOnlyCallback) {
    static_assert(!std::is_invocable_v<one_shot_callback&>);
    int runs = 0;
    {
        godefer::scope_exit a{one_shot_callback([&] { ++runs; })};
        auto b = std::move(a);  // a's callback is now empty, and a is disarmed
        godefer::scope_exit c{one_shot_callback([&] { ++runs; })};
        c.run_now();
        EXPECT_EQ(runs, 1);
    }
    EXPECT_EQ(runs, 2);
}

// A copyable rvalue-only callable whose copy throws: the original is called, as an rvalue.
struct flaky_rvalue_only {
    static inline bool copies_throw = false;
    int* calls;
    explicit flaky_rvalue_only(int* c) : calls(c) {}
    flaky_rvalue_only(const flaky_rvalue_only& o) : calls(o.calls) {
        if (copies_throw)
            throw std::runtime_error("copy");
    }
    void operator()() && noexcept { ++*calls; }
};

TEST(RvalueOnlyAction, AFailedCopyCallsTheOriginal) {
    int calls = 0;
    flaky_rvalue_only f(&calls);
    flaky_rvalue_only::copies_throw = true;
    EXPECT_THROW((godefer_test::build<godefer::scope_exit<flaky_rvalue_only>>(f)),
                 std::runtime_error);
    flaky_rvalue_only::copies_throw = false;
    EXPECT_EQ(calls, 1);
}

// --- Move-only callables whose move may throw
// -------------------------------------------------------

class ThrowingMoveOnly : public ::testing::Test {
  protected:
    using action = godefer_test::throwing_move_only_action;
    void TearDown() override {
        action::moves_throw = false;
        EXPECT_EQ(c.live(), 0);
        EXPECT_EQ(c.double_destroyed, 0);
    }
    counter c;
};

TEST_F(ThrowingMoveOnly, IsAcceptedAndMoved) {
    static_assert(std::is_constructible_v<godefer::scope_exit<action>, action&&>);
    static_assert(!std::is_constructible_v<godefer::scope_exit<action>, action&>);
    static_assert(!std::is_nothrow_constructible_v<godefer::scope_exit<action>, action&&>);
    static_assert(!std::is_nothrow_move_constructible_v<godefer::scope_exit<action>>);
    {
        godefer::scope_exit g{action(c)};
        auto h = std::move(g);
    }
    EXPECT_EQ(c.calls, 1);
}

TEST_F(ThrowingMoveOnly, AFailedMoveCallsTheOriginalOnce) {
    action a(c);
    action::moves_throw = true;
    EXPECT_THROW((godefer_test::build<godefer::scope_exit<action>>(std::move(a))),
                 action::move_failed);
    EXPECT_EQ(c.calls, 1);
    EXPECT_THROW((godefer_test::build<godefer::scope_fail<action>>(std::move(a))),
                 action::move_failed);
    EXPECT_EQ(c.calls, 2);
    EXPECT_THROW((godefer_test::build<godefer::scope_success<action>>(std::move(a))),
                 action::move_failed);
    EXPECT_EQ(c.calls, 2);
}

TEST_F(ThrowingMoveOnly, AFailedGuardMoveLeavesTheSourceArmed) {
    {
        godefer::scope_exit g{action(c)};
        action::moves_throw = true;
        EXPECT_THROW((godefer_test::build<godefer::scope_exit<action>>(std::move(g))),
                     action::move_failed);
        EXPECT_TRUE(g.active());
        action::moves_throw = false;
        EXPECT_EQ(c.calls, 0);
    }
    EXPECT_EQ(c.calls, 1);
}

// --- The second argument ------------------------------------------------------------------------

TEST(SecondArgument, AFunctionReturningBoolIsACondition) {
    static int runs = 0;
    static bool answer = false;
    struct local {
        static void act() { ++runs; }
        static bool cond() { return answer; }
    };
    { godefer::scope_exit g(local::act, local::cond); }
    EXPECT_EQ(runs, 0);  // a function is not "armed": it is asked, and says false
    answer = true;
    { godefer::scope_exit g(local::act, &local::cond); }
    EXPECT_EQ(runs, 1);
    { godefer::scope_exit g(local::act, local::cond, false); }
    EXPECT_EQ(runs, 1);
}

TEST(SecondArgument, ExactlyBoolIsTheActiveFlag) {
    int runs = 0;
    const bool armed = true;
    bool disarmed = false;
    {
        godefer::scope_exit a([&] { ++runs; }, armed);
        godefer::scope_exit b([&] { ++runs; }, disarmed);
        godefer::scope_exit c([&] { ++runs; }, runs == 0);
        EXPECT_TRUE(a.active());
        EXPECT_FALSE(b.active());
        EXPECT_TRUE(c.active());
    }
    EXPECT_EQ(runs, 2);
}

}  // namespace
