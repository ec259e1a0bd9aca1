// Instruction counts for the comparisons of the performance targets (bench/report.py runs it under
// valgrind --tool=callgrind --toggle-collect=measured_loop; the timings come from the Google
// Benchmark programs). Counts do not depend on the machine's load, so they settle a close ratio.
//
//   godefer_callgrind_core CASE ARG N   runs the body CASE(ARG) N times inside measured_loop,
//                                       after a few warm-up calls outside it
//   godefer_callgrind_core --list       prints the cases
//
// Instructions per call = callgrind's total Ir / N.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bodies.hpp"

namespace {

using counted = void (*)(std::int64_t*, std::int64_t);

// Adapters giving every body the same signature.
void c_frame_defer_one(std::int64_t* c, std::int64_t) {
    frame_defer_one(c);
}
void c_function_stack_defer_one(std::int64_t* c, std::int64_t) {
    function_stack_defer_one(c);
}
void c_frame_defer(std::int64_t* c, std::int64_t n) {
    frame_defer(c, n);
}
void c_function_stack_defer(std::int64_t* c, std::int64_t n) {
    function_stack_defer(c, n);
}
void c_frame_defer_args(std::int64_t* c, std::int64_t n) {
    frame_defer_args(c, n);
}
void c_function_stack_defer_args(std::int64_t* c, std::int64_t n) {
    function_stack_defer_args(c, n);
}
void c_local_frame_body(std::int64_t* c, std::int64_t) {
    bench_escape(c + local_frame_body(c));
}
void c_run_body(std::int64_t* c, std::int64_t) {
    bench_escape(c + run_body(c));
}
void c_local_frame_work(std::int64_t* c, std::int64_t) {
    bench_escape(c + local_frame_work(c) % 2);
}
void c_run_work(std::int64_t* c, std::int64_t) {
    bench_escape(c + run_work(c) % 2);
}
void c_local_frame_empty(std::int64_t* c, std::int64_t) {
    local_frame_empty(c);
}
void c_run_empty(std::int64_t* c, std::int64_t) {
    run_empty(c);
}
void c_throw_catch(std::int64_t* c, std::int64_t) {
    throw_catch(c);
}
void c_panic_recover(std::int64_t* c, std::int64_t) {
    panic_recover(c);
}
void c_rethrow_chain(std::int64_t* c, std::int64_t d) {
    rethrow_chain(static_cast<int>(d), c);
}
void c_run_chain(std::int64_t* c, std::int64_t d) {
    run_chain(static_cast<int>(d), c);
}
void c_raii_chain(std::int64_t* c, std::int64_t d) {
    raii_chain(static_cast<int>(d), c);
}
void c_frame_chain(std::int64_t* c, std::int64_t d) {
    frame_chain(static_cast<int>(d), c);
}
void c_panic_recover_depth(std::int64_t* c, std::int64_t d) {
    panic_recover_depth(static_cast<int>(d), c);
}

void c_frame_capture_one(std::int64_t* c, std::int64_t i) {
    frame_capture_one(c, i);
}
void c_function_stack_capture_one(std::int64_t* c, std::int64_t i) {
    function_stack_capture_one(c, i);
}
void c_raii_capture_one(std::int64_t* c, std::int64_t i) {
    raii_capture_one(c, i);
}
void c_frame_capture_loop(std::int64_t* c, std::int64_t n) {
    frame_capture_loop(c, n);
}
void c_function_stack_capture_loop(std::int64_t* c, std::int64_t n) {
    function_stack_capture_loop(c, n);
}
void c_run_one_call(std::int64_t* c, std::int64_t) {
    run_one_call(c);
}
void c_local_frame_one_call(std::int64_t* c, std::int64_t) {
    local_frame_one_call(c);
}
void c_run_one_call_inline_body(std::int64_t* c, std::int64_t) {
    run_one_call_inline_body(c);
}
void c_run_defer_chain(std::int64_t* c, std::int64_t d) {
    run_defer_chain(static_cast<int>(d), c);
}
void c_rethrow_cleanup_chain(std::int64_t* c, std::int64_t d) {
    rethrow_cleanup_chain(static_cast<int>(d), c);
}

struct case_entry {
    const char* name;
    counted fn;
    bool capture;  // the stack-trace capture setting while it runs
};

const case_entry kCases[] = {
    {"frame_defer_one", c_frame_defer_one, false},
    {"function_stack_defer_one", c_function_stack_defer_one, false},
    {"frame_defer", c_frame_defer, false},
    {"function_stack_defer", c_function_stack_defer, false},
    {"frame_defer_args", c_frame_defer_args, false},
    {"function_stack_defer_args", c_function_stack_defer_args, false},
    {"local_frame_body", c_local_frame_body, false},
    {"run_body", c_run_body, false},
    {"local_frame_work", c_local_frame_work, false},
    {"run_work", c_run_work, false},
    {"local_frame_empty", c_local_frame_empty, false},
    {"run_empty", c_run_empty, false},
    {"throw_catch", c_throw_catch, false},
    {"panic_recover", c_panic_recover, false},
    {"panic_recover_capture", c_panic_recover, true},
    {"rethrow_chain", c_rethrow_chain, false},
    {"run_chain", c_run_chain, false},
    {"raii_chain", c_raii_chain, false},
    {"frame_chain", c_frame_chain, false},
    {"panic_recover_depth", c_panic_recover_depth, false},
    {"frame_capture_one", c_frame_capture_one, false},
    {"function_stack_capture_one", c_function_stack_capture_one, false},
    {"raii_capture_one", c_raii_capture_one, false},
    {"frame_capture_loop", c_frame_capture_loop, false},
    {"function_stack_capture_loop", c_function_stack_capture_loop, false},
    {"run_one_call", c_run_one_call, false},
    {"local_frame_one_call", c_local_frame_one_call, false},
    {"run_one_call_inline_body", c_run_one_call_inline_body, false},
    {"run_defer_chain", c_run_defer_chain, false},
    {"rethrow_cleanup_chain", c_rethrow_cleanup_chain, false},
};

}  // namespace

BENCH_FN void measured_loop(counted fn, std::int64_t* counter, std::int64_t arg, long n) {
    for (long i = 0; i < n; ++i) fn(counter, arg);
}

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
        for (const case_entry& c : kCases) std::printf("%s\n", c.name);
        return 0;
    }
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s CASE ARG N | --list\n", argv[0]);
        return 2;
    }
    for (const case_entry& c : kCases) {
        if (std::strcmp(argv[1], c.name) != 0)
            continue;
        const std::int64_t arg = std::atoll(argv[2]);
        const long n = std::atol(argv[3]);
        bench_capture_setting capture{c.capture};
        std::int64_t counter = 0;
        for (int i = 0; i < 3; ++i)
            c.fn(&counter, arg);  // warm-up: lazy binding, first allocations
        measured_loop(c.fn, &counter, arg, n);
        std::printf("%s %lld %ld %lld\n", c.name, static_cast<long long>(arg), n,
                    static_cast<long long>(counter));
        return 0;
    }
    std::fprintf(stderr, "unknown case %s\n", argv[1]);
    return 2;
}
