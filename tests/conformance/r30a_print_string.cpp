// R30a: a string panic value prints as it is.
#include <godefer/go.hpp>

int main() {
    return godefer::main([] { godefer::panic("boom"); });
}
