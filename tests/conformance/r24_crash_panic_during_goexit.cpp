// R24: a deferred call run by goexit panics and nobody recovers: the process crashes like on any
// unrecovered panic (exit 2, "panic: during goexit"). The remaining defers run first.
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([] {
        std::thread t = godefer::go([] {
            godefer::run([](godefer::frame& f) {
                f.defer(fmt::Println, "goroutine top defer runs");
                f.defer([] {
                    fmt::Println("defer panics during Goexit");
                    godefer::panic("during goexit");
                });
                godefer::goexit();
            });
        });
        t.join();  // <-done: never returns, the thread's panic ends the process
    });
}
