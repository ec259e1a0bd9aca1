// The guards with exceptions disabled (-fno-exceptions): they compile and behave.
// A plain program (no GoogleTest): it returns 0 when every check holds.
#include <cstdio>
#include <string>

#include "godefer/scope.hpp"

#if GODEFER_HAS_EXCEPTIONS
#error "this file must be compiled with -fno-exceptions"
#endif

namespace {

int failures = 0;

void check(bool ok, const char* what) {
    if (!ok) {
        std::printf("FAILED: %s\n", what);
        ++failures;
    }
}

}  // namespace

int main() {
    std::string log;
    {
        godefer::scope_exit a{[&] { log += "exit "; }};
        godefer::scope_fail b{[&] { log += "fail "; }};
        godefer::scope_success c{[&] { log += "success "; }};
        GODEFER_SCOPE_EXIT {
            log += "macro ";
        };
        godefer::scope_exit d{std::move(a)};
        godefer::scope_exit e{[&] { log += "released "; }};
        e.release();
    }
    check(log == "exit macro success ", "guards run on a normal exit");

    int deleted = 0;
    {
        auto r = godefer::make_unique_resource_checked(3, -1, [&](int) { ++deleted; });
        auto s = godefer::make_unique_resource_checked(-1, -1, [&](int) { ++deleted; });
        auto t = std::move(r);
    }
    check(deleted == 1, "unique_resource deletes once");

    std::printf("%s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
