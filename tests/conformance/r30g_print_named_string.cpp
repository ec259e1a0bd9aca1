// R30g: a "defined string type": C++ has aliases and derived classes only. A class derived from
// std::string converts to std::string_view, so it prints as a string (Go: main.MyStr("boom")).
#include <string>

#include <godefer/go.hpp>

struct MyStr : std::string {
    using std::string::string;
};

int main() {
    return godefer::main([] { godefer::panic(MyStr("boom")); });
}
