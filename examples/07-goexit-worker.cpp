// 07 — goexit() in a worker started with godefer::go: it ends the worker after running every
// deferred call on the way, recover() cannot stop it, and the rest of the program goes on.
//
//   Go:  go func() {
//            defer fmt.Println("worker: top-level defer")
//            step()                       // calls runtime.Goexit()
//            fmt.Println("not reached")
//        }()
//        func step() {
//            defer func() { fmt.Println("recover() =", recover()) }()   // <nil>
//            runtime.Goexit()
//        }
//
// goexit() unwinds to the boundary of the thread of work (godefer::go or godefer::main), running
// the calls of every godefer::run frame on the way (R22). recover() returns an empty value while a
// goexit unwinds, and a panic raised *and recovered* during the goexit does not cancel it (R23).
// A goexit called by a deferred call while panicking cancels that panic instead (R25).
// goexit_signal is not a std::exception: a `catch (...)` that sees it must rethrow it.
#include <iostream>
#include <string>
#include <thread>

#include <godefer/godefer.hpp>

namespace {

void say(const std::string& line) {
    std::cout << line << '\n';
}

void step() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            say("    step defer 1: recover() = " + (r ? r.message() : std::string("<nil>")));
        });
        f.defer([] {
            say("    step defer 2: panicking during the goexit");
            godefer::panic("oops");  // recovered by step defer 1: the goexit goes on
        });
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            say("    step defer 3: recover() = " + (r ? r.message() : std::string("<nil>")) +
                " (a goexit is not a panic)");
        });
        say("    step: calling godefer::goexit()");
        godefer::goexit();
    });
    say("    step: not reached");
}

void worker(int id) {
    godefer::run([&](godefer::frame& f) {
        f.defer([id] { say("  worker " + std::to_string(id) + ": top-level defer"); });
        step();
        say("  worker: not reached");
    });
    say("  worker: not reached either");
}

// R25: a deferred call that calls goexit() while the frame panics cancels the panic.
void quitter() {
    godefer::run([](godefer::frame& f) {
        f.defer([] { say("  quitter: top-level defer"); });
        f.defer([] {
            say("  quitter: a deferred call calls goexit() while panicking");
            godefer::goexit();
        });
        say("  quitter: panicking");
        godefer::panic("never reported");
    });
}

}  // namespace

int main() {
    return godefer::main([] {
        say("main: start worker 1");
        std::thread t = godefer::go(worker, 1);
        t.join();
        say("main: worker 1 ended, main goes on");

        say("main: start the quitter");
        std::thread q = godefer::go(quitter);
        q.join();
        say("main: the quitter ended quietly: its panic was cancelled");
    });
}
