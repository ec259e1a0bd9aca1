// 08 — panics are per thread: recover() on another thread returns an empty value and stops
// nothing, even on a thread started by the deferred call itself; each thread recovers its own.
//
//   Go:  defer func() {
//            go func() { fmt.Println(recover()) }()   // <nil>: another goroutine
//        }()
//        panic("boom")                                // not stopped: the program crashes
//
// In Go the panic above goes on and kills the process (R10). Here the panicking thread's own
// deferred call recovers it after the helper thread has found nothing. The other direction holds
// too: the main thread cannot recover a worker's panic; a worker must recover its own (R12), and
// an unrecovered panic in a godefer::go worker ends the whole process with exit status 2 (R11).
//
// The threads are joined before main prints what they saw, so the output is deterministic.
#include <array>
#include <iostream>
#include <string>
#include <thread>

#include <godefer/godefer.hpp>

namespace {

std::string text(const godefer::panic_value& r) {
    return r ? r.message() : std::string("<nil>");
}

// A worker that panics and recovers on its own thread; it reports what its recover() returned.
void worker(int id, std::string& seen) {
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { seen = text(godefer::recover()); });
        if (id % 2 == 1)
            godefer::panic("odd worker " + std::to_string(id));
    });
}

}  // namespace

int main() {
    return godefer::main([] {
        std::cout << "1. a recover() on another thread while this one panics\n";
        godefer::run([](godefer::frame& f) {
            f.defer([] {
                std::cout << "   this thread, after the helper: recover() = "
                          << text(godefer::recover()) << '\n';
            });
            f.defer([] {
                std::string helper_saw;
                std::thread t = godefer::go([&] { helper_saw = text(godefer::recover()); });
                t.join();
                std::cout << "   helper thread started by a deferred call: recover() = "
                          << helper_saw << '\n';
            });
            godefer::panic("boom");
        });
        std::cout << "   the panic was recovered on its own thread\n";

        std::cout << "2. four workers at once, each recovering its own panic\n";
        std::array<std::string, 4> seen;
        std::array<std::thread, 4> threads;
        for (std::size_t i = 0; i < threads.size(); ++i)
            threads[i] = godefer::go(worker, static_cast<int>(i), std::ref(seen[i]));
        for (auto& t : threads) t.join();
        for (std::size_t i = 0; i < seen.size(); ++i)
            std::cout << "   worker " << i << ": recover() = " << seen[i] << '\n';

        std::cout << "3. main is not panicking: recover() = " << text(godefer::recover()) << '\n';
    });
}
