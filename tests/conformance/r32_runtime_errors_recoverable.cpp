// R32: Go's run-time errors are ordinary, recoverable panics. C++ has no run-time errors; its
// closest analogues are the exceptions the standard library throws from checked operations. They
// are foreign C++ exceptions, and a run frame treats them as panics: defers run, recover() returns
// them (the same object), and they keep their type.
#include <any>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

struct T {
    int A;
};

void try_(const char* name, const std::function<void()>& fn) {  // Go's try
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            godefer::panic_value r = godefer::recover();
            bool isExc = r.get_if<std::exception>() != nullptr;  // r.(error)
            std::printf("%-18s %-60s std::exception=%s type=%s\n", name, fmt::q(fmt::v(r)).c_str(),
                        fmt::v(isExc).c_str(), fmt::T(r).c_str());
        });
        fn();
    });
}

int main() {
    return godefer::main([] {
        int zero = 0;
        std::size_t idx = 5;
        std::vector<int> s{1, 2, 3};
        std::string_view sv = "123";
        std::map<std::string, int> m;
        std::optional<T> p;
        std::any i = std::string("str");
        std::variant<std::string, int> vi = std::string("str");
        std::function<void()> nilf;
        try_("nil-map-write", [&] { m.at("a") = 1; });
        try_("index", [&] { (void)s.at(idx); });
        try_("slice-bounds", [&] { (void)sv.substr(idx); });
        try_("divide-by-zero", [&] { (void)go::divide(10, zero); });
        try_("nil-deref", [&] { (void)p.value().A; });
        try_("type-assertion", [&] { (void)std::any_cast<int>(i); });
        try_("variant-get", [&] { (void)std::get<int>(vi); });
        try_("close-closed-chan", [] {
            std::promise<void> c;
            c.set_value();
            c.set_value();
        });
        try_("close-nil-chan", [] {
            std::promise<void> c;
            std::promise<void> other(std::move(c));
            c.set_value();  // NOLINT(bugprone-use-after-move): a promise without a state
        });
        try_("send-closed-chan", [] {
            std::promise<int> c;
            (void)c.get_future();
            (void)c.get_future();
        });
        try_("negative-make", [] {
            int n = -1;
            std::vector<int> v(static_cast<std::size_t>(n));
        });
        try_("nil-func-call", [&] { nilf(); });
        fmt::Println("main end");
    });
}
