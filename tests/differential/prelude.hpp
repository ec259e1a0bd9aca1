// prelude.hpp: what the generated C++ programs of the differential test print with.
//
//   gd::Println("s3", x);                         // Go: fmt.Println("s3", x)
//   fr.defer(gd::Println, "d4", x);               // Go: defer fmt.Println("d4", x)
//   gd::Println("r5 recover:", godefer::recover());  // an empty value prints <nil>
//
// Println separates its operands with a space and ends the line, like Go's fmt.Println; a
// recovered value prints its message() (a string as it is, an int as its number, an error's
// text), an empty one <nil>.
#ifndef GODEFER_DIFFERENTIAL_PRELUDE_HPP
#define GODEFER_DIFFERENTIAL_PRELUDE_HPP

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

#include <godefer/godefer.hpp>

namespace gd {

inline std::string v(const char* s) {
    return s;
}
inline std::string v(const std::string& s) {
    return s;
}
inline std::string v(int n) {
    return std::to_string(n);
}
inline std::string v(const godefer::panic_value& r) {
    return r ? r.message() : "<nil>";
}

struct println_fn {
    template <class... A>
    void operator()(const A&... a) const {
        std::string line;
        bool first = true;
        ((line += (first ? "" : " ") + v(a), first = false), ...);
        line += '\n';
        std::cout << line;
    }
};
// A function object, so that `f.defer(gd::Println, args...)` copies args at the defer call.
inline constexpr println_fn Println{};

}  // namespace gd

#endif  // GODEFER_DIFFERENTIAL_PRELUDE_HPP
