// panic_value: message rules, catch-like get_if, site, stack trace switch, panic(nullptr).
#include <gtest/gtest.h>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include <godefer/gtest.hpp>
#include <godefer/run.hpp>

namespace {

using godefer::frame;
using godefer::panic_value;

template <class T>
panic_value recovered_from(T&& v) {
    panic_value out;
    godefer::run([&](frame& f) {
        f.defer([&] { out = godefer::recover(); });
        godefer::panic(std::forward<T>(v));
    });
    return out;
}

enum class color { red = 3 };
struct streamable {
    friend std::ostream& operator<<(std::ostream& os, const streamable&) {
        return os << "i am a stringer";
    }
};
struct plain_struct {
    int a;
};
struct base_error {
    virtual ~base_error() = default;
    int code = 1;
};
struct derived_error : base_error {};

TEST(PanicValue, MessageRules) {
    EXPECT_EQ(recovered_from("boom").message(), "boom");
    EXPECT_EQ(recovered_from(std::string("s")).message(), "s");
    EXPECT_EQ(recovered_from(std::string_view("view")).message(), "view");
    EXPECT_EQ(recovered_from(42).message(), "42");
    EXPECT_EQ(recovered_from(-7L).message(), "-7");
    EXPECT_EQ(recovered_from(18446744073709551615ULL).message(), "18446744073709551615");
    EXPECT_EQ(recovered_from(true).message(), "true");
    EXPECT_EQ(recovered_from('x').message(), "x");
    EXPECT_EQ(recovered_from(static_cast<signed char>(65)).message(), "65");
    EXPECT_EQ(recovered_from(static_cast<unsigned char>(66)).message(), "66");
    EXPECT_EQ(recovered_from(1.5).message(), "1.5");
    EXPECT_EQ(recovered_from(0.1).message(), "0.1");
    EXPECT_EQ(recovered_from(1.5f).message(), "1.5");
    EXPECT_EQ(recovered_from(color::red).message(), "3");
    EXPECT_EQ(recovered_from(std::runtime_error("what")).message(), "what");
    EXPECT_EQ(recovered_from(std::make_error_code(std::errc::permission_denied)).message(),
              std::make_error_code(std::errc::permission_denied).message());
    EXPECT_EQ(recovered_from(streamable{}).message(), "i am a stringer");
    EXPECT_NE(recovered_from(plain_struct{1}).message().find("plain_struct"), std::string::npos);
}

TEST(PanicValue, ForeignExceptionMessages) {
    auto from_throw = [](auto thrower) {
        panic_value out;
        godefer::run([&](frame& f) {
            f.defer([&] { out = godefer::recover(); });
            thrower();
        });
        return out;
    };
    EXPECT_EQ(from_throw([] { throw std::invalid_argument("bad"); }).message(), "bad");
    EXPECT_EQ(from_throw([] { throw std::string("str"); }).message(), "str");
    EXPECT_EQ(from_throw([] { throw plain_struct{1}; }).message().find("plain_struct") !=
                  std::string::npos,
              true);
}

TEST(PanicValue, GetIfMatchesLikeACatchClause) {
    auto v = recovered_from(derived_error{});
    ASSERT_NE(v.get_if<derived_error>(), nullptr);
    ASSERT_NE(v.get_if<base_error>(), nullptr);
    EXPECT_EQ(v.get_if<base_error>(), static_cast<const base_error*>(v.get_if<derived_error>()));
    EXPECT_EQ(v.get_if<int>(), nullptr);
    EXPECT_EQ(v.get_if<std::exception>(), nullptr);

    auto n = recovered_from(5);
    ASSERT_NE(n.get_if<int>(), nullptr);
    EXPECT_EQ(*n.get_if<int>(), 5);
    EXPECT_EQ(n.get_if<long>(), nullptr);
    EXPECT_EQ(n.type(), typeid(int));

    auto s = recovered_from("text");
    ASSERT_NE(s.get_if<std::string>(), nullptr);
    EXPECT_EQ(*s.get_if<std::string>(), "text");

    auto e = recovered_from(std::out_of_range("r"));
    EXPECT_NE(e.get_if<std::logic_error>(), nullptr);
    EXPECT_NE(e.get_if<std::exception>(), nullptr);
}

TEST(PanicValue, NilPanic) {  // R31, Go >= 1.21
    auto v = recovered_from(nullptr);
    ASSERT_TRUE(v);
    EXPECT_NE(v.get_if<godefer::nil_panic_error>(), nullptr);
    EXPECT_EQ(v.message(), "panic called with nil argument");
    const char* null_str = nullptr;
    EXPECT_NE(recovered_from(null_str).get_if<godefer::nil_panic_error>(), nullptr);
    // repanic of an empty value panics with nil_panic_error too
    EXPECT_PANIC(panic_value{}.repanic(), godefer::nil_panic_error);
    EXPECT_PANIC_MESSAGE(panic_value{}.repanic(), "panic called with nil argument");
}

TEST(PanicValue, SiteIsWhereThePanicWasRaised) {
    panic_value v;
    unsigned line = 0;
    godefer::run([&](frame& f) {
        f.defer([&] { v = godefer::recover(); });
        line = __LINE__ + 1;
        godefer::panic("here");
    });
    EXPECT_EQ(v.site().line, line);
    EXPECT_NE(std::string(v.site().file).find("panic_test.cpp"), std::string::npos);
    EXPECT_TRUE(v.site().known());
}

TEST(PanicValue, StackCaptureCanBeSwitched) {
    bool before = godefer::set_stacktrace_capture(true);
    auto with = recovered_from(1);
    EXPECT_TRUE(godefer::set_stacktrace_capture(false));
    auto without = recovered_from(1);
    EXPECT_FALSE(godefer::set_stacktrace_capture(before));
#if GODEFER_DETAIL_HAS_EXECINFO
    EXPECT_NE(with.stacktrace(), "");
#endif
    EXPECT_EQ(without.stacktrace(), "");
}

TEST(PanicValue, EmptyValue) {
    panic_value v;
    EXPECT_FALSE(v);
    EXPECT_FALSE(v.has_value());
    EXPECT_EQ(v.message(), "");
    EXPECT_EQ(v.get_if<int>(), nullptr);
    EXPECT_FALSE(v.exception());
    EXPECT_FALSE(v.site().known());
    EXPECT_FALSE(v.aborted());
}

TEST(PanicValue, ExceptionCarriesThePanic) {
    auto v = recovered_from(9);
    try {
        std::rethrow_exception(v.exception());
    } catch (const godefer::panic_error& e) {
        EXPECT_STREQ(e.what(), "9");
        EXPECT_EQ(e.value().get_if<int>(), v.get_if<int>());
    }
}

}  // namespace
