// godefer/detail/call_stack.hpp: the LIFO store of type-erased deferred calls behind godefer::frame.
//
// The first calls live in an inline buffer (kInlineBytes, on the stack with the frame); later ones
// go to heap chunks that double in size up to kMaxChunkBytes. A stored call never moves: records
// are only ever appended after the newest one, and a chunk is freed only once it is empty. Each
// record is a header {thunk, prev} followed by the callable; the thunk invokes the callable and
// then destroys it (also when the call throws).
//
//   detail::call_stack s;
//   s.push<Bound>(args...);   // may throw (allocation, copy): nothing is stored then
//   while (s.run_one()) {}    // newest first; the call is taken off before it runs
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

struct call_header {
    // Invokes the stored callable, then destroys it (also when it throws). Null once taken.
    void (*thunk)(call_header*);
    call_header* prev;  // the call deferred before this one, or null
};

inline constexpr std::size_t kCallAlign = alignof(std::max_align_t);
inline constexpr std::size_t kHeaderBytes =
    (sizeof(call_header) + kCallAlign - 1) / kCallAlign * kCallAlign;
inline constexpr std::size_t kInlineCalls = 4;
inline constexpr std::size_t kInlinePayloadBytes = 32;
inline constexpr std::size_t kInlineBytes = kInlineCalls * (kHeaderBytes + kInlinePayloadBytes);
inline constexpr std::size_t kFirstChunkBytes = 1024;
inline constexpr std::size_t kMaxChunkBytes = std::size_t{1} << 20;

constexpr std::size_t record_bytes(std::size_t payload) noexcept {
    return kHeaderBytes + (payload + kCallAlign - 1) / kCallAlign * kCallAlign;
}

// A heap chunk: its header, then its records.
struct call_chunk {
    call_chunk* prev;             // the chunk (or null: the inline buffer) before this one
    unsigned char* saved_cursor;  // where the previous area's cursor stood when this one began
    unsigned char* saved_limit;
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
    ~call_stack() { release_all(); }

    std::size_t size() const noexcept { return size_; }
    bool pending() const noexcept { return size_ != 0; }

    // Stores T constructed from args as the newest call. Strong guarantee: if allocation or the
    // construction throws, nothing is stored and the exception propagates.
    template <class T, class... A>
    void push(A&&... args) {
        if constexpr (stored_inline_v<T>) {
            constexpr std::size_t need = record_bytes(sizeof(T));
            if (GODEFER_UNLIKELY(static_cast<std::size_t>(limit_ - cursor_) < need)) grow(need);
            unsigned char* at = cursor_;
            ::new (static_cast<void*>(at + kHeaderBytes)) T(std::forward<A>(args)...);
            commit(at, need, &thunk<T>);
        } else {
            push<boxed<T>>(boxed<T>{std::make_unique<T>(std::forward<A>(args)...)});
        }
    }

    // Takes the newest pending call off the stack and runs it. Returns false when none is pending.
    // The callable is destroyed after it returns or throws; an exception propagates to the caller.
    bool run_one() {
        call_header* h = top_;
        while (h != nullptr && h->thunk == nullptr) h = pop_record(h);
        if (h == nullptr) return false;
        auto* t = h->thunk;
        h->thunk = nullptr;
        --size_;
        t(h);
        if (top_ == h) pop_record(h);
        return true;
    }

private:
    template <class T>
    static void thunk(call_header* h) {
        T* p = std::launder(reinterpret_cast<T*>(reinterpret_cast<unsigned char*>(h) + kHeaderBytes));
        struct destroy_after {
            T* p;
            ~destroy_after() { p->~T(); }
        } guard{p};
        (*p)();
    }

    void commit(unsigned char* at, std::size_t need, void (*t)(call_header*)) noexcept {
        auto* h = ::new (static_cast<void*>(at)) call_header{t, top_};
        top_ = h;
        cursor_ = at + need;
        ++size_;
    }

    // Removes the (already taken) record h, which is the newest one; returns the record below it.
    call_header* pop_record(call_header* h) noexcept {
        top_ = h->prev;
        cursor_ = reinterpret_cast<unsigned char*>(h);
        if (chunk_ != nullptr && cursor_ == chunk_->data()) drop_chunk();
        return top_;
    }

    GODEFER_NOINLINE void grow(std::size_t need) {
        std::size_t cap = chunk_ ? chunk_->capacity * 2 : kFirstChunkBytes;
        if (cap > kMaxChunkBytes) cap = kMaxChunkBytes;
        if (cap < need) cap = need;
        void* mem = ::operator new(call_chunk::header_bytes() + cap);
        auto* c = ::new (mem) call_chunk{chunk_, cursor_, limit_, cap};
        chunk_ = c;
        cursor_ = c->data();
        limit_ = cursor_ + cap;
    }

    void drop_chunk() noexcept {
        call_chunk* c = chunk_;
        chunk_ = c->prev;
        cursor_ = c->saved_cursor;
        limit_ = c->saved_limit;
        ::operator delete(static_cast<void*>(c));
    }

    // Frees the chunks. Frames drain every call before they are destroyed, so no callable is
    // left here in practice.
    void release_all() noexcept {
        while (chunk_ != nullptr) drop_chunk();
    }

    alignas(kCallAlign) unsigned char inline_[kInlineBytes];
    unsigned char* cursor_ = inline_;
    unsigned char* limit_ = inline_ + kInlineBytes;
    call_chunk* chunk_ = nullptr;
    call_header* top_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_CALL_STACK_HPP
