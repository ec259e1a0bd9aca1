// defernil.cpp: C++ translation of Go's test/defernil.go ("Check that deferring a nil function
// causes a proper panic when the deferred function is invoked (not when the function is
// deferred)"; the Go program is go/defernil.go). Go's nil func value is an empty
// std::function. godefer refuses it at the defer call instead (see the expected file).
#include <functional>

#include <godefer/go.hpp>

#include "upstream.hpp"

using godefer::frame;
using godefer::panic;
using godefer::recover;
using godefer::run;

int x = 0;

void f();

void defernil() {
    run([](frame& fr) {
        fr.defer([] {
            auto err = recover();
            if (!err) {
                panic("did not panic");
            }
            if (x != 1) {
                panic("FAIL");
            }
        });
        f();
    });
}

void f() {
    run([](frame& fr) {
        std::function<void()> nilf;
        fr.defer(nilf);
        x = 1;
    });
}

int main(int argc, char** argv) {
    return upstream::dispatch(argc, argv, {{"main", defernil}});
}
