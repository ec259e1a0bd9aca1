// R25: goexit called by a deferred call while the thread panics cancels the panic: the remaining
// defers run (recover returns an empty value in them: the goexit is what unwinds now), the thread
// ends, and the process does NOT crash.
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([] {
        std::thread t = godefer::go([] {
            godefer::run([](godefer::frame& f) {
                // defer wg.Done(): main joins the thread instead.
                f.defer(fmt::Println, "top defer runs");
                f.defer(
                    [] { fmt::Println("recover() after Goexit started =", godefer::recover()); });
                f.defer([] {
                    fmt::Println("deferred Goexit while panicking");
                    godefer::goexit();
                });
                f.defer(fmt::Println, "defer registered last runs first");
                godefer::panic("hello");
            });
        });
        t.join();  // wg.Wait()
        fmt::Println("main: process survived");
    });
}
