// R36: when godefer::main returns, the process exits (status 0) without running the pending
// defers of the other threads: they are not unwound.
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

int main() {
    return godefer::main([](godefer::frame& f) {
        // The worker keeps its own reference to the promise: it never ends.
        auto ready = std::make_shared<std::promise<void>>();
        std::future<void> is_ready = ready->get_future();
        godefer::go([ready] {
            godefer::run([&](godefer::frame& w) {
                w.defer(fmt::Println, "worker defer (never printed)");
                ready->set_value();                                           // close(ready)
                for (;;) std::this_thread::sleep_for(std::chrono::hours(1));  // select {}
            });
        }).detach();
        is_ready.wait();
        f.defer(fmt::Println, "main defer runs");
        fmt::Println("main returning");
    });
}
