// R30h: a "defined int type": the closest C++ type is a scoped enum, which prints as its number
// (Go: main.MyInt(7)).
#include <godefer/go.hpp>

enum class MyInt : int {};

int main() {
    return godefer::main([] { godefer::panic(MyInt{7}); });
}
