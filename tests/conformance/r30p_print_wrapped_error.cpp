// R30p: a wrapped error (fmt.Errorf("outer: %w", inner)) prints its what() text.
#include <memory>
#include <stdexcept>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([] {
        godefer::panic(fmt::wrap_error("outer: ", std::make_shared<std::runtime_error>("inner")));
    });
}
