// R22: goexit ends only the calling thread of work. It runs ALL pending defers of every frame of
// that thread (LIFO, innermost frame first). It is not a panic: recover returns an empty value in
// those defers and does not stop it. Code after goexit (and after the calls that led to it) never
// runs.
#include <thread>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

void g() {
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "g defer 1");
        f.defer([] { fmt::Println("g defer 2: recover() =", godefer::recover()); });
        godefer::goexit();
        fmt::Println("g: unreachable");
    });
}

void f_() {  // Go's f
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "f defer");
        g();
        fmt::Println("f: unreachable");
    });
}

int main() {
    return godefer::main([] {
        std::thread t = godefer::go([] {
            godefer::run([](godefer::frame& f) {
                // defer wg.Done(): main joins the thread instead.
                f.defer(fmt::Println, "goroutine top defer");
                f_();
                fmt::Println("goroutine: unreachable");
            });
        });
        t.join();  // wg.Wait()
        fmt::Println("main continues normally");
    });
}
