// godefer/detail/call_stack.hpp: the LIFO store of type-erased deferred calls behind godefer::frame.
//
// The first calls live in an inline buffer (kInlineBytes, on the stack with the frame); later ones
// go to heap chunks that double in size up to kMaxChunkBytes. A stored call never moves: records
// are only ever appended after the newest one. Each record is a header {thunk, prev} followed by
// the callable (8-byte granularity: a lambda holding one pointer takes 24 bytes); the thunk invokes
// the callable and then destroys it (also when the call throws).
//
// Taking a call off the stack only unlinks it (top_ = prev): the space of the records stays in use
// until the stack is empty, and then the heap chunks are freed at once. So a call pushed while another one runs (a deferred call that
// defers) never lands on a record in use, and the drain loop is a few register moves per call.
//
//   detail::call_stack s;
//   s.push<Bound>(args...);   // may throw (allocation, copy): nothing is stored then
//   s.run_all();              // newest first, until empty; a call is taken off before it runs
//   while (s.run_one()) {}    // the same, one call at a time
#ifndef GODEFER_DETAIL_CALL_STACK_HPP
#define GODEFER_DETAIL_CALL_STACK_HPP

#include <godefer/detail/config.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace godefer::detail {

class call_stack;

struct call_header {
    // Takes the call off the stack, invokes the stored callable, then destroys it (also when it
    // throws). With `batch`, goes on with the older calls as long as they are of the same type
    // (calls deferred in a loop): one indirect call for the whole run of them.
    void (*thunk)(call_stack* stack, call_header* self, bool batch);
    call_header* prev;  // the call deferred before this one, or null
};

// Records start on kRecordAlign boundaries; a callable aligned more strictly (up to kCallAlign)
// gets a record aligned for it, one aligned beyond kCallAlign is stored through a pointer.
inline constexpr std::size_t kRecordAlign = alignof(call_header);
inline constexpr std::size_t kCallAlign = alignof(std::max_align_t);
inline constexpr std::size_t kHeaderBytes = sizeof(call_header);
static_assert(kHeaderBytes % kCallAlign == 0, "the callable must follow the header aligned");

constexpr std::size_t record_bytes(std::size_t payload) noexcept {
    return kHeaderBytes + (payload + kRecordAlign - 1) / kRecordAlign * kRecordAlign;
}

// The inline buffer holds at least four calls of up to 32 bytes of callable and arguments (SPEC
// section 5), whatever their alignment: a record of at most 48 bytes, plus at most 8 bytes of
// padding before a 16-aligned one, which only follows a record whose size is an odd multiple of 8
// (at most 40 bytes): two such pairs take 96 bytes each.
inline constexpr std::size_t kInlineCalls = 4;
inline constexpr std::size_t kInlinePayloadBytes = 32;
inline constexpr std::size_t kInlineBytes = kInlineCalls * record_bytes(kInlinePayloadBytes);
inline constexpr std::size_t kFirstChunkBytes = 1024;
inline constexpr std::size_t kMaxChunkBytes = std::size_t{1} << 20;

// A heap chunk: its header, then its records.
struct call_chunk {
    call_chunk* prev;  // the chunk allocated before this one, or null
    std::size_t capacity;
    unsigned char* data() noexcept { return reinterpret_cast<unsigned char*>(this) + header_bytes(); }
    static constexpr std::size_t header_bytes() noexcept {
        return (sizeof(call_chunk) + kCallAlign - 1) / kCallAlign * kCallAlign;
    }
};

// Callables aligned beyond max_align_t are stored through a pointer.
template <class T>
inline constexpr bool stored_inline_v = alignof(T) <= kCallAlign;

template <class T>
struct boxed {
    std::unique_ptr<T> p;
    void operator()() { (*p)(); }
};

class call_stack {
public:
    call_stack() noexcept = default;
    call_stack(const call_stack&) = delete;
    call_stack& operator=(const call_stack&) = delete;
    ~call_stack() { release_storage(); }

    // Frees the heap chunks. Only when no call is pending (they would be lost).
    void release_storage() noexcept {
        if (chunk_ != nullptr) free_chunks();
    }

    // Counted by walking the stack (O(n)): keeping a count would cost every defer and every call
    // a store, and the count is for checks and tests.
    std::size_t size() const noexcept {
        std::size_t n = 0;
        for (const call_header* h = top_; h != nullptr; h = h->prev) ++n;
        return n;
    }
    bool pending() const noexcept { return top_ != nullptr; }

    // Stores T constructed from args as the newest call. Strong guarantee: if allocation or the
    // construction throws, nothing is stored and the exception propagates.
    template <class T, class... A>
    void push(A&&... args) {
        if constexpr (stored_inline_v<T>) {
            constexpr std::size_t need = record_bytes(sizeof(T));
            std::size_t pad = 0;
            if constexpr (alignof(T) > kRecordAlign)
                pad = (alignof(T) - reinterpret_cast<std::uintptr_t>(cursor_) % alignof(T)) %
                      alignof(T);
            unsigned char* at;
            if (GODEFER_LIKELY(static_cast<std::size_t>(limit_ - cursor_) >= need + pad))
                at = cursor_ + pad;
            else
                at = grow(need);
            ::new (static_cast<void*>(at + kHeaderBytes)) T(std::forward<A>(args)...);
            auto* h = ::new (static_cast<void*>(at)) call_header{&call_stack::thunk<T>, top_};
            top_ = h;
            cursor_ = at + need;
        } else {
            push<boxed<T>>(boxed<T>{std::make_unique<T>(std::forward<A>(args)...)});
        }
    }

    // Runs the pending calls newest first, and the calls they push, until none is left; then
    // releases the storage. Each call is taken off before it runs; if one throws, the exception
    // propagates and the calls below it are still pending (run_all or run_one go on with them).
    void run_all() {
        if (call_header* h = top_) {
            // The first call apart: where the frame is drained next to its defer statements
            // (inlined), the compiler knows its thunk and calls it directly, or inlines it.
            h->thunk(this, h, true);
            for (h = top_; h != nullptr; h = top_) h->thunk(this, h, true);
        }
        release();
    }

    // Takes the newest pending call off the stack and runs it. Returns false when none is pending.
    // The callable is destroyed after it returns or throws; an exception propagates to the caller.
    bool run_one() {
        call_header* h = top_;
        if (h == nullptr) return false;
        h->thunk(this, h, false);
        if (top_ == nullptr) release();
        return true;
    }

private:
    // Takes the call h off the stack, runs and destroys its callable; returns the record below.
    template <class T>
    static call_header* run_record(call_stack* s, call_header* h) {
        call_header* const prev = h->prev;
        s->top_ = prev;
        T* p = std::launder(reinterpret_cast<T*>(reinterpret_cast<unsigned char*>(h) + kHeaderBytes));
        if constexpr (std::is_trivially_destructible_v<T>) {
            (*p)();
        } else {
            struct destroy_after {
                T* p;
                ~destroy_after() { p->~T(); }
            } guard{p};
            (*p)();
        }
        return prev;
    }

    // Does the batch go on with prev? Not at a call of another type, nor when the call that just
    // ran deferred more calls (they run first, from run_all's loop).
    template <class T>
    static bool same_kind_next(const call_stack* s, const call_header* prev) noexcept {
        return prev != nullptr && prev->thunk == &thunk<T> && s->top_ == prev;
    }

    template <class T>
    static void thunk(call_stack* s, call_header* h, bool batch) {
        call_header* prev = run_record<T>(s, h);
        if (batch && same_kind_next<T>(s, prev)) run_batch<T>(s, h, prev);
    }

    // The rest of a run of calls of the same type (calls deferred in a loop): no indirect call.
    template <class T>
    GODEFER_NOINLINE static void run_batch(call_stack* s, call_header* h, call_header* prev) {
        do {
            h = next_record(h, prev, record_bytes(sizeof(T)));
            prev = run_record<T>(s, h);
        } while (same_kind_next<T>(s, prev));
    }

    // `prev`, the record below h. Calls deferred one after the other lie next to each other, so
    // it is usually h - bytes: on x86-64 the address is computed that way and only compared with
    // the loaded `prev` (a predicted branch), so that a drain loop does not wait for each load
    // before it can start on the next call. (A compiler told that the two are equal would just
    // use `prev`: hence the asm.)
    static call_header* next_record(call_header* h, call_header* prev, std::size_t bytes) noexcept {
#if GODEFER_HAS_X86_64_ASM
        auto* next = reinterpret_cast<unsigned char*>(h) - bytes;
        __asm__(
            "cmp %[prev], %[next]\n\t"
            "je 1f\n\t"
            "mov %[prev], %[next]\n"
            "1:"
            : [next] "+r"(next)
            : [prev] "r"(prev)
            : "cc");
        return reinterpret_cast<call_header*>(next);
#else
        static_cast<void>(h);
        static_cast<void>(bytes);
        return prev;
#endif
    }

    // A new chunk for a record of `need` bytes; returns where it goes (aligned on kCallAlign).
    GODEFER_NOINLINE unsigned char* grow(std::size_t need) {
        std::size_t cap = chunk_ ? chunk_->capacity * 2 : kFirstChunkBytes;
        if (cap > kMaxChunkBytes) cap = kMaxChunkBytes;
        if (cap < need) cap = need;
        void* mem = ::operator new(call_chunk::header_bytes() + cap);
        chunk_ = ::new (mem) call_chunk{chunk_, cap};
        cursor_ = chunk_->data();
        limit_ = cursor_ + cap;
        return cursor_;
    }

    // Nothing is pending: the heap chunks are freed. (The inline buffer is not rewound: once a
    // frame has drained nothing more is deferred to it, except by the calls of a drain that a
    // throwing call interrupted, and they may as well use the space left.)
    void release() noexcept {
        if (GODEFER_UNLIKELY(chunk_ != nullptr)) {
            free_chunks();
            cursor_ = inline_;
            limit_ = inline_ + kInlineBytes;
        }
    }

    GODEFER_NOINLINE void free_chunks() noexcept {
        while (chunk_ != nullptr) {
            call_chunk* c = chunk_;
            chunk_ = c->prev;
            ::operator delete(static_cast<void*>(c));
        }
    }

    alignas(kCallAlign) unsigned char inline_[kInlineBytes];
    unsigned char* cursor_ = inline_;
    unsigned char* limit_ = inline_ + kInlineBytes;
    call_header* top_ = nullptr;
    call_chunk* chunk_ = nullptr;
};

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_CALL_STACK_HPP
