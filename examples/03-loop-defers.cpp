// 03 — defers made in a loop accumulate until the function ends; scope them per iteration with a
// nested godefer::run (a function boundary per iteration) or a block-scoped guard.
//
//   Go:  for _, name := range names {
//            f := open(name)
//            defer f.Close()           // NOT closed at the end of the iteration:
//        }                             // every file stays open until the function returns
//
//        for _, name := range names {  // the fix: one function call per iteration
//            func() { f := open(name); defer f.Close(); use(f) }()
//        }
//
// godefer::frame is function-scoped like Go's defer: a call deferred inside a loop or an inner
// block runs when the frame ends, not when the block ends (R3). A C++ guard (scope_exit,
// GODEFER_SCOPE_EXIT, unique_resource) is block-scoped: it runs at the end of each iteration.
#include <iostream>
#include <string>

#include <godefer/godefer.hpp>

namespace {

void open_file(int i) {
    std::cout << "  open  file" << i << '\n';
}
void close_file(int i) {
    std::cout << "  close file" << i << '\n';
}

// The pitfall: every file stays open until the function returns.
void accumulate(int n) {
    godefer::run([&](godefer::frame& f) {
        for (int i = 0; i < n; ++i) {
            open_file(i);
            f.defer(close_file, i);  // i is copied now
        }
        {
            std::cout << "  inner block: defer\n";
            f.defer([] { std::cout << "  inner block's call (runs at function end)\n"; });
        }
        std::cout << "  loop done, " << f.size() << " calls pending\n";
    });
}

// Fix 1: a nested godefer::run per iteration is a function boundary, as Go's func literal.
void per_iteration_run(int n) {
    for (int i = 0; i < n; ++i) {
        godefer::run([&](godefer::frame& f) {
            open_file(i);
            f.defer(close_file, i);
            std::cout << "  use   file" << i << '\n';
        });
    }
    std::cout << "  loop done\n";
}

// Fix 2: a block-scoped guard runs at the end of each iteration.
void per_iteration_guard(int n) {
    for (int i = 0; i < n; ++i) {
        open_file(i);
        godefer::scope_exit close{[i] { close_file(i); }};
        std::cout << "  use   file" << i << '\n';
    }
    std::cout << "  loop done\n";
}

}  // namespace

int main() {
    std::cout << "defer in a loop (the pitfall):\n";
    accumulate(3);
    std::cout << "a nested godefer::run per iteration:\n";
    per_iteration_run(3);
    std::cout << "a godefer::scope_exit per iteration:\n";
    per_iteration_guard(3);
}
