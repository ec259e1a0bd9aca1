// R1: the callable, the object and the arguments of a deferred call are evaluated at the defer
// call; a closure reads the variables it captured when it finally runs.
#include <functional>
#include <string>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

struct T {
    std::string name;
    void ValueRecv() const { fmt::Println("value receiver sees", name); }
    void PtrRecv() const { fmt::Println("pointer receiver sees", name); }
};

void show(const std::string& tag, int v) {
    fmt::Println(tag, v);
}

int arg(int v) {
    fmt::Println("evaluating arg", v);
    return v;
}

int main() {
    // What the deferred calls read when they run lives outside the body (lifetime rule).
    int x = 0;
    T t;
    return godefer::main([&](godefer::frame& f) {
        x = 1;
        f.defer(show, "deferred arg x =", x);              // 1: copied now
        f.defer([&] { fmt::Println("closure x =", x); });  // reads x at run time: 3
        f.defer(show, "deferred arg(x) =", arg(x));        // arg() runs NOW
        std::function<void()> fv = [] { fmt::Println("f = first"); };
        f.defer(fv);  // function value copied now
        fv = [] { fmt::Println("f = second"); };
        t = T{"before"};
        f.defer(&T::ValueRecv, t);  // receiver copied now
        f.defer(&T::PtrRecv, &t);   // &t taken now, fields read later
        t.name = "after";
        x = 3;
        fmt::Println("body end, x =", x);
    });
}
