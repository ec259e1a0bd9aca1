// R6: deferred calls can read and modify NAMED results (variables declared outside the body and
// captured by reference) after the return; changing a local whose value was returned does not
// change the result.
#include <string>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int named() {
    int result = 0;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            fmt::Println("defer sees result =", result);
            result *= 7;
        });
        result = 6;  // return 6
    });
    return result;
}

int unnamed() {
    int x = 0;  // outside the body (lifetime rule)
    return godefer::run([&](godefer::frame& f) {
        x = 6;
        f.defer([&] {
            x *= 7;
            fmt::Println("defer changed local x to", x);
        });
        return x;
    });
}

std::string order() {
    std::string s;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { s += " d1"; });
        f.defer([&] { s += " d2"; });
        s = "ret";  // return "ret"
    });
    return s;
}

error errWrap() {
    error err;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            if (err)
                err = "wrapped: " + *err;
        });
        err = "base";  // return fmt.Errorf("base")
    });
    return err;
}

int main() {
    return godefer::main([] {
        fmt::Println("named() =", named());
        fmt::Println("unnamed() =", unnamed());
        fmt::Println("order() =", order());
        fmt::Println("errWrap() =", errWrap());
    });
}
