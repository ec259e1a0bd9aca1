// 02 — defer copies the function and its arguments when `defer` runs; a lambda that captures by
// reference reads the state later, when the call runs.
//
//   Go:  x := 1
//        defer show("argument, copied now:", x)             // prints 1
//        defer func() { show("closure, reads x later:", x) }() // prints 3
//        x = 3
//
// frame::defer(fn, args...) decay-copies fn and every argument at the defer call (Go rule R1), as
// std::thread does: pass std::ref / std::cref to pass a reference instead. A member function
// deferred on an object copies the object (Go's value receiver); deferred on a pointer, it reads
// the fields when it runs (Go's pointer receiver).
//
// Lifetime: the calls run after the body's locals are destroyed, so state that a call reads by
// reference must be declared before the frame (here: before godefer::run), as `x` and `c` are.
#include <functional>
#include <iostream>
#include <string>

#include <godefer/godefer.hpp>

namespace {

void show(const std::string& what, int value) {
    std::cout << "  " << what << ' ' << value << '\n';
}

int traced(int value) {
    std::cout << "  (evaluating the argument traced(" << value << ") now)\n";
    return value;
}

void first() {
    std::cout << "  deferred function value: first\n";
}
void second() {
    std::cout << "  deferred function value: second\n";
}

struct counter {
    int n = 0;
    void print(const char* receiver) const {
        std::cout << "  member call on " << receiver << ": n = " << n << '\n';
    }
};

}  // namespace

int main() {
    int x = 1;
    counter c;  // declared before the frame: the calls may refer to it
    c.n = 10;

    std::cout << "body starts, x = " << x << '\n';
    godefer::run([&](godefer::frame& f) {
        f.defer(show, "argument, copied at defer time: x =", x);
        f.defer(show, "argument computed at defer time: traced(x) =", traced(x));
        f.defer([x] { show("lambda capturing by value [x]: x =", x); });
        f.defer([&x] { show("lambda capturing by reference [&x]: x =", x); });
        f.defer([](const int& r) { show("std::cref(x) argument: x =", r); }, std::cref(x));

        void (*fn)() = first;
        f.defer(fn);  // the function value is taken now
        fn = second;
        (void)fn;

        f.defer(&counter::print, c, "a copy of c (value receiver)");
        f.defer(&counter::print, &c, "&c (pointer receiver)");

        x = 3;
        c.n = 20;
        std::cout << "body ends, x = " << x << ", c.n = " << c.n
                  << "; the calls run now, newest first:\n";
    });
    std::cout << "run returned\n";
}
