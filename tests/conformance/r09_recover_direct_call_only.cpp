// R9: where recover() stops a panic. Go demands a direct call by the deferred function; godefer
// recovers from anything the deferred call runs while its own frame panics (cases a, c, g), and
// not from the calls of a nested frame that is not itself panicking (case d). See the expected
// file and docs/go-differences.md.
#include <cstdio>
#include <functional>
#include <string>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

void try_(const std::string& name, const std::function<void()>& fn) {  // Go's try
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            if (auto r = godefer::recover())
                std::printf("%s: panic escaped: %s\n", name.c_str(), fmt::v(r).c_str());
            else
                std::printf("%s: returned normally\n", name.c_str());
        });
        fn();
    });
}

void helper() {
    fmt::Println("  helper: recover() =", godefer::recover());
}

void directRecover() {
    fmt::Println("  directRecover: recover() =", godefer::recover());
}

struct R {
    void Recover() const { fmt::Println("  method: recover() =", godefer::recover()); }
};

int main() {
    return godefer::main([] {
        try_("a helper-called-by-defer", [] {
            godefer::run([](godefer::frame& f) {
                f.defer([] { helper(); });
                godefer::panic("a");
            });
        });
        try_("b named-func-deferred", [] {
            godefer::run([](godefer::frame& f) {
                f.defer(directRecover);
                godefer::panic("b");
            });
        });
        try_("c defer-recover-builtin", [] {
            godefer::run([](godefer::frame& f) {
                f.defer(godefer::recover);
                godefer::panic("c");
            });
        });
        try_("d defer-recover-inside-deferred", [] {
            godefer::run([](godefer::frame& f) {
                f.defer([] {
                    godefer::run([](godefer::frame& inner) { inner.defer(godefer::recover); });
                });
                godefer::panic("d");
            });
        });
        try_("e deferred-method", [] {
            godefer::run([](godefer::frame& f) {
                f.defer(&R::Recover, R{});
                godefer::panic("e");
            });
        });
        try_("f closure-in-variable", [] {
            godefer::run([](godefer::frame& f) {
                auto rf = [] { fmt::Println("  rf: recover() =", godefer::recover()); };
                f.defer(rf);
                godefer::panic("f");
            });
        });
        try_("g nested-closure-call", [] {
            godefer::run([](godefer::frame& f) {
                f.defer(
                    [] { [] { fmt::Println("  nested: recover() =", godefer::recover()); }(); });
                godefer::panic("g");
            });
        });
    });
}
