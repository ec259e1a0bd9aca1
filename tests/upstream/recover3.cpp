// recover3.cpp: C++ translation of Go's test/recover3.go ("Test recovering from runtime errors";
// the Go program is go/recover3.go), trimmed to its two integer division checks (case divZero,
// upstream main): nil dereferences, index and slice bounds and failed type assertions are no C++
// exceptions. Dividing by zero is undefined in C++, so the divisions are checked the way
// go::divide (tests/conformance/go_fmt.hpp) does it: they throw std::domain_error("runtime
// error: integer divide by zero"); Go's runtime.Error is std::exception.
#include <cstdint>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

#include <godefer/go.hpp>

#include "upstream.hpp"

using godefer::frame;
using godefer::panic;
using godefer::panic_value;
using godefer::recover;
using godefer::run;
using upstream::println;

bool didbug;

void bug() {
    if (didbug) {
        return;
    }
    println("BUG");
    didbug = true;
}

void check(const std::string& name, const std::function<void()>& f, const std::string& err) {
    run([&](frame& fr) {
        fr.defer([name, err] {
            panic_value v = recover();
            if (!v) {
                bug();
                println(name, "did not panic");
                return;
            }
            const auto* runt = v.get_if<std::exception>();
            if (runt == nullptr) {
                bug();
                println(name, "panicked but not with runtime.Error");
                return;
            }
            std::string s = runt->what();
            if (s.find(err) == std::string::npos) {
                bug();
                println(name, "panicked with", s, "not", err);
                return;
            }
        });

        f();
    });
}

std::int64_t divide64(std::int64_t a, std::int64_t b) {  // go::divide for int64
    if (b == 0)
        throw std::domain_error("runtime error: integer divide by zero");
    return a / b;
}

void divZero() {
    int x = 0;
    std::int64_t x64 = 0;

    check(
        "int-div-zero", [&] { println(go::divide(1, x)); }, "integer divide by zero");
    check(
        "int64-div-zero", [&] { println(divide64(1, x64)); }, "integer divide by zero");

    if (didbug) {
        panic("recover3");
    }
}

int main(int argc, char** argv) {
    return upstream::dispatch(argc, argv, {{"divZero", divZero}});
}
