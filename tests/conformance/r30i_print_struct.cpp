// R30i: a struct without operator<< prints its demangled type name (Go: (main.T) 0xADDR).
#include <godefer/go.hpp>

struct T {
    int A;
};

int main() {
    return godefer::main([] { godefer::panic(T{1}); });
}
