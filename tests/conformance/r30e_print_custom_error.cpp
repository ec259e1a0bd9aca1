// R30e: a custom error type (a class derived from std::exception): what() is printed.
#include <exception>

#include <godefer/go.hpp>

struct MyErr : std::exception {
    int Code;
    explicit MyErr(int c) : Code(c) {}
    const char* what() const noexcept override { return "myerr code 3"; }  // Error()
};

int main() {
    return godefer::main([] { godefer::panic(MyErr(3)); });
}
