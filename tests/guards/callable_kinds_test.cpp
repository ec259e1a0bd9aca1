// The three guards over every kind of callable: when each runs, and that every stored copy of the
// action is destroyed exactly once.
#include <gtest/gtest.h>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <godefer/scope_exit.hpp>
#include <godefer/scope_fail.hpp>
#include <godefer/scope_success.hpp>

#include "tracked.hpp"

namespace {

using godefer_test::counter;

template <class Kind>
class GuardOverCallable : public ::testing::Test {
  protected:
    void TearDown() override {
        EXPECT_EQ(c.live(), 0) << "a stored copy of the action was never destroyed";
        EXPECT_EQ(c.double_destroyed, 0) << "a stored copy of the action was destroyed twice";
    }
    decltype(auto) make() { return Kind::make(c); }
    counter c;
};

using CallableKinds =
    ::testing::Types<godefer_test::lambda_kind, godefer_test::mutable_lambda_kind,
                     godefer_test::function_pointer_kind, godefer_test::function_reference_kind,
                     godefer_test::move_only_kind, godefer_test::std_function_kind,
                     godefer_test::rvalue_only_kind, godefer_test::throwing_move_only_kind>;

class KindNames {
  public:
    template <class T>
    static std::string GetName(int) {
        if (std::is_same_v<T, godefer_test::lambda_kind>)
            return "lambda";
        if (std::is_same_v<T, godefer_test::mutable_lambda_kind>)
            return "mutable_lambda";
        if (std::is_same_v<T, godefer_test::function_pointer_kind>)
            return "function_pointer";
        if (std::is_same_v<T, godefer_test::function_reference_kind>)
            return "function_reference";
        if (std::is_same_v<T, godefer_test::move_only_kind>)
            return "move_only_functor";
        if (std::is_same_v<T, godefer_test::rvalue_only_kind>)
            return "rvalue_only_functor";
        if (std::is_same_v<T, godefer_test::throwing_move_only_kind>) {
            return "throwing_move_only_functor";
        }
        return "std_function";
    }
};

TYPED_TEST_SUITE(GuardOverCallable, CallableKinds, KindNames);

TYPED_TEST(GuardOverCallable, ScopeExitRunsOnNormalExit) {
    { godefer::scope_exit g{this->make()}; }
    EXPECT_EQ(this->c.calls, 1);
}

TYPED_TEST(GuardOverCallable, ScopeExitRunsOnException) {
    EXPECT_THROW(
        {
            godefer::scope_exit g{this->make()};
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_EQ(this->c.calls, 1);
}

TYPED_TEST(GuardOverCallable, ScopeFailRunsOnlyOnException) {
    { godefer::scope_fail g{this->make()}; }
    EXPECT_EQ(this->c.calls, 0);
    EXPECT_THROW(
        {
            godefer::scope_fail g{this->make()};
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_EQ(this->c.calls, 1);
}

TYPED_TEST(GuardOverCallable, ScopeSuccessRunsOnlyOnNormalExit) {
    EXPECT_THROW(
        {
            godefer::scope_success g{this->make()};
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_EQ(this->c.calls, 0);
    { godefer::scope_success g{this->make()}; }
    EXPECT_EQ(this->c.calls, 1);
}

TYPED_TEST(GuardOverCallable, StoresADecayedCopyOfAnLvalue) {
    if constexpr (TypeParam::copyable) {
        decltype(auto) action = this->make();
        {
            godefer::scope_exit g{action};
            using stored = std::decay_t<decltype(action)>;
            static_assert(std::is_same_v<decltype(g), godefer::scope_exit<stored>>);
        }
        EXPECT_EQ(this->c.calls, 1);
    } else {
        // A move-only callable is stored from an rvalue only.
        using stored = std::decay_t<decltype(this->make())>;
        static_assert(!std::is_constructible_v<godefer::scope_exit<stored>, stored&>);
        static_assert(std::is_constructible_v<godefer::scope_exit<stored>, stored&&>);
    }
}

TYPED_TEST(GuardOverCallable, ReleaseDisarms) {
    {
        godefer::scope_exit g{this->make()};
        EXPECT_TRUE(g.active());
        g.release();
        EXPECT_FALSE(g.active());
    }
    {
        godefer::scope_fail g{this->make()};
        g.release();
        EXPECT_THROW(throw std::runtime_error("boom"), std::runtime_error);
    }
    EXPECT_EQ(this->c.calls, 0);
}

TYPED_TEST(GuardOverCallable, SetActiveArmsAndDisarms) {
    {
        godefer::scope_exit g{this->make(), false};
        EXPECT_FALSE(g.active());
        g.set_active(true);
        EXPECT_TRUE(g.active());
    }
    EXPECT_EQ(this->c.calls, 1);
    {
        godefer::scope_success g{this->make()};
        g.set_active(false);
    }
    EXPECT_EQ(this->c.calls, 1);
}

TYPED_TEST(GuardOverCallable, RunNowCallsOnceAndDisarms) {
    {
        godefer::scope_exit g{this->make()};
        g.run_now();
        EXPECT_EQ(this->c.calls, 1);
        EXPECT_FALSE(g.active());
        g.run_now();  // disarmed: nothing
    }
    EXPECT_EQ(this->c.calls, 1);
    {
        godefer::scope_exit g{this->make(), false};
        g.run_now();
    }
    EXPECT_EQ(this->c.calls, 1);
}

TYPED_TEST(GuardOverCallable, MovedFromGuardIsDisarmed) {
    {
        godefer::scope_exit a{this->make()};
        godefer::scope_exit b{std::move(a)};
        EXPECT_FALSE(a.active());  // NOLINT(bugprone-use-after-move): the documented state
        EXPECT_TRUE(b.active());
    }
    EXPECT_EQ(this->c.calls, 1);
    EXPECT_THROW(
        {
            godefer::scope_fail a{this->make()};
            godefer::scope_fail b{std::move(a)};
            throw std::runtime_error("boom");
        },
        std::runtime_error);
    EXPECT_EQ(this->c.calls, 2);
    {
        godefer::scope_success a{this->make(), false};
        godefer::scope_success b{std::move(a)};
        EXPECT_FALSE(b.active());  // the armed state moves along
    }
    EXPECT_EQ(this->c.calls, 2);
}

}  // namespace
