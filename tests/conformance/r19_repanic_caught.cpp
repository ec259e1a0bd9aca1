// R19: re-panic after recover (Go's panic(r): panic_value::repanic) starts a new panic with the
// same value; it unwinds the outer frames and an outer recover receives the same value, with its
// dynamic type.
#include <cstdio>
#include <memory>
#include <ostream>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

struct MyErr {
    int Code;
};
// Go's (*MyErr).Error(): the text a panic with a std::shared_ptr<MyErr> prints.
std::ostream& operator<<(std::ostream& os, const std::shared_ptr<MyErr>& e) {
    return os << "myerr " << e->Code;
}

// %T, printed with Go's name when the dynamic type is the one Go reports.
std::string type_of(const godefer::panic_value& r) {
    return r.get_if<std::shared_ptr<MyErr>>() ? "*main.MyErr" : fmt::T(r);
}

void inner() {
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "inner defer 1 runs after re-panic");
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            std::printf("inner recovered %s (%s); re-panicking\n", fmt::v(r).c_str(),
                        type_of(r).c_str());
            r.repanic();
        });
        godefer::panic(std::make_shared<MyErr>(MyErr{7}));  // panic(&MyErr{7})
    });
}

void middle() {
    godefer::run([](godefer::frame& f) {
        f.defer(fmt::Println, "middle defer runs");
        inner();
        fmt::Println("middle: unreachable");
    });
}

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            const std::shared_ptr<MyErr>* e = r.get_if<std::shared_ptr<MyErr>>();  // r.(*MyErr)
            std::printf("main recovered %s (%s) ok=%s code=%d\n", fmt::v(r).c_str(),
                        type_of(r).c_str(), fmt::v(e != nullptr).c_str(), (*e)->Code);
        });
        middle();
    });
}
