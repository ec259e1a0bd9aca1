// R4: a deferred closure that captures the loop variable by reference sees the variable, not a
// copy: go1.19's one variable per loop (Go >= 1.22 behaves like a by-value capture instead).
#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    int i = 0;  // go1.19: one variable for the whole loop; outside the body (lifetime rule)
    return godefer::main([&](godefer::frame& f) {
        for (i = 0; i < 3; i++) {
            f.defer([&] { fmt::Println("closure sees i =", i); });
        }
        for (int j = 0; j < 3; j++) {
            f.defer([](int v) { fmt::Println("arg copy v =", v); }, j);
        }
        fmt::Println("main body end");
    });
}
