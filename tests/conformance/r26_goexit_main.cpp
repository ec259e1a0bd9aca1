// R26: goexit on godefer::main's thread runs main's defers; then godefer::main prints
// "fatal error: no goroutines (main called godefer::goexit) - deadlock!" and returns 2 at once,
// without waiting for the other threads (Go keeps running them until none is left).
#include <chrono>
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(fmt::Println, "main defer runs");
        godefer::go([] {
            // Go sleeps 200 ms. godefer::main does not wait for this thread, so the sleep is made
            // longer than any process exit takes (ThreadSanitizer alone delays it by 1 s): the
            // line below must never appear; it would if godefer::main waited for the thread.
            std::this_thread::sleep_for(std::chrono::seconds(10));
            fmt::Println("other goroutine still runs after main's Goexit");
        }).detach();
        godefer::goexit();
        fmt::Println("unreachable");
    });
}
