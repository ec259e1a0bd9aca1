// godefer/gtest.hpp: GoogleTest assertions for panics and goexit (needs GoogleTest and GoogleMock;
// not included by godefer/godefer.hpp).
//
//   #include <godefer/gtest.hpp>
//
//   TEST(Parser, RejectsBadPorts) {
//       EXPECT_PANIC(parse_port("99999"), std::out_of_range);        // a value get_if<> finds
//       EXPECT_PANIC_MESSAGE(parse_port("x"), "bad port: x");         // message() == "bad port: x"
//       EXPECT_PANIC_MESSAGE(parse_port("-1"), testing::HasSubstr("bad port"));   // any matcher
//       EXPECT_NO_PANIC(parse_port("8080"));
//       EXPECT_GOEXIT(worker_that_quits());                           // calls godefer::goexit()
//   }
//
// Each macro evaluates the statement once, inside a godefer::run frame of its own that recovers
// the statement's panic and stops its goexit: neither escapes the macro. They work on any thread,
// with or without an enclosing godefer::run, and inside the deferred calls of a panicking frame,
// whose own panic stays recoverable afterwards. A panic is a godefer::panic or any C++ exception.
// EXPECT_* records a non-fatal failure; ASSERT_* a fatal one (it returns from the function).
// The failure message says what happened instead:
//
//   Expected: parse_port("80") panics with a value of type std::out_of_range.
//     Actual: it does not panic.
//     Actual: it panics with std::invalid_argument: stoi.
//     Actual: it calls godefer::goexit() (a goexit is not a panic).
#ifndef GODEFER_GTEST_HPP
#define GODEFER_GTEST_HPP

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <exception>
#include <sstream>
#include <string>
#include <typeinfo>
#include <utility>

#include <godefer/detail/config.hpp>
#include <godefer/detail/message.hpp>
#include <godefer/frame.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

namespace godefer::detail {

// How a statement ended.
struct test_outcome {
    enum class kind { returned, panicked, goexited };
    kind what = kind::returned;
    panic_value value;  // the panic, when it panicked
};

// Runs `statement` once in a run frame of its own: its panic is recovered there (the frame is
// the panicking one, so an enclosing panic is left alone) and its goexit is stopped here.
template <class Statement>
test_outcome observe(Statement&& statement) {
    test_outcome out;
    try {
        run([&](frame& f) {
            f.defer([&] {
                if (panic_value r = recover()) {
                    out.what = test_outcome::kind::panicked;
                    out.value = std::move(r);
                }
            });
            statement();
        });
    } catch (const goexit_signal&) {
        out.what = test_outcome::kind::goexited;
    }
    return out;
}

// The type name of a panic's value for a failure message (std::string for strings).
inline std::string test_type_name(const panic_value& v) {
    const std::type_info& t = v.type();
    if (t == typeid(std::string))
        return "std::string";
    return demangle(t.name());
}

// The panic's message(), or what went wrong computing it (an operator<< that throws): a failure
// message must not throw.
inline std::string test_message(const panic_value& v, bool* ok = nullptr) {
    try {
        return v.message();
    } catch (...) {
        if (ok != nullptr)
            *ok = false;
        return "(message() throws: " + describe_exception(std::current_exception()) + ")";
    }
}

// "it does not panic.", "it panics with <type>: <message>.", "it calls godefer::goexit() ...".
inline std::string test_actual(const test_outcome& o) {
    switch (o.what) {
        case test_outcome::kind::returned:
            return "it does not panic.";
        case test_outcome::kind::goexited:
            return "it calls godefer::goexit() (a goexit is not a panic).";
        case test_outcome::kind::panicked:
            break;
    }
    return "it panics with " + test_type_name(o.value) + ": " + test_message(o.value) + ".";
}

template <class Type>
testing::AssertionResult test_panic(const test_outcome& o, const char* statement,
                                    const char* type) {
    if (o.what == test_outcome::kind::panicked && o.value.get_if<Type>() != nullptr)
        return testing::AssertionSuccess();
    return testing::AssertionFailure()
           << "Expected: " << statement << " panics with a value of type " << type
           << ".\n  Actual: " << test_actual(o);
}

template <class Matcher>
testing::AssertionResult test_panic_message(const test_outcome& o, const char* statement,
                                            const Matcher& matcher) {
    const testing::Matcher<const std::string&> m =
        testing::SafeMatcherCast<const std::string&>(matcher);
    std::string expected;
    {
        std::ostringstream os;
        m.DescribeTo(&os);
        expected = os.str();
    }
    testing::StringMatchResultListener why;
    if (o.what == test_outcome::kind::panicked) {
        bool computed = true;
        const std::string message = test_message(o.value, &computed);
        if (computed && m.MatchAndExplain(message, &why))
            return testing::AssertionSuccess();
    }
    testing::AssertionResult r = testing::AssertionFailure();
    r << "Expected: " << statement << " panics with a message that " << expected
      << ".\n  Actual: " << test_actual(o);
    if (!why.str().empty())
        r << "\n  Which: " << why.str();
    return r;
}

inline testing::AssertionResult test_no_panic(const test_outcome& o, const char* statement) {
    if (o.what == test_outcome::kind::returned)
        return testing::AssertionSuccess();
    return testing::AssertionFailure()
           << "Expected: " << statement << " does not panic.\n  Actual: " << test_actual(o);
}

inline testing::AssertionResult test_goexit(const test_outcome& o, const char* statement) {
    if (o.what == test_outcome::kind::goexited)
        return testing::AssertionSuccess();
    return testing::AssertionFailure()
           << "Expected: " << statement << " calls godefer::goexit().\n  Actual: "
           << (o.what == test_outcome::kind::returned ? std::string("it returns normally.")
                                                      : test_actual(o));
}

}  // namespace godefer::detail

// The statement as a function object; `statement;` also accepts a braced block.
#define GODEFER_DETAIL_TEST_STATEMENT(statement) [&]() -> void { statement; }

#define GODEFER_DETAIL_TEST_ASSERT(result, on_failure)                   \
    switch (0)                                                           \
    case 0:                                                              \
    default:                                                             \
        if (const ::testing::AssertionResult godefer_detail_ar = result) \
            ;                                                            \
        else                                                             \
            on_failure(godefer_detail_ar.failure_message())

// The outcome of running the statement once.
#define GODEFER_DETAIL_TEST_RUN(statement) \
    ::godefer::detail::observe(GODEFER_DETAIL_TEST_STATEMENT(statement))

// EXPECT_PANIC(statement, Type) / ASSERT_PANIC: the statement panics (a godefer::panic or a C++
// exception) with a value that panic_value::get_if<Type>() finds (the type or a public base).
// Type cannot contain a top-level comma: use an alias.
#define EXPECT_PANIC(statement, Type)                                                      \
    GODEFER_DETAIL_TEST_ASSERT(::godefer::detail::test_panic<Type>(                        \
                                   GODEFER_DETAIL_TEST_RUN(statement), #statement, #Type), \
                               GTEST_NONFATAL_FAILURE_)
#define ASSERT_PANIC(statement, Type)                                                      \
    GODEFER_DETAIL_TEST_ASSERT(::godefer::detail::test_panic<Type>(                        \
                                   GODEFER_DETAIL_TEST_RUN(statement), #statement, #Type), \
                               GTEST_FATAL_FAILURE_)

// EXPECT_PANIC_MESSAGE(statement, matcher) / ASSERT_PANIC_MESSAGE: the statement panics and the
// panic's message() satisfies the GoogleMock matcher (a plain string means equality).
#define EXPECT_PANIC_MESSAGE(statement, matcher)                                             \
    GODEFER_DETAIL_TEST_ASSERT(::godefer::detail::test_panic_message(                        \
                                   GODEFER_DETAIL_TEST_RUN(statement), #statement, matcher), \
                               GTEST_NONFATAL_FAILURE_)
#define ASSERT_PANIC_MESSAGE(statement, matcher)                                             \
    GODEFER_DETAIL_TEST_ASSERT(::godefer::detail::test_panic_message(                        \
                                   GODEFER_DETAIL_TEST_RUN(statement), #statement, matcher), \
                               GTEST_FATAL_FAILURE_)

// EXPECT_NO_PANIC(statement) / ASSERT_NO_PANIC: the statement neither panics nor calls goexit().
#define EXPECT_NO_PANIC(statement)                                                        \
    GODEFER_DETAIL_TEST_ASSERT(                                                           \
        ::godefer::detail::test_no_panic(GODEFER_DETAIL_TEST_RUN(statement), #statement), \
        GTEST_NONFATAL_FAILURE_)
#define ASSERT_NO_PANIC(statement)                                                        \
    GODEFER_DETAIL_TEST_ASSERT(                                                           \
        ::godefer::detail::test_no_panic(GODEFER_DETAIL_TEST_RUN(statement), #statement), \
        GTEST_FATAL_FAILURE_)

// EXPECT_GOEXIT(statement) / ASSERT_GOEXIT: the statement calls godefer::goexit() (which ends
// there: the thread of work goes on).
#define EXPECT_GOEXIT(statement)                                                        \
    GODEFER_DETAIL_TEST_ASSERT(                                                         \
        ::godefer::detail::test_goexit(GODEFER_DETAIL_TEST_RUN(statement), #statement), \
        GTEST_NONFATAL_FAILURE_)
#define ASSERT_GOEXIT(statement)                                                        \
    GODEFER_DETAIL_TEST_ASSERT(                                                         \
        ::godefer::detail::test_goexit(GODEFER_DETAIL_TEST_RUN(statement), #statement), \
        GTEST_FATAL_FAILURE_)

#endif  // GODEFER_GTEST_HPP
