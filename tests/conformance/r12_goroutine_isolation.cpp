// R12: each thread of work has its own defer stack and panic state. A thread that recovers its
// own panic does not disturb the others; a panic on one thread is invisible to recover on another.
#include <string>
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

void worker(int id, std::string* out) {
    godefer::run([&](godefer::frame& f) {
        // defer wg.Done(): main joins the thread instead.
        f.defer([&] {
            if (auto r = godefer::recover())
                *out = "worker " + std::to_string(id) + " recovered: " + fmt::v(r);
            else
                *out = "worker " + std::to_string(id) + " finished normally";
        });
        if (id % 2 == 1)
            godefer::panic("odd " + std::to_string(id));
    });
}

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer([] { fmt::Println("main recover() =", godefer::recover()); });
        for (int id = 0; id < 4; id++) {
            std::string out;
            std::thread t = godefer::go(worker, id, &out);
            t.join();  // wg.Wait()
            fmt::Println(out);
        }
        fmt::Println("main end");
    });
}
