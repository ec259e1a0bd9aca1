// R30b: an int panic value prints as a number.
#include <godefer/go.hpp>

int main() {
    return godefer::main([] { godefer::panic(42); });
}
