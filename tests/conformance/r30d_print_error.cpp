// R30d: an error value (a std::exception) prints its what() text.
#include <stdexcept>

#include <godefer/go.hpp>

int main() {
    return godefer::main([] { godefer::panic(std::runtime_error("boom")); });  // errors.New("boom")
}
