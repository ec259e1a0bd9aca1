// R30c: a floating-point panic value prints in the shortest round-trip form (Go: +1.500000e+000).
#include <godefer/go.hpp>

int main() {
    return godefer::main([] { godefer::panic(1.5); });
}
