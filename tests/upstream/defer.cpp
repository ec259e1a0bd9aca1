// defer.cpp: C++ translation of Go's test/defer.go ("Test defer"; the Go program is
// go/defer.go): calls deferred in a loop run in reverse order when the function returns.
// `defer test1` or `defer test2` runs one test. Go's `...interface{}` is a std::vector<std::any>.
#include <any>
#include <cstdio>
#include <string>
#include <vector>

#include <godefer/go.hpp>

#include "upstream.hpp"

using godefer::frame;
using godefer::panic;
using godefer::run;

std::string result;

void addInt(int i) {
    result += std::to_string(i);
}

void test1helper() {
    run([](frame& f) {
        for (int i = 0; i < 10; i++) {
            f.defer(addInt, i);
        }
    });
}

void test1() {
    result = "";
    test1helper();
    if (result != "9876543210") {
        std::printf("test1: bad defer result (should be 9876543210): %s\n", fmt::q(result).c_str());
        panic("defer");
    }
}

void addDotDotDot(const std::vector<std::any>& v) {  // fmt.Sprint(v...) of ints
    for (const std::any& a : v) result += std::to_string(std::any_cast<int>(a));
}

void test2helper() {
    run([](frame& f) {
        for (int i = 0; i < 10; i++) {
            f.defer(addDotDotDot, std::vector<std::any>{i});
        }
    });
}

void test2() {
    result = "";
    test2helper();
    if (result != "9876543210") {
        std::printf("test2: bad defer result (should be 9876543210): %s\n", fmt::q(result).c_str());
        panic("defer");
    }
}

int main(int argc, char** argv) {
    return upstream::dispatch(argc, argv, {{"test1", test1}, {"test2", test2}});
}
