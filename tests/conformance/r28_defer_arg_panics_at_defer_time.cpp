// R28: if evaluating the deferred call's callable or arguments panics, the panic happens AT the
// defer call and nothing is registered; older defers run as usual. C++ analogues: an argument
// computed with std::vector::at (std::out_of_range), and a member function deferred on a null
// object pointer (refused by frame::defer, like Go's method call on a nil interface).
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

struct I {
    virtual void M() = 0;
    virtual ~I() = default;
};

void try_(const std::string& name, const std::function<void()>& fn) {  // Go's try
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            std::printf("%s: recovered: %s\n", name.c_str(), fmt::v(godefer::recover()).c_str());
        });
        fn();
    });
}

int main() {
    return godefer::main([] {
        try_("index", [] {
            godefer::run([](godefer::frame& f) {
                f.defer(fmt::Println, "  defer 1 runs");
                std::vector<int> s{1, 2, 3};
                std::size_t i = 5;
                f.defer(fmt::Println, "  never registered", s.at(i));
                fmt::Println("  unreachable");
            });
        });
        try_("nil-interface-method", [] {
            godefer::run([](godefer::frame& f) {
                I* iface = nullptr;
                f.defer(fmt::Println, "  defer 1 runs");
                f.defer(&I::M, iface);
                fmt::Println("  after defer iface.M()");
            });
        });
    });
}
