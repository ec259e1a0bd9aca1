// A C++ exception thrown by the standard library (vector::at) reaches a run frame unrecovered:
// with godefer::throw_trace linked, the report shows the stack of the throw.
#include <cstdio>
#include <vector>

#include <godefer/godefer.hpp>

int lookup(const std::vector<int>& table, std::size_t i) {
    return table.at(i);
}

int handle(std::size_t i) {
    return godefer::run([&](godefer::frame& f) {
        f.defer([] { std::puts("handle: done"); });
        const std::vector<int> table{1, 2, 3};
        return lookup(table, i);
    });
}

int main() {
    return godefer::main([] { std::printf("%d\n", handle(7)); });
}
