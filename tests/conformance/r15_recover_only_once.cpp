// R15: recover returns the panic value once; a second recover in the same deferred call returns
// an empty value, and so do recovers in later calls. The value keeps its dynamic type.
#include <cstdio>
#include <memory>
#include <stdexcept>

#include <godefer/go.hpp>

#include "go_fmt.hpp"

const auto ErrSentinel = std::make_shared<const std::runtime_error>("sentinel");

void f_() {  // Go's f
    godefer::run([](godefer::frame& f) {
        f.defer([] { fmt::Println("defer 1: recover() =", godefer::recover()); });
        f.defer([] {
            godefer::panic_value r1 = godefer::recover();
            godefer::panic_value r2 = godefer::recover();
            std::printf("defer 2: first recover() = %s (%s), second = %s\n", fmt::v(r1).c_str(),
                        fmt::T(r1).c_str(), fmt::v(r2).c_str());
        });
        godefer::panic(42);
    });
}

void g() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            const std::exception* err = r.get_if<std::exception>();  // err, ok := r.(error)
            fmt::Println("g: recovered error?", err != nullptr,
                         "errors.Is sentinel:", errors::Is(err, ErrSentinel.get()));
        });
        godefer::panic(fmt::wrap_error("ctx: ", ErrSentinel));  // fmt.Errorf("ctx: %w", ...)
    });
}

int main() {
    return godefer::main([] {
        f_();
        g();
        fmt::Println("main end");
    });
}
