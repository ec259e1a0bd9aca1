// Attack: godefer used from destructors that run after godefer's own per-thread teardown — a
// thread_local object constructed before godefer's state (so destroyed after it) and a static
// object destroyed at exit. Each destructor runs a frame, panics and recovers, and lets a
// foreign exception that aborted a panic leave a run frame (the hand-off path). Under ASan this
// was a heap use-after-free; the program must print every line and exit 0, leak-free.
#include <cstdio>
#include <stdexcept>
#include <thread>

#include <godefer/go.hpp>
#include <godefer/run.hpp>

namespace {

void use_godefer(const char* who) {
    int calls = 0;
    std::string seen;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { seen = godefer::recover().message(); });
        f.defer([&] { ++calls; });
        godefer::panic(std::string(who));
    });
    try {
        godefer::run([](godefer::frame& f) {
            f.defer([] { throw std::runtime_error("foreign"); });
            godefer::panic("aborted");
        });
    } catch (const std::runtime_error&) {
        ++calls;
    }
    std::printf("%s: calls=%d recovered=%s\n", who, calls, seen.c_str());
    std::fflush(stdout);
}

struct user_of_godefer {
    const char* who;
    ~user_of_godefer() { use_godefer(who); }
};

void worker() {
    // Constructed before godefer's state on this thread: destroyed after it.
    thread_local user_of_godefer early{"thread_local destructor"};
    (void)early;
    use_godefer("worker body");
}

user_of_godefer at_exit{"static destructor"};

}  // namespace

int main() {
    std::thread(worker).join();
    godefer::go(worker).join();
    thread_local user_of_godefer main_early{"main thread_local destructor"};
    (void)main_early;
    use_godefer("main body");
    return 0;
}
