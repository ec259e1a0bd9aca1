// godefer::main's body returns void or int.
// expect-error: godefer::main: the body must return void or int; return an exit status as int\.
#include <string>

#include <godefer/go.hpp>

int main() {
    return godefer::main([] { return std::string("done"); });
}
