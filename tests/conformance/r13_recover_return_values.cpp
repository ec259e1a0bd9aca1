// R13: after a deferred call recovers, the function returns NORMALLY to its caller: code after
// the panic never runs, named results keep what they were set to, unnamed results are zero
// values (run returns a value-initialised result).
#include <cstdio>
#include <string>
#include <tuple>
#include <utility>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

std::pair<int, std::string> unnamed() {
    return godefer::run([](godefer::frame& f) -> std::pair<int, std::string> {
        f.defer([] { fmt::Println("unnamed: recovered", godefer::recover()); });
        godefer::panic("u");
    });
}

std::tuple<int, std::string, error> named() {
    int n = 0;
    std::string s;
    error err;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            if (auto r = godefer::recover())
                err = "recovered: " + fmt::v(r);
        });
        n = 7;
        s = "set before panic";
        godefer::panic("n");
    });
    return {n, s, err};
}

std::pair<int, error> safeDiv(int a, int b) {
    int q = 0;
    error err;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            if (auto r = godefer::recover())
                err = fmt::v(r);
        });
        q = -1;
        int quotient = go::divide(a, b);  // return a / b, nil: panics before the results are set
        q = quotient;
        err.reset();
    });
    return {q, err};
}

int main() {
    return godefer::main([] {
        auto [n, s] = unnamed();
        std::printf("unnamed() = %d %s\n", n, fmt::q(s).c_str());
        auto [n2, s2, err] = named();
        std::printf("named() = %d %s %s\n", n2, fmt::q(s2).c_str(), fmt::v(err).c_str());
        auto [q, err2] = safeDiv(1, 0);
        std::printf("safeDiv(1,0) = %d, %s\n", q, fmt::v(err2).c_str());
        std::tie(q, err2) = safeDiv(6, 3);
        std::printf("safeDiv(6,3) = %d, %s\n", q, fmt::v(err2).c_str());
        fmt::Println("main continues normally");
    });
}
