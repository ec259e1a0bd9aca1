// R11: an unrecovered panic on ANY thread of work ends the whole process with exit status 2. The
// panicking thread's own defers run first; the main thread's defers (and its recover) do not.
#include <chrono>
#include <future>
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer(fmt::Println, "main defer (never printed)");
        f.defer([] { fmt::Println("main recover:", godefer::recover()); });
        std::promise<void> started;
        std::future<void> is_started = started.get_future();
        godefer::go([&started] {
            godefer::run([&](godefer::frame& w) {
                w.defer(fmt::Println, "worker defer runs");
                started.set_value();  // close(started)
                godefer::panic("worker boom");
            });
        }).detach();
        is_started.wait();
        std::this_thread::sleep_for(std::chrono::seconds(2));
        fmt::Println("main still alive (never printed)");
    });
}
