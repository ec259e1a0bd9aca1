// godefer::group (SPEC section 6, last row): the cost of a group, next to what it replaces.
//
//   BM_group_start_wait/n     a group starts n members that do nothing, then wait()
//   BM_threads_join/n         n std::threads that do nothing, joined by hand
//   BM_group_panic_to_wait    a member panics; wait() rethrows it into a run frame that recovers
//                             it (stack capture off)
//   BM_go_panic_recovered     the same panic in a godefer::go thread, recovered there; joined
//
// The last two pay for one thread each: their difference is what a panic costs to travel from
// a member to wait() (recording the failure, the stop request, the rethrow and its entry).
// Times are the CPU time of every thread of the process (MeasureProcessCPUTime): starting
// threads on a busy machine makes wall-clock times swing by a factor of 3.
#include <benchmark/benchmark.h>
#include <cstdint>
#include <thread>
#include <vector>

#include <godefer/godefer.hpp>
#include <godefer/group.hpp>

#include "bodies.hpp"

namespace {

void BM_group_start_wait(benchmark::State& state) {
    const auto n = state.range(0);
    for (auto _ : state) {
        godefer::group g;
        for (std::int64_t i = 0; i < n; ++i) g.go([] {});
        g.wait();
    }
    state.SetItemsProcessed(state.iterations() * n);
}

void BM_threads_join(benchmark::State& state) {
    const auto n = state.range(0);
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(n));
    for (auto _ : state) {
        for (std::int64_t i = 0; i < n; ++i) threads.emplace_back([] {});
        for (std::thread& t : threads) t.join();
        threads.clear();
    }
    state.SetItemsProcessed(state.iterations() * n);
}

BENCHMARK(BM_group_start_wait)->Arg(1)->Arg(8)->Arg(64)->MeasureProcessCPUTime();
BENCHMARK(BM_threads_join)->Arg(1)->Arg(8)->Arg(64)->MeasureProcessCPUTime();

void BM_group_panic_to_wait(benchmark::State& state) {
    bench_capture_setting c{false};
    std::int64_t recovered = 0;
    for (auto _ : state) {
        godefer::run([&](godefer::frame& f) {
            f.defer([&] {
                if (godefer::recover())
                    ++recovered;
            });
            godefer::group g;
            g.go([] { godefer::panic("boom"); });
            g.wait();
        });
    }
    if (recovered != static_cast<std::int64_t>(state.iterations()))
        state.SkipWithError("not recovered");
}

void BM_go_panic_recovered(benchmark::State& state) {
    bench_capture_setting c{false};
    std::int64_t recovered = 0;
    for (auto _ : state) {
        std::thread t = godefer::go([&] {
            godefer::run([&](godefer::frame& f) {
                f.defer([&] {
                    if (godefer::recover())
                        ++recovered;
                });
                godefer::panic("boom");
            });
        });
        t.join();
    }
    if (recovered != static_cast<std::int64_t>(state.iterations()))
        state.SkipWithError("not recovered");
}

BENCHMARK(BM_group_panic_to_wait)->MeasureProcessCPUTime();
BENCHMARK(BM_go_panic_recovered)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
