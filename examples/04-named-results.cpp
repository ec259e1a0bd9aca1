// 04 — named results: a safe_div that turns a panic into an error value.
//
//   Go:  func safeDiv(a, b int) (q int, err error) {
//            defer func() {
//                if r := recover(); r != nil { err = fmt.Errorf("safe_div: %v", r) }
//            }()
//            q = -1
//            return a / b, nil          // b == 0: panics before `return` assigns q and err
//        }
//
// Go's named results are variables the deferred calls can read and change, even after `return`
// (R6), and they keep their last value when a panic is recovered (R13). In C++ they are ordinary
// variables declared outside the body of godefer::run and captured by reference. What run itself
// returns after a recovered panic is the value-initialised result (Go's zero value of an unnamed
// result), unless the body had already returned (R21).
#include <iostream>
#include <stdexcept>
#include <string>

#include <godefer/godefer.hpp>

namespace {

struct div_result {
    int q = 0;
    std::string err;  // empty: no error (Go's nil)
};

// C++ integer division by zero is undefined behaviour, not a panic: check and panic ourselves.
int divide(int a, int b) {
    if (b == 0)
        godefer::panic(std::domain_error("integer divide by zero"));
    return a / b;
}

div_result safe_div(int a, int b) {
    div_result res;  // the named results (q, err): declared before the frame
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            if (auto r = godefer::recover()) {
                std::cout << "  deferred call: recovered \"" << r.message() << "\", q is still "
                          << res.q << '\n';
                res.err = "safe_div: " + r.message();
            } else {
                std::cout << "  deferred call: nothing to recover, q = " << res.q << '\n';
            }
        });
        res.q = -1;
        res.q = divide(a, b);  // panics before the assignment when b == 0
        std::cout << "  body returns q = " << res.q << '\n';
    });
    return res;
}

// An unnamed result: after the recover, run returns int{} — Go's zero value.
int div_or_zero(int a, int b) {
    return godefer::run([&](godefer::frame& f) {
        f.defer([] { (void)godefer::recover(); });
        return divide(a, b);
    });
}

// A deferred call may change a named result after the body returned (R6: Go's example gives 42).
int times_seven() {
    int result = 0;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            std::cout << "  deferred call sees result = " << result << '\n';
            result *= 7;
        });
        result = 6;  // Go: return 6
    });
    return result;
}

// The error-wrapping idiom: one deferred call adds context to whatever error the body sets.
std::string load_config(bool fail) {
    std::string err;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            if (!err.empty())
                err = "load_config: " + err;
        });
        if (fail) {
            err = "file not found";
            return;
        }
    });
    return err;
}

void print(const char* call, const div_result& r) {
    std::cout << call << " = " << r.q << ", " << (r.err.empty() ? "<nil>" : r.err) << '\n';
}

}  // namespace

int main() {
    std::cout << "safe_div(6, 3):\n";
    print("safe_div(6, 3)", safe_div(6, 3));
    std::cout << "safe_div(1, 0):\n";
    print("safe_div(1, 0)", safe_div(1, 0));
    std::cout << "div_or_zero(1, 0) = " << div_or_zero(1, 0) << " (the zero value)\n";
    std::cout << "times_seven():\n";
    int r = times_seven();
    std::cout << "times_seven() = " << r << '\n';
    std::cout << "load_config(true) = " << load_config(true) << '\n';
    std::cout << "load_config(false) = \"" << load_config(false) << "\"\n";
}
