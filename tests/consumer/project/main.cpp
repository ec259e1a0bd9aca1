// A consumer of godefer: the umbrella header, a guard and unique_resource.
#include <godefer/godefer.hpp>

#include <cstdio>

int main() {
    int closed = 0;
    {
        GODEFER_SCOPE_EXIT { std::puts("consumer: guard ran"); };
        auto r = godefer::make_unique_resource_checked(7, -1, [&](int) { ++closed; });
    }
    std::puts(closed == 1 ? "consumer: ok" : "consumer: FAILED");
    return closed == 1 ? 0 : 1;
}
