// R23: a deferred call run by goexit panics, and an older one recovers it. The recover works, but
// the goexit is NOT cancelled: the thread still ends after running the rest of its defers; the
// caller never gets control back.
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

void f_() {  // Go's f
    godefer::run([](godefer::frame& f) {
        f.defer([] { fmt::Println("f defer 1: recover() =", godefer::recover()); });
        f.defer([] {
            fmt::Println("f defer 2: panicking during Goexit");
            godefer::panic("hello");
        });
        godefer::goexit();
    });
}

int main() {
    return godefer::main([] {
        std::thread t = godefer::go([] {
            godefer::run([](godefer::frame& f) {
                // defer wg.Done(): main joins the thread instead.
                f.defer(fmt::Println, "goroutine top defer runs");
                f_();
                fmt::Println("after f (never printed)");
            });
        });
        t.join();  // wg.Wait()
        fmt::Println("main continues normally");
    });
}
