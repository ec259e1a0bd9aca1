// R30f: a value with operator<< (Go's fmt.Stringer) prints what operator<< writes.
#include <ostream>

#include <godefer/go.hpp>

struct S {};
std::ostream& operator<<(std::ostream& os, const S&) {
    return os << "i am a stringer";
}  // String()

int main() {
    return godefer::main([] { godefer::panic(S{}); });
}
