// runtime_crash.cpp: C++ translation of the in-process defer/recover/Goexit test of Go's
// src/runtime/crash_test.go (TestGoexitDefer; the Go program is go/runtime_crash.go). The tests
// of crash_test.go that run testprog are in testprog.cpp.
#include <future>
#include <thread>

#include <godefer/go.hpp>

#include "upstream.hpp"

using upstream::T;

void TestGoexitDefer(T* t) {
    std::promise<void> c;  // c := make(chan struct{})
    std::future<void> received = c.get_future();
    std::thread g = godefer::go([t, &c] {
        godefer::run([&](godefer::frame& f) {
            f.defer([t, &c] {
                auto r = godefer::recover();
                if (r) {
                    t->Errorf("non-nil recover during Goexit");
                }
                c.set_value();  // c <- struct{}{}
            });
            godefer::goexit();
        });
    });
    // Note: if the defer fails to run, we will get a deadlock here
    received.get();  // <-c
    g.join();
}

int main(int argc, char** argv) {
    return upstream::dispatch(
        argc, argv,
        {{"TestGoexitDefer", [] { upstream::run_test("TestGoexitDefer", TestGoexitDefer); }}});
}
