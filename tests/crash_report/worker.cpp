// A panic in a thread started by godefer::go: the report names the thread and shows its stack,
// from the panic site down to the worker's function (not std::thread's plumbing).
#include <cstdio>

#include <godefer/godefer.hpp>

void check(int job) {
    if (job == 3)
        godefer::panic("job 3 failed");
}

void worker(int jobs) {
    godefer::run([&](godefer::frame& f) {
        f.defer([] { std::puts("worker: cleanup"); });
        for (int j = 1; j <= jobs; ++j) check(j);
    });
}

int main() {
    return godefer::main([] {
        std::thread t = godefer::go(worker, 5);
        t.join();
    });
}
