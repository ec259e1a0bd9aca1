// Guards versus hand-written RAII structs, function by function, for bench/callgrind_guards.sh.
//
// Each pair of non-inlined functions does the same work: call an opaque function, then run a
// cleanup when the block ends (on every path). One uses a godefer guard, the other a struct
// written by hand for that one job. The script counts the instructions each function executes
// (inclusive, with valgrind --tool=callgrind) and requires the counts of each pair to be equal.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include <godefer/scope.hpp>

// Opaque calls: through volatile pointers, so the optimiser cannot see what they do (they may
// throw, as far as it knows, so every function needs its unwinding path too).
static void work_impl() {}
static bool decide_impl() {
    return false;
}
static void release_impl(int) {}
void (*volatile work)() = &work_impl;
bool (*volatile decide)() = &decide_impl;
void (*volatile release_fd)(int) = &release_impl;

#define BENCH_FN extern "C" __attribute__((noinline))

// --- scope_exit
// -----------------------------------------------------------------------------------
struct hand_exit {
    int* counter;
    ~hand_exit() { ++*counter; }
};
BENCH_FN void exit_hand(int* counter) {
    hand_exit h{counter};
    work();
}
BENCH_FN void exit_guard(int* counter) {
    godefer::scope_exit g{[counter] { ++*counter; }};
    work();
}
BENCH_FN void exit_macro(int* counter) {
    GODEFER_SCOPE_EXIT {
        ++*counter;
    };
    work();
}

// --- scope_exit that may be released
// ----------------------------------------------------------------
struct hand_exit_flag {
    int* counter;
    bool active = true;
    ~hand_exit_flag() {
        if (active)
            ++*counter;
    }
};
BENCH_FN void release_hand(int* counter) {
    hand_exit_flag h{counter};
    if (decide())
        h.active = false;
    work();
}
BENCH_FN void release_guard(int* counter) {
    godefer::scope_exit g{[counter] { ++*counter; }};
    if (decide())
        g.release();
    work();
}

// --- scope_fail / scope_success -----------------------------------------------------------------
struct hand_fail {
    int* counter;
    int uncaught = std::uncaught_exceptions();
    ~hand_fail() {
        if (std::uncaught_exceptions() > uncaught)
            ++*counter;
    }
};
BENCH_FN void fail_hand(int* counter) {
    hand_fail h{counter};
    work();
}
BENCH_FN void fail_guard(int* counter) {
    godefer::scope_fail g{[counter] { ++*counter; }};
    work();
}

struct hand_success {
    int* counter;
    int uncaught = std::uncaught_exceptions();
    ~hand_success() {
        if (std::uncaught_exceptions() <= uncaught)
            ++*counter;
    }
};
BENCH_FN void success_hand(int* counter) {
    hand_success h{counter};
    work();
}
BENCH_FN void success_guard(int* counter) {
    godefer::scope_success g{[counter] { ++*counter; }};
    work();
}

// --- unique_resource
// ------------------------------------------------------------------------------
struct fd_closer {
    void operator()(int fd) const noexcept { release_fd(fd); }
};
struct hand_fd {
    int fd;
    ~hand_fd() { fd_closer{}(fd); }
};
BENCH_FN void resource_hand(int fd) {
    hand_fd h{fd};
    work();
}
BENCH_FN void resource_guard(int fd) {
    godefer::unique_resource<int, fd_closer> r{fd, fd_closer{}};
    work();
}

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 1000;
    int counter = 0;
    for (int i = 0; i < n; ++i) {
        exit_hand(&counter);
        exit_guard(&counter);
        exit_macro(&counter);
        release_hand(&counter);
        release_guard(&counter);
        fail_hand(&counter);
        fail_guard(&counter);
        success_hand(&counter);
        success_guard(&counter);
        resource_hand(i);
        resource_guard(i);
    }
    std::printf("%d\n", counter);
    return counter == 7 * n ? 0 : 1;
}
