// recover2.cpp: C++ translation of Go's test/recover2.go ("Test of recover for run-time errors";
// the Go program is go/recover2.go), trimmed to test7, the integer division by zero: C++ has no
// run-time error for the others (index and slice bounds, interface conversion, uncomparable and
// unhashable values). Dividing by zero is undefined in C++, so the division is go::divide
// (tests/conformance/go_fmt.hpp), which throws std::domain_error("runtime error: integer divide
// by zero") as Go's run-time check panics; Go's `error` is std::exception.
#include <exception>
#include <string>

#include <godefer/go.hpp>

#include "upstream.hpp"

using godefer::frame;
using godefer::panic;
using godefer::panic_value;
using godefer::recover;
using godefer::run;

void mustRecover(const std::string& s) {
    panic_value v = recover();
    if (!v) {
        panic("expected panic");
    }
    if (std::string e = upstream::as<std::exception>(v).what(); e.find(s) == std::string::npos) {
        panic("want: " + s + "; have: " + e);
    }
}

void test7() {
    run([](frame& f) {
        f.defer(mustRecover, std::string("divide by zero"));
        int x = 0, y = 0;
        upstream::println(go::divide(x, y));
    });
}

int main(int argc, char** argv) {
    return upstream::dispatch(argc, argv, {{"test7", test7}});
}
