// Guards with a condition: scope_exit<F, C>, scope_fail<F, C>, scope_success<F, C>, the
// error-code checker, and what happens when a condition throws or cannot be stored.
#include <gtest/gtest.h>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include <godefer/scope_condition.hpp>
#include <godefer/scope_exit.hpp>
#include <godefer/scope_fail.hpp>
#include <godefer/scope_success.hpp>

#include "tracked.hpp"

namespace godefer_test::condition_checks {

inline auto action = []() noexcept {};
using action_t = decltype(action);
using ec_checker = godefer::error_code_checker<std::error_code>;

// CTAD for every form.
inline std::error_code ec;
inline int errno_like = 0;
static_assert(std::is_same_v<decltype(godefer::scope_exit{action, godefer::check_error_code(ec)}),
                             godefer::scope_exit<action_t, ec_checker>>);
static_assert(
    std::is_same_v<decltype(godefer::scope_fail{action, godefer::check_error_code(ec), false}),
                   godefer::scope_fail<action_t, ec_checker>>);
static_assert(
    std::is_same_v<decltype(godefer::scope_success{action, godefer::error_code_checker(ec)}),
                   godefer::scope_success<action_t, ec_checker>>);
static_assert(std::is_same_v<decltype(godefer::check_error_code(errno_like)),
                             godefer::error_code_checker<int>>);
static_assert(std::is_same_v<decltype(godefer::scope_exit{action, godefer::check_exception()}),
                             godefer::scope_exit<action_t, godefer::exception_checker>>);
// The defaults.
static_assert(std::is_same_v<decltype(godefer::scope_exit{action}),
                             godefer::scope_exit<action_t, godefer::always_true>>);
static_assert(std::is_same_v<decltype(godefer::scope_fail{action}),
                             godefer::scope_fail<action_t, godefer::exception_checker>>);
static_assert(std::is_same_v<decltype(godefer::scope_success{action}),
                             godefer::scope_success<action_t, godefer::exception_checker>>);
// A temporary error code would dangle: check_error_code takes lvalues only.
template <class T, class = void>
inline constexpr bool checkable_v = false;
template <class T>
inline constexpr bool
    checkable_v<T, std::void_t<decltype(godefer::check_error_code(std::declval<T>()))>> = true;
static_assert(checkable_v<std::error_code&>);
static_assert(checkable_v<const std::error_code&>);
static_assert(!checkable_v<std::error_code>);
static_assert(!checkable_v<const std::error_code>);

// The destructor is noexcept when the action and the condition both are.
inline auto throwing_condition = []() -> bool { return true; };
static_assert(std::is_nothrow_destructible_v<godefer::scope_exit<action_t, ec_checker>>);
static_assert(
    !std::is_nothrow_destructible_v<godefer::scope_exit<action_t, decltype(throwing_condition)>>);
static_assert(
    !std::is_nothrow_destructible_v<godefer::scope_fail<action_t, decltype(throwing_condition)>>);
static_assert(!std::is_nothrow_destructible_v<
              godefer::scope_success<action_t, decltype(throwing_condition)>>);

// Moving a guard never loses its condition: when the action's move may throw, the condition is
// copied, so a guard whose condition cannot be copied is then not movable.
struct move_only_condition {
    move_only_condition() = default;
    move_only_condition(move_only_condition&&) noexcept = default;
    bool operator()() const noexcept { return true; }
};
static_assert(std::is_move_constructible_v<godefer::scope_exit<action_t, move_only_condition>>);
static_assert(!std::is_move_constructible_v<
              godefer::scope_exit<godefer_test::throwing_move_only_action, move_only_condition>>);
static_assert(std::is_constructible_v<
              godefer::scope_exit<godefer_test::throwing_move_only_action, move_only_condition>,
              godefer_test::throwing_move_only_action&&, move_only_condition&&>);
static_assert(std::is_move_constructible_v<
              godefer::scope_exit<godefer_test::throwing_move_only_action, godefer::always_true>>);

// The empty default conditions take no room.
struct two_pointers {
    void* a;
    void* b;
    void operator()() const noexcept {}
};
static_assert(sizeof(godefer::scope_exit<two_pointers, godefer::always_true>) ==
              sizeof(godefer::scope_exit<two_pointers>));

}  // namespace godefer_test::condition_checks

namespace {

// An error type with an explicit operator bool (as boost::system::error_code or a status class).
struct status {
    int code = 0;
    explicit operator bool() const noexcept { return code != 0; }
};

// --- scope_exit<F, C> ------------------------------------------------------------------------

TEST(ScopeExitCondition, RunsWhenTheConditionIsTrueAtScopeExit) {
    int runs = 0;
    bool cond = false;
    {
        godefer::scope_exit g{[&] { ++runs; }, [&] { return cond; }};
        cond = true;  // read when the scope ends, not when the guard is made
    }
    EXPECT_EQ(runs, 1);
    {
        godefer::scope_exit g{[&] { ++runs; }, [&] { return cond; }};
        cond = false;
    }
    EXPECT_EQ(runs, 1);
}

TEST(ScopeExitCondition, TheConditionIsAskedOnceAndOnlyWhenArmed) {
    int runs = 0;
    int asked = 0;
    auto cond = [&] {
        ++asked;
        return true;
    };
    {
        godefer::scope_exit a{[&] { ++runs; }, cond};
        godefer::scope_exit b{[&] { ++runs; }, cond, false};
        godefer::scope_exit c{[&] { ++runs; }, cond};
        c.release();
    }
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(asked, 1);
}

TEST(ScopeExitCondition, RunNowAsksTheCondition) {
    int runs = 0;
    bool cond = false;
    godefer::scope_exit g{[&] { ++runs; }, [&] { return cond; }};
    g.run_now();
    EXPECT_EQ(runs, 0);
    EXPECT_FALSE(g.active());
    g.set_active(true);  // the action is kept: the guard can be armed again
    cond = true;
    g.run_now();
    EXPECT_EQ(runs, 1);
    g.run_now();
    EXPECT_EQ(runs, 1);
}

TEST(Factories, MakeScopeGuardsDeduceLikeCtad) {
    int runs = 0;
    int err = 0;
    auto act = [&] { ++runs; };
    using act_t = decltype(act);
    {
        auto a = godefer::make_scope_exit(act);
        auto b = godefer::make_scope_exit(act, false);
        auto c = godefer::make_scope_success(act, godefer::check_error_code(err));
        auto d = godefer::make_scope_fail(act, godefer::check_error_code(err), true);
        auto e = godefer::make_scope_fail(act);
        auto f = godefer::make_scope_success(act, true);
        static_assert(std::is_same_v<decltype(a), godefer::scope_exit<act_t>>);
        static_assert(
            std::is_same_v<decltype(c),
                           godefer::scope_success<act_t, godefer::error_code_checker<int>>>);
        static_assert(std::is_same_v<decltype(d),
                                     godefer::scope_fail<act_t, godefer::error_code_checker<int>>>);
        static_assert(std::is_same_v<decltype(e), godefer::scope_fail<act_t>>);
        auto g = godefer::make_scope_exit(
            act, [] { return false; }, true);
        auto h = godefer::make_scope_success(act, [] { return false; });
        auto i = godefer::make_scope_fail(act, [] { return true; });
        EXPECT_FALSE(b.active());
    }
    EXPECT_EQ(runs, 5);  // a, c, f, h and i (err stayed 0; no exception)
}

TEST(ScopeExitCondition, CheckExceptionMakesAScopeFail) {
    int runs = 0;
    {
        godefer::scope_exit g{[&] { ++runs; }, godefer::check_exception()};
    }
    EXPECT_EQ(runs, 0);
    EXPECT_THROW(
        {
            godefer::scope_exit g([&] { ++runs; }, godefer::check_exception());
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_EQ(runs, 1);
}

// --- scope_fail<F, C> and scope_success<F, C> with error codes --------------------------------

TEST(ErrorCodeCondition, ScopeFailRunsWhenTheCodeIsSet) {
    int rollbacks = 0;
    {
        std::error_code ec;
        godefer::scope_fail undo{[&] { ++rollbacks; }, godefer::check_error_code(ec)};
        EXPECT_TRUE(undo.active());
        ec = std::make_error_code(std::errc::invalid_argument);
    }
    EXPECT_EQ(rollbacks, 1);
    {
        std::error_code ec;
        godefer::scope_fail undo{[&] { ++rollbacks; }, godefer::check_error_code(ec)};
    }
    EXPECT_EQ(rollbacks, 1);
    {
        std::error_code ec;
        godefer::scope_fail undo{[&] { ++rollbacks; }, godefer::check_error_code(ec), false};
        ec = std::make_error_code(std::errc::invalid_argument);
    }
    EXPECT_EQ(rollbacks, 1);
}

TEST(ErrorCodeCondition, AnExceptionIsNotTheFailureCondition) {
    int rollbacks = 0;
    EXPECT_THROW(
        {
            int err = 0;
            godefer::scope_fail undo([&] { ++rollbacks; }, godefer::check_error_code(err));
            throw std::runtime_error("not an error code");
        },
        std::runtime_error);
    EXPECT_EQ(rollbacks, 0);
}

TEST(ErrorCodeCondition, ScopeSuccessRunsWhenTheCodeIsClear) {
    int commits = 0;
    {
        int err = 0;
        godefer::scope_success commit{[&] { ++commits; }, godefer::check_error_code(err)};
    }
    EXPECT_EQ(commits, 1);
    {
        int err = 0;
        godefer::scope_success commit{[&] { ++commits; }, godefer::check_error_code(err)};
        err = -1;
    }
    EXPECT_EQ(commits, 1);
    EXPECT_THROW(
        {
            int err = 0;
            godefer::scope_success commit([&] { ++commits; }, godefer::check_error_code(err));
            throw std::runtime_error("not an error code");
        },
        std::runtime_error);
    EXPECT_EQ(commits, 2);  // the condition, not the exception, decides
}

TEST(ErrorCodeCondition, AnythingWithOperatorBool) {
    int runs = 0;
    {
        status s;
        godefer::scope_fail g{[&] { ++runs; }, godefer::check_error_code(s)};
        s.code = 5;
    }
    EXPECT_EQ(runs, 1);
    {
        const status s{0};
        godefer::scope_fail g{[&] { ++runs; }, godefer::error_code_checker(s)};
    }
    EXPECT_EQ(runs, 1);
    static_assert(noexcept(godefer::check_error_code(std::declval<status&>())()));
}

TEST(ErrorCodeCondition, FollowsAGuardThatIsMoved) {
    int runs = 0;
    std::error_code ec;
    {
        auto make = [&] {
            return godefer::scope_fail{[&] { ++runs; }, godefer::check_error_code(ec)};
        };
        auto g = make();
        auto h = std::move(g);
        EXPECT_FALSE(g.active());  // NOLINT(bugprone-use-after-move): the documented state
        ec = std::make_error_code(std::errc::io_error);
    }
    EXPECT_EQ(runs, 1);
}

// --- Conditions that throw
// ------------------------------------------------------------------------

TEST(ThrowingCondition, ItsExceptionLeavesAndTheActionDoesNotRun) {
    int runs = 0;
    auto cond = []() -> bool { throw std::logic_error("cannot tell"); };
    EXPECT_THROW({ godefer::scope_exit g([&] { ++runs; }, cond); }, std::logic_error);
    EXPECT_THROW({ godefer::scope_fail g([&] { ++runs; }, cond); }, std::logic_error);
    EXPECT_THROW({ godefer::scope_success g([&] { ++runs; }, cond); }, std::logic_error);
    EXPECT_EQ(runs, 0);
    {
        godefer::scope_exit g([&] { ++runs; }, cond, false);  // disarmed: not asked
    }
    godefer::scope_exit g([&] { ++runs; }, cond);
    EXPECT_THROW(g.run_now(), std::logic_error);
    EXPECT_FALSE(g.active());
    EXPECT_EQ(runs, 0);
}

// --- Storing fails
// -----------------------------------------------------------------------------------

// A condition whose copy throws while `copies_throw` is set.
struct flaky_condition {
    static inline bool copies_throw = false;
    bool* answer;
    explicit flaky_condition(bool* a) : answer(a) {}
    flaky_condition(const flaky_condition& o) : answer(o.answer) {
        if (copies_throw)
            throw std::runtime_error("condition copy");
    }
    bool operator()() const noexcept { return *answer; }
};

class ConditionStore : public ::testing::Test {
  protected:
    void TearDown() override {
        flaky_condition::copies_throw = false;
        godefer_test::flaky_copy_action::copies_throw = false;
        EXPECT_EQ(c.live(), 0);
        EXPECT_EQ(c.double_destroyed, 0);
    }
    godefer_test::counter c;
};

TEST_F(ConditionStore, AFailedConditionStoreAsksTheArgument) {
    bool answer = true;
    flaky_condition cond(&answer);
    int runs = 0;
    auto act = [&] { ++runs; };
    flaky_condition::copies_throw = true;
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_exit<decltype(act), flaky_condition>>(act, cond)),
        std::runtime_error);
    EXPECT_EQ(runs, 1);
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_fail<decltype(act), flaky_condition>>(act, cond)),
        std::runtime_error);
    EXPECT_EQ(runs, 2);
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_success<decltype(act), flaky_condition>>(act, cond)),
        std::runtime_error);
    EXPECT_EQ(runs, 2);  // never: the scope has not succeeded
    answer = false;
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_exit<decltype(act), flaky_condition>>(act, cond)),
        std::runtime_error);
    EXPECT_THROW((godefer_test::build<godefer::scope_exit<decltype(act), flaky_condition>>(
                     act, cond, false)),
                 std::runtime_error);
    EXPECT_EQ(runs, 2);
}

// A condition type made from a pointer: the argument is not a condition, so it cannot be asked;
// the action is called (nothing is lost).
struct made_condition {
    static inline bool throws = false;
    explicit made_condition(const bool* a) : answer(a) {
        if (throws)
            throw std::runtime_error("made_condition");
    }
    bool operator()() const noexcept { return *answer; }
    const bool* answer;
};

TEST_F(ConditionStore, AConditionMadeFromItsArgumentCannotBeAsked) {
    const bool answer = false;
    int runs = 0;
    auto act = [&] { ++runs; };
    made_condition::throws = true;
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_exit<decltype(act), made_condition>>(act, &answer)),
        std::runtime_error);
    made_condition::throws = false;
    EXPECT_EQ(runs, 1);
    { godefer::scope_exit<decltype(act), made_condition> g{act, &answer}; }
    EXPECT_EQ(runs, 1);
}

// An empty condition (stored as a base class, taking no room) whose copy throws.
struct empty_flaky_condition {
    static inline bool copies_throw = false;
    static inline bool answer = true;
    empty_flaky_condition() = default;
    empty_flaky_condition(const empty_flaky_condition&) {
        if (copies_throw)
            throw std::runtime_error("empty condition copy");
    }
    bool operator()() const noexcept { return answer; }
};

TEST_F(ConditionStore, AnEmptyConditionWhoseCopyThrows) {
    static_assert(std::is_empty_v<empty_flaky_condition>);
    int runs = 0;
    auto act = [&] { ++runs; };
    using guard = godefer::scope_exit<decltype(act), empty_flaky_condition>;
    static_assert(sizeof(guard) == sizeof(godefer::scope_exit<decltype(act)>));
    const empty_flaky_condition cond;
    empty_flaky_condition::copies_throw = true;
    EXPECT_THROW((godefer_test::build<guard>(act, cond)), std::runtime_error);
    EXPECT_EQ(runs, 1);
    empty_flaky_condition::answer = false;
    EXPECT_THROW((godefer_test::build<guard>(act, cond)), std::runtime_error);
    EXPECT_EQ(runs, 1);
    empty_flaky_condition::copies_throw = false;
    empty_flaky_condition::answer = true;
    { guard g(act, cond); }
    EXPECT_EQ(runs, 2);
}

TEST_F(ConditionStore, AFailedActionStoreAsksTheStoredCondition) {
    using godefer_test::flaky_copy_action;
    flaky_copy_action act(c);
    bool answer = false;
    auto cond = [&] { return answer; };
    flaky_copy_action::copies_throw = true;
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_exit<flaky_copy_action, decltype(cond)>>(act, cond)),
        flaky_copy_action::copy_failed);
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_fail<flaky_copy_action, decltype(cond)>>(act, cond)),
        flaky_copy_action::copy_failed);
    EXPECT_EQ(c.calls, 0);
    answer = true;
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_exit<flaky_copy_action, decltype(cond)>>(act, cond)),
        flaky_copy_action::copy_failed);
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_fail<flaky_copy_action, decltype(cond)>>(act, cond)),
        flaky_copy_action::copy_failed);
    EXPECT_THROW(
        (godefer_test::build<godefer::scope_success<flaky_copy_action, decltype(cond)>>(act, cond)),
        flaky_copy_action::copy_failed);
    EXPECT_EQ(c.calls, 2);
}

TEST_F(ConditionStore, ScopeFailWithItsDefaultConditionCallsAtOnce) {
    using godefer_test::flaky_copy_action;
    flaky_copy_action act(c);
    flaky_copy_action::copies_throw = true;
    EXPECT_THROW((godefer_test::build<godefer::scope_fail<flaky_copy_action>>(act)),
                 flaky_copy_action::copy_failed);
    EXPECT_EQ(c.calls, 1);
}

TEST_F(ConditionStore, AFailedGuardMoveKeepsTheSourceWhole) {
    using godefer_test::flaky_copy_action;
    bool answer = true;
    {
        godefer::scope_exit g{flaky_copy_action(c), flaky_condition(&answer)};
        flaky_condition::copies_throw = true;  // the condition fails to copy first
        EXPECT_THROW(auto h = std::move(g), std::runtime_error);
        flaky_condition::copies_throw = false;
        flaky_copy_action::copies_throw = true;  // then the action
        EXPECT_THROW(auto h = std::move(g), flaky_copy_action::copy_failed);
        flaky_copy_action::copies_throw = false;
        EXPECT_TRUE(g.active());
        EXPECT_EQ(c.calls, 0);
    }
    EXPECT_EQ(c.calls, 1);  // the source ran, once, with its condition
}

}  // namespace
