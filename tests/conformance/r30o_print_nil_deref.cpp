// R30o: a nil pointer dereference. Dereferencing a null pointer in C++ is undefined behaviour, not
// an exception; the closest checked access is std::optional::value() on an empty optional, which
// throws std::bad_optional_access (a foreign exception: a panic).
#include <optional>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

struct T {
    int A;
};

int main() {
    return godefer::main([] {
        std::optional<T> p;  // var p *T
        fmt::Println(p.value().A);
    });
}
