// The measured functions of the performance targets, shared by the Google Benchmark programs
// (frame_bench.cpp, panic_bench.cpp) and the instruction-count program (callgrind_core.cpp).
//
// Each comparison is a pair of non-inlined extern "C" functions doing the same work: one with
// godefer, one with the hand-written C++ it replaces. Deferred calls and cleanups write through a
// pointer the optimiser cannot see past (bench_escape), so nothing is folded away, and the count
// they leave lets the callers check that every call ran.
#ifndef GODEFER_BENCH_BODIES_HPP
#define GODEFER_BENCH_BODIES_HPP

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include <godefer/frame.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

#define BENCH_FN extern "C" __attribute__((noinline))

// Makes the optimiser assume that *p is read and that any memory may have changed.
template <class T>
inline void bench_escape(const T* p) {
    asm volatile("" : : "g"(p) : "memory");
}

// Sets the stack-trace capture for one benchmark, restores it after.
struct bench_capture_setting {
    bool previous;
    explicit bench_capture_setting(bool on) : previous(godefer::set_stacktrace_capture(on)) {}
    ~bench_capture_setting() { godefer::set_stacktrace_capture(previous); }
    bench_capture_setting(const bench_capture_setting&) = delete;
    bench_capture_setting& operator=(const bench_capture_setting&) = delete;
};

// --- frame.defer + drain versus a std::function stack
// -----------------------------------------------

// The hand-written alternative: std::function calls in a vector, run newest first when the owner
// is destroyed (on every path, like a local frame).
struct bench_function_stack {
    std::vector<std::function<void()>> calls;
    bench_function_stack() = default;
    bench_function_stack(const bench_function_stack&) = delete;
    bench_function_stack& operator=(const bench_function_stack&) = delete;
    ~bench_function_stack() {
        while (!calls.empty()) {
            calls.back()();
            calls.pop_back();
        }
    }
};

BENCH_FN void frame_defer(std::int64_t* counter, std::int64_t n) {
    godefer::frame f;
    for (std::int64_t i = 0; i < n; ++i) f.defer([counter] { ++*counter; });
}

BENCH_FN void function_stack_defer(std::int64_t* counter, std::int64_t n) {
    bench_function_stack s;
    for (std::int64_t i = 0; i < n; ++i) s.calls.emplace_back([counter] { ++*counter; });
}

// One defer statement (no loop): the usual shape of a function that defers a cleanup.
BENCH_FN void frame_defer_one(std::int64_t* counter) {
    godefer::frame f;
    f.defer([counter] { ++*counter; });
}

BENCH_FN void function_stack_defer_one(std::int64_t* counter) {
    bench_function_stack s;
    s.calls.emplace_back([counter] { ++*counter; });
}

// A call with arguments, as in f.defer(std::fclose, in): a function pointer and two values.
BENCH_FN void bench_add_one(std::int64_t* counter, std::int64_t v) {
    *counter += v & 1;
}

BENCH_FN void frame_defer_args(std::int64_t* counter, std::int64_t n) {
    godefer::frame f;
    for (std::int64_t i = 0; i < n; ++i) f.defer(&bench_add_one, counter, std::int64_t{1});
}

BENCH_FN void function_stack_defer_args(std::int64_t* counter, std::int64_t n) {
    bench_function_stack s;
    for (std::int64_t i = 0; i < n; ++i)
        s.calls.emplace_back(std::bind(&bench_add_one, counter, std::int64_t{1}));
}

// --- run without a panic versus the same body with a local frame --------------------------------
BENCH_FN std::int64_t local_frame_body(std::int64_t* counter) {
    godefer::frame f;
    f.defer([counter] { ++*counter; });
    return *counter + 1;
}

BENCH_FN std::int64_t run_body(std::int64_t* counter) {
    return godefer::run([counter](godefer::frame& f) {
        f.defer([counter] { ++*counter; });
        return *counter + 1;
    });
}

// A body that does some work of its own, as a function using run does: a call to a small
// non-inlined function (a few ns of arithmetic).
BENCH_FN std::int64_t bench_work(std::int64_t* counter) {
    std::int64_t s = *counter;
    for (int i = 0; i < 16; ++i) s = s * 31 + i;
    bench_escape(&s);
    return s;
}

BENCH_FN std::int64_t local_frame_work(std::int64_t* counter) {
    godefer::frame f;
    f.defer([counter] { ++*counter; });
    return bench_work(counter);
}

BENCH_FN std::int64_t run_work(std::int64_t* counter) {
    return godefer::run([counter](godefer::frame& f) {
        f.defer([counter] { ++*counter; });
        return bench_work(counter);
    });
}

BENCH_FN void local_frame_empty(std::int64_t* counter) {
    godefer::frame f;
    ++*counter;
}

BENCH_FN void run_empty(std::int64_t* counter) {
    godefer::run([counter] { ++*counter; });
}

// --- panic + recover in the same frame versus throw/catch
// -----------------------------------------
BENCH_FN void throw_catch(std::int64_t* counter) {
    try {
        throw std::runtime_error("boom");
    } catch (const std::runtime_error& e) {
        bench_escape(e.what());
        ++*counter;
    }
}

BENCH_FN void panic_recover(std::int64_t* counter) {
    godefer::run([counter](godefer::frame& f) {
        f.defer([counter] {
            if (godefer::panic_value r = godefer::recover())
                ++*counter;
        });
        godefer::panic("boom");
    });
}

// --- through d frames that catch and rethrow
// ------------------------------------------------------
BENCH_FN void rethrow_level(int d) {
    if (d <= 0)
        throw std::runtime_error("boom");
    try {
        rethrow_level(d - 1);
    } catch (...) {
        throw;
    }
}

BENCH_FN void run_level(int d) {
    if (d <= 0)
        godefer::panic("boom");
    godefer::run([d] { run_level(d - 1); });
}

// d = the number of frames that catch and rethrow.
BENCH_FN void rethrow_chain(int d, std::int64_t* counter) {
    try {
        rethrow_level(d);
    } catch (const std::runtime_error& e) {
        bench_escape(e.what());
        ++*counter;
    }
}

BENCH_FN void run_chain(int d, std::int64_t* counter) {
    try {
        run_level(d);
    } catch (const godefer::panic_error& e) {
        bench_escape(&e);
        ++*counter;
    }
}

// --- through d frames that clean up: RAII objects versus local frames
// -----------------------------
struct bench_raii_cleanup {
    std::int64_t* counter;
    ~bench_raii_cleanup() { ++*counter; }
};

BENCH_FN void raii_level(int d, std::int64_t* counter) {
    bench_raii_cleanup r{counter};
    if (d <= 1)
        throw std::runtime_error("boom");
    raii_level(d - 1, counter);
}

BENCH_FN void frame_level(int d, std::int64_t* counter) {
    godefer::frame f;
    f.defer([counter] { ++*counter; });
    if (d <= 1)
        throw std::runtime_error("boom");
    frame_level(d - 1, counter);
}

// d = the number of frames, each with one cleanup; every cleanup and the catch add one.
BENCH_FN void raii_chain(int d, std::int64_t* counter) {
    try {
        raii_level(d, counter);
    } catch (const std::runtime_error& e) {
        bench_escape(e.what());
        ++*counter;
    }
}

BENCH_FN void frame_chain(int d, std::int64_t* counter) {
    try {
        frame_level(d, counter);
    } catch (const std::runtime_error& e) {
        bench_escape(e.what());
        ++*counter;
    }
}

// --- panic + recover d plain (non-inlined) calls below the recovering frame: Go's depth bench ---
BENCH_FN void plain_level(int d) {
    if (d <= 0) {
        if (d == 0)
            godefer::panic("boom");
        return;
    }
    plain_level(d - 1);
    bench_escape(&d);  // not a tail call: the frame stays on the stack
}

BENCH_FN void panic_recover_depth(int d, std::int64_t* counter) {
    godefer::run([d, counter](godefer::frame& f) {
        f.defer([counter] {
            if (godefer::panic_value r = godefer::recover())
                ++*counter;
        });
        plain_level(d);
    });
}

// --- Realistic rows (what a user writes) --------------------------------------------------------
// The bodies of the measures, written as a user would: state captured by reference and by
// value, per-iteration values, a run body that only defers its cleanup, panics through frames that
// each defer one cleanup. Each comparison does the same observable work on both sides.

// (a) One deferred call capturing state (a reference and a value): local frame, std::function
// stack, and the raw RAII guard a user would write by hand for the same cleanup.
BENCH_FN void frame_capture_one(std::int64_t* counter, std::int64_t i) {
    std::int64_t& c = *counter;
    godefer::frame f;
    f.defer([&c, i] { c += i; });
}

BENCH_FN void function_stack_capture_one(std::int64_t* counter, std::int64_t i) {
    std::int64_t& c = *counter;
    bench_function_stack s;
    s.calls.emplace_back([&c, i] { c += i; });
}

struct bench_add_guard {
    std::int64_t& c;
    std::int64_t i;
    ~bench_add_guard() { c += i; }
};

BENCH_FN void raii_capture_one(std::int64_t* counter, std::int64_t i) {
    std::int64_t& c = *counter;
    bench_add_guard g{c, i};  // compiles to c += i: the floor of any deferred cleanup
    (void)g;
}

// (b) A loop deferring a call per iteration with that iteration's value: the calls add
// 0 + 1 + ... + (n - 1).
BENCH_FN void frame_capture_loop(std::int64_t* counter, std::int64_t n) {
    std::int64_t& c = *counter;
    godefer::frame f;
    for (std::int64_t i = 0; i < n; ++i) f.defer([&c, i] { c += i; });
}

BENCH_FN void function_stack_capture_loop(std::int64_t* counter, std::int64_t n) {
    std::int64_t& c = *counter;
    bench_function_stack s;
    for (std::int64_t i = 0; i < n; ++i) s.calls.emplace_back([&c, i] { c += i; });
}

// (c) godefer::run with a body that only defers one call, next to the same body with a local frame.
BENCH_FN void run_one_call(std::int64_t* counter) {
    godefer::run([counter](godefer::frame& f) { f.defer([counter] { ++*counter; }); });
}

BENCH_FN void local_frame_one_call(std::int64_t* counter) {
    godefer::frame f;
    f.defer([counter] { ++*counter; });
}

// The same run body marked GODEFER_INLINE_BODY (a detail row: what the mark buys with GCC).
BENCH_FN void run_one_call_inline_body(std::int64_t* counter) {
    godefer::run([counter](godefer::frame& f)
                     GODEFER_INLINE_BODY { f.defer([counter] { ++*counter; }); });
}

// (d) A panic through d run frames that each defer one cleanup (unrecovered), versus d hand-written
// frames that do the same cleanup in a catch (...) { cleanup; throw; } and on the normal path.
BENCH_FN void run_defer_level(int d, std::int64_t* counter) {
    godefer::run([d, counter](godefer::frame& f) {
        f.defer([counter] { ++*counter; });
        if (d <= 1)
            godefer::panic("boom");
        run_defer_level(d - 1, counter);
    });
}

BENCH_FN void rethrow_cleanup_level(int d, std::int64_t* counter) {
    try {
        if (d <= 1)
            throw std::runtime_error("boom");
        rethrow_cleanup_level(d - 1, counter);
    } catch (...) {
        ++*counter;
        throw;
    }
    ++*counter;
}

// d = the number of frames; every cleanup and the catch add one.
BENCH_FN void run_defer_chain(int d, std::int64_t* counter) {
    try {
        run_defer_level(d, counter);
    } catch (const godefer::panic_error& e) {
        bench_escape(&e);
        ++*counter;
    }
}

BENCH_FN void rethrow_cleanup_chain(int d, std::int64_t* counter) {
    try {
        rethrow_cleanup_level(d, counter);
    } catch (const std::runtime_error& e) {
        bench_escape(e.what());
        ++*counter;
    }
}

#endif  // GODEFER_BENCH_BODIES_HPP
