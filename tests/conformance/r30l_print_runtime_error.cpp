// R30l: an index out of range. C++ analogue: std::vector::at throws std::out_of_range, a foreign
// C++ exception that run treats as a panic; the report prints its what() (libstdc++'s text).
#include <cstddef>
#include <vector>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([] {
        std::vector<int> s{1, 2, 3};
        std::size_t i = 5;
        fmt::Println(s.at(i));
    });
}
