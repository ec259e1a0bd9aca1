// R31: panic(nullptr). godefer follows Go >= 1.21: the value is godefer::nil_panic_error ("panic
// called with nil argument"), so recover() is never empty while panicking (go1.19 returned nil
// and the `if r != nil` idiom swallowed the panic).
#include <cstdio>
#include <string>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

std::string f_() {  // Go's f() (status string)
    std::string status;
    godefer::run([&](godefer::frame& f) {
        status = "initial";
        f.defer([&] {
            godefer::panic_value r = godefer::recover();
            std::printf("recover() = %s (%s), r == nil: %s\n", fmt::v(r).c_str(), fmt::T(r).c_str(),
                        fmt::v(!r).c_str());
            if (r)
                status = "recovered non-nil";
        });
        godefer::panic(nullptr);
    });
    return status;
}

int main() {
    return godefer::main([] {
        fmt::Println("f() returned normally, status =", f_());
        fmt::Println("main end");
    });
}
