// Panics, recovery and unwinding (the performance targets), each next to the hand-written C++ it
// replaces; the bodies are in bodies.hpp.
//
//   BM_throw_catch               try { throw std::runtime_error } catch, in one function
//   BM_panic_recover             run + a deferred recover() + panic("boom"), stack capture off
//   BM_panic_recover_capture     the same with the stack-trace capture on (the default)
//   BM_panic_recover_10_frames[_capture]  the same 10 user calls (not inlined) below the
//                                benchmark loop, capture off and on: what the capture walks
//   BM_rethrow_chain/d           a std::runtime_error through d try/catch(...)/throw; frames
//   BM_run_chain/d               a godefer::panic through d run frames (unrecovered), capture off
//   BM_raii_chain/d              a std::runtime_error through d frames, one RAII object each
//   BM_frame_chain/d             the same with a local godefer::frame and one deferred call each
//   BM_run_defer_chain/d         a godefer::panic through d run frames that each defer one cleanup
//                                (unrecovered), capture off
//   BM_rethrow_cleanup_chain/d   a std::runtime_error through d frames that each do the same
//   cleanup
//                                by hand: catch (...) { cleanup; throw; } and on the normal path
//   BM_panic_recover_depth/d     run + recover(), the panic d plain calls below it (capture off):
//                                what Go's BenchmarkPanicRecover/depth=d measures
#include <benchmark/benchmark.h>
#include <cstdint>

#include "bodies.hpp"

namespace {

template <void (*Body)(std::int64_t*)>
void repeat(benchmark::State& state, bool capture) {
    bench_capture_setting c{capture};
    std::int64_t counter = 0;
    for (auto _ : state) {
        Body(&counter);
        benchmark::ClobberMemory();
    }
    if (counter != static_cast<std::int64_t>(state.iterations()))
        state.SkipWithError("not caught");
}

void BM_throw_catch(benchmark::State& state) {
    repeat<throw_catch>(state, false);
}
void BM_panic_recover(benchmark::State& state) {
    repeat<panic_recover>(state, false);
}
void BM_panic_recover_capture(benchmark::State& state) {
    repeat<panic_recover>(state, true);
}
BENCHMARK(BM_throw_catch);
BENCHMARK(BM_panic_recover);
BENCHMARK(BM_panic_recover_capture);

// A program's panic happens some calls deep: N plain user functions above panic_recover.
template <int N>
__attribute__((noinline)) void nested(std::int64_t* counter) {
    if constexpr (N == 0)
        panic_recover(counter);
    else
        nested<N - 1>(counter);
    benchmark::DoNotOptimize(counter);  // keeps each call a real frame (no tail call)
}
void BM_panic_recover_10_frames(benchmark::State& state) {
    repeat<nested<10>>(state, false);
}
void BM_panic_recover_10_frames_capture(benchmark::State& state) {
    repeat<nested<10>>(state, true);
}
BENCHMARK(BM_panic_recover_10_frames);
BENCHMARK(BM_panic_recover_10_frames_capture);

template <void (*Chain)(int, std::int64_t*)>
void chain(benchmark::State& state, std::int64_t per_iteration) {
    bench_capture_setting c{false};
    const int d = static_cast<int>(state.range(0));
    std::int64_t counter = 0;
    for (auto _ : state) {
        Chain(d, &counter);
        benchmark::ClobberMemory();
    }
    if (counter != per_iteration * static_cast<std::int64_t>(state.iterations()))
        state.SkipWithError("unexpected count");
}

void BM_rethrow_chain(benchmark::State& state) {
    chain<rethrow_chain>(state, 1);
}
void BM_run_chain(benchmark::State& state) {
    chain<run_chain>(state, 1);
}
void BM_raii_chain(benchmark::State& state) {
    chain<raii_chain>(state, state.range(0) + 1);
}
void BM_frame_chain(benchmark::State& state) {
    chain<frame_chain>(state, state.range(0) + 1);
}
void BM_panic_recover_depth(benchmark::State& state) {
    chain<panic_recover_depth>(state, 1);
}
void BM_run_defer_chain(benchmark::State& state) {
    chain<run_defer_chain>(state, state.range(0) + 1);
}
void BM_rethrow_cleanup_chain(benchmark::State& state) {
    chain<rethrow_cleanup_chain>(state, state.range(0) + 1);
}
BENCHMARK(BM_rethrow_chain)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_run_chain)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_raii_chain)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_frame_chain)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_run_defer_chain)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_rethrow_cleanup_chain)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_panic_recover_depth)->Arg(0)->Arg(1)->Arg(10)->Arg(100);

}  // namespace

BENCHMARK_MAIN();
