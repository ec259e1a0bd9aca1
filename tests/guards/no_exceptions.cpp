// The guards with exceptions disabled (-fno-exceptions): they compile and behave.
// A plain program (no GoogleTest): it returns 0 when every check holds.
#include <unistd.h>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>

#include <godefer/scope.hpp>

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

    // Conditions: the error-code world's scope_fail and scope_success.
    log.clear();
    {
        std::error_code ec;
        godefer::scope_fail undo{[&] { log += "rollback "; }, godefer::check_error_code(ec)};
        godefer::scope_success commit{[&] { log += "commit "; }, godefer::check_error_code(ec)};
        ec = std::make_error_code(std::errc::io_error);
    }
    check(log == "rollback ", "scope_fail runs when the error code is set");
    log.clear();
    {
        int err = 0;
        godefer::scope_fail undo{[&] { log += "rollback "; }, godefer::check_error_code(err)};
        godefer::scope_success commit{[&] { log += "commit "; }, godefer::check_error_code(err)};
        godefer::scope_exit when{[&] { log += "exit "; }, [&] { return err == 0; }, true};
    }
    check(log == "exit commit ", "scope_success runs when the error code is clear");

    // unique_fd: -1 is never closed; a real descriptor is, once.
    {
        godefer::unique_fd none(-1);
        check(!none, "-1 is not allocated");
        godefer::unique_fd out(::dup(1));
        check(out.allocated(), "a descriptor is allocated");
        godefer::unique_fd moved(std::move(out));
        check(!out && moved, "a move leaves -1 behind");
    }

    std::printf("%s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
