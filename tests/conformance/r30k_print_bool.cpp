// R30k: a bool panic value prints as true/false.
#include <godefer/go.hpp>

int main() {
    return godefer::main([] { godefer::panic(true); });
}
