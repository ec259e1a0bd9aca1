// 11 — the program of the FetchContent consumer project (examples/fetchcontent/CMakeLists.txt).
//
//   Go:  func main() {
//            defer fmt.Println("deferred: runs last")
//            defer func() { fmt.Println("recovered:", recover()) }()
//            panic("boom")
//        }
#include <iostream>

#include <godefer/godefer.hpp>

int main() {
    godefer::scope_exit bye{[] { std::cout << "scope_exit: main's block ends\n"; }};
    return godefer::main([](godefer::frame& f) {
        f.defer([] { std::cout << "deferred: runs last\n"; });
        f.defer([] { std::cout << "recovered: " << godefer::recover() << '\n'; });
        std::cout << "hello from a FetchContent consumer\n";
        godefer::panic("boom");
    });
}
