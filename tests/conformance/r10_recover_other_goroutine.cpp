// R10: recover on another thread (even one started BY the deferred call while the panic is in
// flight) returns an empty value; the panic goes on and crashes the process.
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer([] {
            std::thread t =
                godefer::go([] { fmt::Println("new goroutine: recover() =", godefer::recover()); });
            t.join();  // <-done
            fmt::Println("deferred func returns without recovering");
        });
        godefer::panic("boom");
    });
}
