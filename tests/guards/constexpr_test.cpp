// C++20: the guards in constant expressions (constexpr constructors, destructors and members).
// Every check is a static_assert: this file compiles only if the guards are usable there.
#include <gtest/gtest.h>
#include <utility>

#include <godefer/scope_condition.hpp>
#include <godefer/scope_exit.hpp>
#include <godefer/scope_fail.hpp>
#include <godefer/scope_success.hpp>

#if !(defined(__cpp_constexpr) && __cpp_constexpr >= 201907L)
#error "the constexpr guard tests need C++20"
#endif

namespace {

constexpr int exit_runs() {
    int runs = 0;
    {
        godefer::scope_exit a{[&] { runs += 1; }};
        godefer::scope_exit b{[&] { runs += 10; }, false};
        b.set_active(true);
        godefer::scope_exit c{[&] { runs += 100; }};
        c.release();
        godefer::scope_exit d{[&] { runs += 1000; }};
        d.run_now();
        auto e = std::move(a);
        GODEFER_SCOPE_EXIT {
            runs += 10000;
        };
    }
    return runs;
}
static_assert(exit_runs() == 11011);

constexpr int fail_and_success_runs() {
    int runs = 0;
    {
        godefer::scope_fail f{[&] { runs += 1; }};      // no exception: does not run
        godefer::scope_success s{[&] { runs += 10; }};  // runs
        GODEFER_SCOPE_SUCCESS {
            runs += 100;
        };
        GODEFER_SCOPE_FAIL {
            runs += 1000;
        };
        auto t = std::move(s);
    }
    return runs;
}
static_assert(fail_and_success_runs() == 110);

constexpr int condition_runs(int err) {
    int runs = 0;
    {
        godefer::scope_fail undo{[&] { runs += 1; }, godefer::check_error_code(err)};
        godefer::scope_success commit{[&] { runs += 10; }, godefer::check_error_code(err)};
        godefer::scope_exit when{[&] { runs += 100; }, [&] { return err > 1; }};
        godefer::scope_exit never{[&] { runs += 1000; }, godefer::check_exception()};
    }
    return runs;
}
static_assert(condition_runs(0) == 10);
static_assert(condition_runs(1) == 1);
static_assert(condition_runs(2) == 101);

struct rvalue_only {
    int* runs;
    constexpr void operator()() && { ++*runs; }
};

constexpr int rvalue_only_runs() {
    int runs = 0;
    { godefer::scope_exit g{rvalue_only{&runs}}; }
    return runs;
}
static_assert(rvalue_only_runs() == 1);

TEST(Constexpr, GuardsRunInConstantExpressions) {
    // The checks above are static_asserts; the same functions also run at run time.
    EXPECT_EQ(exit_runs(), 11011);
    EXPECT_EQ(fail_and_success_runs(), 110);
    EXPECT_EQ(condition_runs(2), 101);
    EXPECT_EQ(rvalue_only_runs(), 1);
}

}  // namespace
