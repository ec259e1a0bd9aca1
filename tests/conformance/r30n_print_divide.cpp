// R30n: an integer division by zero. C++ has no run-time check (it is undefined behaviour), so
// the program checks explicitly (go::divide throws std::domain_error with Go's text).
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([] {
        int a = 1, b = 0;
        fmt::Println(go::divide(a, b));
    });
}
