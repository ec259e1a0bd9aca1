// Attack: a panic message with NUL bytes in it. The report must carry the whole message, then
// the thread line (the check is in CMakeLists.txt: the stderr must match byte for byte up to the
// thread line).
#include <string>

#include <godefer/go.hpp>
#include <godefer/run.hpp>

int main() {
    return godefer::main([] { godefer::panic(std::string("before\0after", 12)); });
}
