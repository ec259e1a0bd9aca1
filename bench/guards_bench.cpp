// Guards versus hand-written RAII structs, normal exit (target: ratio <= 1.05), and the
// peers absl::Cleanup and gsl::finally when they are installed.
//
// Each benchmark enters a block, arms a cleanup, does a tiny piece of opaque work and leaves the
// block normally. BM_*_hand does it with a struct written for the job, BM_*_guard with godefer.
// The instruction-exact comparison is bench/callgrind_guards.sh; this measures time.
#include <benchmark/benchmark.h>
#include <exception>

#include <godefer/scope.hpp>

// Peers, when their headers are installed (bench/CMakeLists.txt looks for them).
#if defined(GODEFER_BENCH_HAVE_ABSL) && __has_include(<absl/cleanup/cleanup.h>)
#include <absl/cleanup/cleanup.h>
#define GODEFER_BENCH_ABSL 1
#endif
#if defined(GODEFER_BENCH_HAVE_GSL) && __has_include(<gsl/util>)
#include <gsl/util>
#define GODEFER_BENCH_GSL 1
#elif defined(GODEFER_BENCH_HAVE_GSL) && __has_include(<gsl/gsl_util>)
#include <gsl/gsl_util>
#define GODEFER_BENCH_GSL 1
#endif

namespace {

struct hand_exit {
    int* counter;
    ~hand_exit() { ++*counter; }
};

struct hand_fail {
    int* counter;
    int uncaught = std::uncaught_exceptions();
    ~hand_fail() {
        if (std::uncaught_exceptions() > uncaught)
            ++*counter;
    }
};

struct hand_success {
    int* counter;
    int uncaught = std::uncaught_exceptions();
    ~hand_success() {
        if (std::uncaught_exceptions() <= uncaught)
            ++*counter;
    }
};

struct closer {
    int* counter;
    void operator()(int fd) const noexcept { *counter += fd; }
};

struct hand_resource {
    int fd;
    closer close;
    ~hand_resource() { close(fd); }
};

void BM_scope_exit_hand(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        hand_exit h{&counter};
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_scope_exit_hand);

void BM_scope_exit_guard(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        godefer::scope_exit g{[&counter] { ++counter; }};
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_scope_exit_guard);

void BM_scope_exit_macro(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        GODEFER_SCOPE_EXIT {
            ++counter;
        };
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_scope_exit_macro);

void BM_scope_fail_hand(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        hand_fail h{&counter};
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_scope_fail_hand);

void BM_scope_fail_guard(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        godefer::scope_fail g{[&counter] { ++counter; }};
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_scope_fail_guard);

void BM_scope_success_hand(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        hand_success h{&counter};
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_scope_success_hand);

void BM_scope_success_guard(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        godefer::scope_success g{[&counter] { ++counter; }};
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_scope_success_guard);

void BM_unique_resource_hand(benchmark::State& state) {
    int counter = 0;
    int fd = 3;
    for (auto _ : state) {
        benchmark::DoNotOptimize(fd);
        hand_resource h{fd, closer{&counter}};
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_unique_resource_hand);

void BM_unique_resource_guard(benchmark::State& state) {
    int counter = 0;
    int fd = 3;
    for (auto _ : state) {
        benchmark::DoNotOptimize(fd);
        godefer::unique_resource<int, closer> r{fd, closer{&counter}};
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_unique_resource_guard);

#ifdef GODEFER_BENCH_ABSL
void BM_absl_cleanup(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        absl::Cleanup c = [&counter] { ++counter; };
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_absl_cleanup);
#endif

#ifdef GODEFER_BENCH_GSL
void BM_gsl_finally(benchmark::State& state) {
    int counter = 0;
    for (auto _ : state) {
        auto c = gsl::finally([&counter] { ++counter; });
        benchmark::DoNotOptimize(counter);
    }
    benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_gsl_finally);
#endif

}  // namespace

BENCHMARK_MAIN();
