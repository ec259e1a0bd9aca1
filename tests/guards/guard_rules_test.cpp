// The rules of the guards that do not depend on the kind of callable: the throwing-construction
// rule, the noexcept policy, CTAD, moves, the macros, and std::uncaught_exceptions() counting.
#include <gtest/gtest.h>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <godefer/scope_exit.hpp>
#include <godefer/scope_fail.hpp>
#include <godefer/scope_success.hpp>

#include "tracked.hpp"

// --- Compile-time contract ---------------------------------------------------------------------
// (In a named namespace: these declarations exist only to be named in unevaluated operands.)
namespace godefer_test::static_checks {

using godefer_test::flaky_copy_action;

void plain_function() {}
void noexcept_function() noexcept {}

inline auto nothrow_lambda = []() noexcept {};
inline auto throwing_lambda = [] {};
using nothrow_lambda_t = decltype(nothrow_lambda);
using throwing_lambda_t = decltype(throwing_lambda);

// CTAD deduces the decayed type, from rvalues and lvalues alike.
static_assert(std::is_same_v<decltype(godefer::scope_exit{nothrow_lambda}),
                             godefer::scope_exit<nothrow_lambda_t>>);
static_assert(std::is_same_v<decltype(godefer::scope_exit{std::as_const(nothrow_lambda)}),
                             godefer::scope_exit<nothrow_lambda_t>>);
static_assert(
    std::is_same_v<decltype(godefer::scope_fail{plain_function}), godefer::scope_fail<void (*)()>>);
static_assert(std::is_same_v<decltype(godefer::scope_success{&plain_function, false}),
                             godefer::scope_success<void (*)()>>);

// The noexcept policy: the destructor is noexcept exactly when the action is nothrow-invocable.
template <template <class...> class Guard>
constexpr bool noexcept_policy_holds() {
    return std::is_nothrow_destructible_v<Guard<nothrow_lambda_t>> &&
           !std::is_nothrow_destructible_v<Guard<throwing_lambda_t>> &&
           std::is_nothrow_destructible_v<Guard<void (*)() noexcept>> &&
           !std::is_nothrow_destructible_v<Guard<void (*)()>>;
}
static_assert(noexcept_policy_holds<godefer::scope_exit>());
static_assert(noexcept_policy_holds<godefer::scope_fail>());
static_assert(noexcept_policy_holds<godefer::scope_success>());
static_assert(std::is_same_v<decltype(godefer::scope_exit{noexcept_function}),
                             godefer::scope_exit<void (*)() noexcept>>);

// Storing a lambda cannot throw, so neither can the constructor; moves follow the action.
static_assert(
    std::is_nothrow_constructible_v<godefer::scope_exit<nothrow_lambda_t>, nothrow_lambda_t>);
static_assert(
    !std::is_nothrow_constructible_v<godefer::scope_exit<flaky_copy_action>, flaky_copy_action&>);
static_assert(std::is_nothrow_move_constructible_v<godefer::scope_exit<nothrow_lambda_t>>);
static_assert(!std::is_nothrow_move_constructible_v<godefer::scope_exit<flaky_copy_action>>);

// Move-constructible only; no copies, no assignment, no conversions from a bool or the like.
template <class G>
constexpr bool guard_shape_holds() {
    return std::is_move_constructible_v<G> && !std::is_copy_constructible_v<G> &&
           !std::is_copy_assignable_v<G> && !std::is_move_assignable_v<G> &&
           !std::is_convertible_v<nothrow_lambda_t, G>;  // the constructor is explicit
}
static_assert(guard_shape_holds<godefer::scope_exit<nothrow_lambda_t>>());
static_assert(guard_shape_holds<godefer::scope_fail<nothrow_lambda_t>>());
static_assert(guard_shape_holds<godefer::scope_success<nothrow_lambda_t>>());

// Zero size overhead beyond the action and the flag (scope_exit), plus the exception count for
// scope_fail and scope_success.
struct two_pointers {
    void* a;
    void* b;
    void operator()() const noexcept {}
};
static_assert(sizeof(godefer::scope_exit<two_pointers>) <= sizeof(two_pointers) + alignof(void*));

}  // namespace godefer_test::static_checks

namespace {

using godefer_test::counter;
using godefer_test::flaky_copy_action;

// --- The throwing-construction rule --------------------------------------------------------------

class ThrowingConstruction : public ::testing::Test {
  protected:
    void SetUp() override { flaky_copy_action::copies_throw = true; }
    void TearDown() override {
        flaky_copy_action::copies_throw = false;
        EXPECT_EQ(c.live(), 0);
        EXPECT_EQ(c.double_destroyed, 0);
    }
    counter c;
};

TEST_F(ThrowingConstruction, ScopeExitCallsTheActionAtOnce) {
    flaky_copy_action action(c);
    EXPECT_THROW(godefer::scope_exit<flaky_copy_action> g{action}, flaky_copy_action::copy_failed);
    EXPECT_EQ(c.calls, 1);
}

TEST_F(ThrowingConstruction, ScopeFailCallsTheActionAtOnce) {
    flaky_copy_action action(c);
    EXPECT_THROW(godefer::scope_fail<flaky_copy_action> g{action}, flaky_copy_action::copy_failed);
    EXPECT_EQ(c.calls, 1);
}

TEST_F(ThrowingConstruction, ScopeSuccessDoesNotCallTheAction) {
    flaky_copy_action action(c);
    EXPECT_THROW(godefer::scope_success<flaky_copy_action> g{action},
                 flaky_copy_action::copy_failed);
    EXPECT_EQ(c.calls, 0);
}

TEST_F(ThrowingConstruction, AnInactiveGuardDoesNotCallTheAction) {
    flaky_copy_action action(c);
    EXPECT_THROW({ godefer::scope_exit<flaky_copy_action> g(action, false); },
                 flaky_copy_action::copy_failed);
    EXPECT_EQ(c.calls, 0);
}

TEST_F(ThrowingConstruction, AFailedMoveLeavesTheSourceArmed) {
    {
        flaky_copy_action::copies_throw = false;
        godefer::scope_exit a{flaky_copy_action(c)};
        flaky_copy_action::copies_throw = true;
        EXPECT_THROW(godefer::scope_exit b{std::move(a)}, flaky_copy_action::copy_failed);
        EXPECT_TRUE(a.active());
        EXPECT_EQ(c.calls, 0);
    }
    EXPECT_EQ(c.calls, 1);  // `a` ran, once
}

TEST(StoreRule, AnActionWhoseMoveMayThrowIsCopied) {
    int moves = 0;
    int copies = 0;
    {
        godefer::scope_exit g{godefer_test::throwing_move_action(&moves, &copies)};
        godefer::scope_exit h{std::move(g)};
    }
    EXPECT_EQ(moves, 0);
    EXPECT_EQ(copies, 2);
}

TEST(StoreRule, AnActionIsMovedWhenThatCannotThrow) {
    counter c;
    {
        auto action = godefer_test::move_only_action(c);
        godefer::scope_exit g{std::move(action)};
        godefer::scope_exit h{std::move(g)};
    }
    EXPECT_EQ(c.calls, 1);
    EXPECT_EQ(c.live(), 0);
}

TEST(StoreRule, AnLvalueReferenceActionIsNotCopied) {
    counter c;
    godefer_test::move_only_action action(c);
    {
        godefer::scope_exit<godefer_test::move_only_action&> g{action};
        godefer::scope_exit<godefer_test::move_only_action&> h{std::move(g)};
    }
    EXPECT_EQ(c.calls, 1);
    EXPECT_EQ(c.constructed, 1);
}

// --- Actions that throw --------------------------------------------------------------------------

TEST(ThrowingAction, ScopeSuccessMayThrowOnNormalExit) {
    EXPECT_THROW({ godefer::scope_success g{[] { throw std::runtime_error("commit failed"); }}; },
                 std::runtime_error);
}

TEST(ThrowingAction, ScopeExitMayThrowOnNormalExit) {
    EXPECT_THROW({ godefer::scope_exit g{[] { throw std::logic_error("close failed"); }}; },
                 std::logic_error);
}

TEST(ThrowingAction, RunNowThrowsAndStaysDisarmed) {
    int calls = 0;
    godefer::scope_exit g{[&] {
        ++calls;
        throw std::runtime_error("once");
    }};
    EXPECT_THROW(g.run_now(), std::runtime_error);
    EXPECT_FALSE(g.active());
    EXPECT_EQ(calls, 1);
}

TEST(ThrowingActionDeathTest, ThrowingWhileUnwindingTerminates) {
    EXPECT_DEATH(
        {
            try {
                godefer::scope_exit g{[] { throw std::logic_error("second"); }};
                throw std::runtime_error("first");
            } catch (...) {
            }
        },
        "");
}

// --- Exception counting
// ---------------------------------------------------------------------------

// A scope entered while an exception is already unwinding (a destructor's body) fails only if it
// is left by a new exception.
struct checks_in_destructor {
    int* fail_calls;
    int* success_calls;
    ~checks_in_destructor() {
        godefer::scope_fail f{[this] { ++*fail_calls; }};
        godefer::scope_success s{[this] { ++*success_calls; }};
    }
};

TEST(ExceptionCounting, AScopeInsideUnwindingThatEndsNormallySucceeds) {
    int fail_calls = 0;
    int success_calls = 0;
    auto unwind = [&] {
        checks_in_destructor d{&fail_calls, &success_calls};
        throw std::runtime_error("unwinding");
    };
    EXPECT_THROW(unwind(), std::runtime_error);
    EXPECT_EQ(fail_calls, 0);
    EXPECT_EQ(success_calls, 1);
}

TEST(ExceptionCounting, AGuardMovedOutOfItsScopeKeepsItsCount) {
    int calls = 0;
    auto make = [&] { return godefer::scope_fail{[&] { ++calls; }}; };
    {
        auto g = make();  // created and left normally
    }
    EXPECT_EQ(calls, 0);
}

// --- Macros
// ---------------------------------------------------------------------------------------

TEST(Macros, RunInReverseOrderAndCaptureByReference) {
    std::string log;
    {
        int value = 1;
        GODEFER_SCOPE_EXIT {
            log += "exit" + std::to_string(value) + " ";
        };
        GODEFER_SCOPE_EXIT {
            log += "second ";
        };
        GODEFER_SCOPE_SUCCESS {
            log += "success ";
        };
        GODEFER_SCOPE_FAIL {
            log += "fail ";
        };
        value = 2;  // seen by the action: captured by reference
    }
    EXPECT_EQ(log, "success second exit2 ");
}

TEST(Macros, SeveralOnOneLine) {
    int calls = 0;
    {
        // clang-format off
        GODEFER_SCOPE_EXIT { ++calls; }; GODEFER_SCOPE_EXIT { ++calls; }; GODEFER_SCOPE_EXIT { ++calls; };
        // clang-format on
    }
    EXPECT_EQ(calls, 3);
}

TEST(Macros, FailAndSuccessOnException) {
    std::string log;
    EXPECT_THROW(
        {
            GODEFER_SCOPE_EXIT {
                log += "exit ";
            };
            GODEFER_SCOPE_SUCCESS {
                log += "success ";
            };
            GODEFER_SCOPE_FAIL {
                log += "fail ";
            };
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_EQ(log, "fail exit ");
}

TEST(Macros, ReturnLeavesTheActionOnly) {
    int calls = 0;
    {
        GODEFER_SCOPE_EXIT {
            ++calls;
        };                    // runs second
        GODEFER_SCOPE_EXIT {  // runs first
            if (calls == 0)
                return;
            calls = 100;
        };
    }
    EXPECT_EQ(calls, 1);
}

}  // namespace
