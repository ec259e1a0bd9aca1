// A panic three calls deep, as a user writes it: godefer::main -> load_config (a run frame) -> a
// static parse() that panics. The report must name every frame with its file:line.
#include <cstdio>
#include <string>

#include <godefer/godefer.hpp>

static int parse(const std::string& text) {
    if (text.empty())
        godefer::panic("empty configuration");
    return static_cast<int>(text.size());
}

int load_config(const std::string& text) {
    return godefer::run([&](godefer::frame& f) {
        f.defer([] { std::puts("load_config: closing the file"); });
        return parse(text);
    });
}

int main() {
    return godefer::main([] { std::printf("loaded %d\n", load_config("")); });
}
