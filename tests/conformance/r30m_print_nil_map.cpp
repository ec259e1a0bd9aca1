// R30m: writing to a nil map. C++ has no nil map; the closest checked access is std::map::at on a
// missing key, which throws std::out_of_range (a foreign exception: a panic).
#include <map>
#include <string>

#include <godefer/go.hpp>

int main() {
    return godefer::main([] {
        std::map<std::string, int> m;
        m.at("a") = 1;
    });
}
