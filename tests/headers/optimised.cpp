// Compiled (not linked) at -O2 and -O3 with the project's warning flags and -Werror: the warnings
// that GCC's optimiser issues only once code is inlined (-Wrestrict, -Warray-bounds,
// -Wstringop-overflow, -Wmaybe-uninitialized, ...) must not fire in code a user's Release build
// instantiates: a run frame that recovers, a frame's drain, a group whose destructor prints the
// report of a failure, godefer::main's crash report.
#include <cstdio>
#include <string>
#include <vector>

#include <godefer/godefer.hpp>
#include <godefer/group.hpp>

int recovered_division(int a, int b, std::string& err) {
    return godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            if (auto r = godefer::recover())
                err = r.message() + "\n" + r.report();
        });
        if (b == 0)
            godefer::panic("integer divide by zero");
        return a / b;
    });
}

void closes_in_order(const std::vector<std::string>& paths) {
    godefer::frame f;
    for (const std::string& p : paths)
        if (std::FILE* in = std::fopen(p.c_str(), "rb"))
            f.defer(std::fclose, in);
}

void group_fails_without_wait() {
    godefer::group g;
    g.go([] { godefer::panic(std::string("member failed")); });
}

int whole_program() {
    return godefer::main([](godefer::frame& f) {
        f.defer([] { std::puts("deferred"); });
        group_fails_without_wait();
        std::string err;
        return recovered_division(1, 0, err) + static_cast<int>(err.size());
    });
}
