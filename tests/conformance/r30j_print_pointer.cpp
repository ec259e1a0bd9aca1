// R30j: a pointer prints as its address, through operator<< of const void* (Go prints the type
// first: (*main.T) 0xADDR). Addresses are compared as 0xADDR.
#include <godefer/go.hpp>

struct T {
    int A;
};

int main() {
    T t{1};
    return godefer::main([&] { godefer::panic(&t); });  // panic(&T{A: 1})
}
