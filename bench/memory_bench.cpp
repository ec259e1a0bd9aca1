// Memory per deferred call: godefer::frame next to a std::vector<std::function<void()>> stack.
//
//   godefer_memory_bench [--out FILE]    writes JSON (and a table on stdout)
//
// Counts heap allocations with a replaced global operator new (this program has nothing else),
// for N pending calls of a small lambda (one captured pointer), and reports the peak of live heap
// bytes, the number of allocations, and the bytes per call: (the object on the stack + the peak
// heap bytes) / N. The layout figures come from the frame's own constants.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include <godefer/frame.hpp>

namespace {
std::size_t g_live = 0;         // live heap bytes
std::size_t g_peak = 0;         // peak of g_live since the last reset
std::size_t g_allocations = 0;  // allocations since the last reset

void reset() {
    g_peak = g_live;
    g_allocations = 0;
}
}  // namespace

// Each block carries its size in a 16-byte prefix, so that operator delete can count it.
void* operator new(std::size_t n) {
    auto* p = static_cast<unsigned char*>(std::malloc(n + 16));
    if (p == nullptr)
        throw std::bad_alloc();
    std::memcpy(p, &n, sizeof n);
    g_live += n;
    if (g_live > g_peak)
        g_peak = g_live;
    ++g_allocations;
    return p + 16;
}
void* operator new[](std::size_t n) {
    return ::operator new(n);
}
void operator delete(void* p) noexcept {
    if (p == nullptr)
        return;
    auto* b = static_cast<unsigned char*>(p) - 16;
    std::size_t n;
    std::memcpy(&n, b, sizeof n);
    g_live -= n;
    std::free(b);
}
void operator delete[](void* p) noexcept {
    ::operator delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
    ::operator delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    ::operator delete(p);
}

namespace {

struct sample {
    std::size_t heap_bytes;
    std::size_t allocations;
};

__attribute__((noinline)) sample frame_calls(long n, long* counter) {
    reset();
    const std::size_t base = g_live;
    sample s{};
    {
        godefer::frame f;
        for (long i = 0; i < n; ++i) f.defer([counter] { ++*counter; });
        s = {g_peak - base, g_allocations};
    }
    return s;
}

__attribute__((noinline)) sample function_stack_calls(long n, long* counter) {
    reset();
    const std::size_t base = g_live;
    sample s{};
    {
        std::vector<std::function<void()>> calls;
        for (long i = 0; i < n; ++i) calls.emplace_back([counter] { ++*counter; });
        s = {g_peak - base, g_allocations};
        while (!calls.empty()) {
            calls.back()();
            calls.pop_back();
        }
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    const char* out_path = nullptr;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out_path = argv[++i];

    long counter = 0;
    auto small = [p = &counter] { ++*p; };
    using record = godefer::detail::record_layout<godefer::detail::bound_call<decltype(small)>>;
    const long sizes[] = {1, 4, 8, 32, 64, 1024, 100000};

    std::string rows;
    std::printf("%10s %14s %8s %10s %14s %8s %10s\n", "calls", "frame heap", "allocs", "B/call",
                "std::function", "allocs", "B/call");
    for (long n : sizes) {
        const sample f = frame_calls(n, &counter);
        const sample v = function_stack_calls(n, &counter);
        const double fb =
            static_cast<double>(sizeof(godefer::frame) + f.heap_bytes) / static_cast<double>(n);
        const double vb =
            static_cast<double>(sizeof(std::vector<std::function<void()>>) + v.heap_bytes) /
            static_cast<double>(n);
        std::printf("%10ld %14zu %8zu %10.1f %14zu %8zu %10.1f\n", n, f.heap_bytes, f.allocations,
                    fb, v.heap_bytes, v.allocations, vb);
        char buf[512];
        std::snprintf(
            buf, sizeof buf,
            "%s    {\"calls\": %ld, \"frame_heap_bytes\": %zu, \"frame_allocations\": %zu, "
            "\"frame_bytes_per_call\": %.2f, \"function_stack_heap_bytes\": %zu, "
            "\"function_stack_allocations\": %zu, \"function_stack_bytes_per_call\": %.2f}",
            rows.empty() ? "" : ",\n", n, f.heap_bytes, f.allocations, fb, v.heap_bytes,
            v.allocations, vb);
        rows += buf;
    }
    if (counter != 2 * (1 + 4 + 8 + 32 + 64 + 1024 + 100000)) {
        std::fprintf(stderr, "calls lost: %ld\n", counter);
        return 1;
    }

    char summary[1024];
    std::snprintf(
        summary, sizeof summary,
        "A small lambda (one captured pointer, %zu bytes) takes %zu bytes in a frame when it is "
        "deferred right after a call of the same type (calls deferred in a loop share one "
        "%zu-byte header), %zu bytes when it starts a record of its own; a std::function takes "
        "%zu bytes, plus the vector's spare capacity. A godefer::frame is %zu bytes on the stack "
        "(an inline buffer of %zu bytes: no heap allocation for the first calls); it then "
        "allocates chunks of 1 KiB doubling up to 1 MiB, so the heap bytes per call approach "
        "the callable's size.",
        sizeof(small), record::stride, godefer::detail::kHeaderBytes,
        record::offset + record::stride, sizeof(std::function<void()>), sizeof(godefer::frame),
        godefer::detail::kInlineBytes);
    std::printf("\n%s\n", summary);
    if (out_path != nullptr) {
        std::FILE* f = std::fopen(out_path, "w");
        if (f == nullptr) {
            std::perror(out_path);
            return 1;
        }
        std::fprintf(f,
                     "{\n  \"summary\": \"%s\",\n  \"callable_bytes\": %zu,\n"
                     "  \"bytes_per_appended_call\": %zu,\n  \"bytes_per_new_record\": %zu,\n"
                     "  \"frame_bytes\": %zu,\n  \"inline_buffer_bytes\": %zu,\n"
                     "  \"std_function_bytes\": %zu,\n  \"rows\": [\n%s\n  ]\n}\n",
                     summary, sizeof(small), record::stride, record::offset + record::stride,
                     sizeof(godefer::frame), godefer::detail::kInlineBytes,
                     sizeof(std::function<void()>), rows.c_str());
        std::fclose(f);
    }
    return 0;
}
