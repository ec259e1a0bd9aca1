// Attack: a build with -fno-rtti (it did not compile: typeid). Panics with a class value, a
// foreign exception, an int, goexit and the report through godefer::main must all work, with
// type names taken from the exception runtime.
#include <cstdio>
#include <stdexcept>
#include <string>

#include <godefer/godefer.hpp>

struct custom {
    int x = 3;
};

int main() {
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            std::printf(
                "class value: %s, get_if<custom> %s\n", r.message().c_str(),
                r.get_if<custom>() != nullptr && r.get_if<custom>()->x == 3 ? "found" : "missing");
        });
        godefer::panic(custom{});
    });
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            std::printf("foreign: %s, as std::exception %s, as custom %s\n", r.message().c_str(),
                        r.get_if<std::exception>() != nullptr ? "found" : "missing",
                        r.get_if<custom>() == nullptr ? "absent" : "WRONG");
        });
        throw std::out_of_range("oops");
    });
    godefer::run([](godefer::frame& f) {
        f.defer([] {
            godefer::panic_value r = godefer::recover();
            const int* v = r.get_if<int>();
            std::printf("int: %s %d, as long %s\n", r.message().c_str(), v ? *v : -1,
                        r.get_if<long>() == nullptr ? "absent" : "WRONG");
        });
        godefer::panic(42);
    });
    try {
        godefer::run([] { godefer::goexit(); });
    } catch (const godefer::goexit_signal&) {
        std::puts("goexit passes");
    }
    std::fflush(stdout);
    return godefer::main([] { godefer::panic(custom{}); });
}
