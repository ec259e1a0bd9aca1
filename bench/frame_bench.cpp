// godefer::frame and godefer::run on the normal path (the performance targets); the bodies are in
// bodies.hpp.
//
//   BM_frame_defer_one         one defer statement (a small lambda), then the drain
//   BM_function_stack_defer_one  the same with a std::vector<std::function<void()>>
//   BM_frame_defer/N           frame.defer of N small calls in a loop, then the drain
//   BM_function_stack_defer/N  the same with a std::vector<std::function<void()>> drained newest
//                              first by a RAII owner: what one writes by hand without godefer
//   BM_*_args/N                the same with a function pointer and two arguments per call
//   BM_run_body / BM_local_frame_body
//                              the same body (defer one call, return a value) in godefer::run and
//                              with a local frame: what run's Go rules cost when nothing panics
//   BM_run_work / BM_local_frame_work
//                              the same with a body that also calls a small non-inlined function
//   BM_run_empty / BM_local_frame_empty
//                              the same with no deferred call
//   BM_frame_capture_one / BM_function_stack_capture_one / BM_raii_capture_one
//                              one deferred call capturing state (f.defer([&c, i] { c += i; })):
//                              local frame, std::function stack, a raw RAII guard
//   BM_frame_capture_loop/N / BM_function_stack_capture_loop/N
//                              a loop deferring one call per iteration with that iteration's value
//   BM_run_one_call / BM_local_frame_one_call
//                              run with a body that only defers one call, and the same with a local
//                              frame
//   BM_run_one_call_inline_body
//                              the same run body marked GODEFER_INLINE_BODY
#include <benchmark/benchmark.h>
#include <cstdint>

#include "bodies.hpp"

namespace {

template <void (*Body)(std::int64_t*, std::int64_t)>
void defer_and_drain(benchmark::State& state) {
    std::int64_t counter = 0;
    const std::int64_t n = state.range(0);
    for (auto _ : state) {
        Body(&counter, n);
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(counter);
    if (counter != n * static_cast<std::int64_t>(state.iterations()))
        state.SkipWithError("calls lost");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n);
}

void BM_frame_defer(benchmark::State& state) {
    defer_and_drain<frame_defer>(state);
}
void BM_function_stack_defer(benchmark::State& state) {
    defer_and_drain<function_stack_defer>(state);
}
void BM_frame_defer_args(benchmark::State& state) {
    defer_and_drain<frame_defer_args>(state);
}
void BM_function_stack_defer_args(benchmark::State& state) {
    defer_and_drain<function_stack_defer_args>(state);
}
BENCHMARK(BM_frame_defer)->Arg(1)->Arg(8)->Arg(64)->Arg(1024);
BENCHMARK(BM_function_stack_defer)->Arg(1)->Arg(8)->Arg(64)->Arg(1024);
BENCHMARK(BM_frame_defer_args)->Arg(1)->Arg(1024);
BENCHMARK(BM_function_stack_defer_args)->Arg(1)->Arg(1024);

// Body(&counter, a...) per iteration; each iteration's drain adds 1 to the counter.
template <auto Body, class... A>
void counted_calls(benchmark::State& state, A... a) {
    std::int64_t counter = 0;
    for (auto _ : state) {
        Body(&counter, a...);
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(counter);
    if (counter != static_cast<std::int64_t>(state.iterations()))
        state.SkipWithError("calls lost");
}
void BM_frame_defer_one(benchmark::State& state) {
    counted_calls<frame_defer_one>(state);
}
void BM_function_stack_defer_one(benchmark::State& state) {
    counted_calls<function_stack_defer_one>(state);
}
BENCHMARK(BM_frame_defer_one);
BENCHMARK(BM_function_stack_defer_one);

template <class Body>
void call_body(benchmark::State& state, Body body) {
    std::int64_t counter = 0;
    for (auto _ : state) {
        body(&counter);
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(counter);
}

void BM_local_frame_body(benchmark::State& state) {
    call_body(state, [](std::int64_t* c) { benchmark::DoNotOptimize(local_frame_body(c)); });
}
void BM_run_body(benchmark::State& state) {
    call_body(state, [](std::int64_t* c) { benchmark::DoNotOptimize(run_body(c)); });
}
void BM_local_frame_work(benchmark::State& state) {
    call_body(state, [](std::int64_t* c) { benchmark::DoNotOptimize(local_frame_work(c)); });
}
void BM_run_work(benchmark::State& state) {
    call_body(state, [](std::int64_t* c) { benchmark::DoNotOptimize(run_work(c)); });
}
void BM_local_frame_empty(benchmark::State& state) {
    call_body(state, local_frame_empty);
}
void BM_run_empty(benchmark::State& state) {
    call_body(state, run_empty);
}
BENCHMARK(BM_local_frame_body);
BENCHMARK(BM_run_body);
BENCHMARK(BM_local_frame_work);
BENCHMARK(BM_run_work);
BENCHMARK(BM_local_frame_empty);
BENCHMARK(BM_run_empty);

// One deferred call capturing state: each call adds i (1 here).
void BM_frame_capture_one(benchmark::State& state) {
    counted_calls<frame_capture_one>(state, std::int64_t{1});
}
void BM_function_stack_capture_one(benchmark::State& state) {
    counted_calls<function_stack_capture_one>(state, std::int64_t{1});
}
void BM_raii_capture_one(benchmark::State& state) {
    counted_calls<raii_capture_one>(state, std::int64_t{1});
}
BENCHMARK(BM_frame_capture_one);
BENCHMARK(BM_function_stack_capture_one);
BENCHMARK(BM_raii_capture_one);

// A loop deferring per-iteration values: each drain adds 0 + 1 + ... + (n - 1).
template <void (*Body)(std::int64_t*, std::int64_t)>
void capture_loop(benchmark::State& state) {
    std::int64_t counter = 0;
    const std::int64_t n = state.range(0);
    for (auto _ : state) {
        Body(&counter, n);
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(counter);
    if (counter != n * (n - 1) / 2 * static_cast<std::int64_t>(state.iterations()))
        state.SkipWithError("calls lost");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n);
}
void BM_frame_capture_loop(benchmark::State& state) {
    capture_loop<frame_capture_loop>(state);
}
void BM_function_stack_capture_loop(benchmark::State& state) {
    capture_loop<function_stack_capture_loop>(state);
}
BENCHMARK(BM_frame_capture_loop)->Arg(1024);
BENCHMARK(BM_function_stack_capture_loop)->Arg(1024);

void BM_run_one_call(benchmark::State& state) {
    counted_calls<run_one_call>(state);
}
void BM_local_frame_one_call(benchmark::State& state) {
    counted_calls<local_frame_one_call>(state);
}
void BM_run_one_call_inline_body(benchmark::State& state) {
    counted_calls<run_one_call_inline_body>(state);
}
BENCHMARK(BM_run_one_call);
BENCHMARK(BM_run_one_call_inline_body);
BENCHMARK(BM_local_frame_one_call);

}  // namespace

BENCHMARK_MAIN();
