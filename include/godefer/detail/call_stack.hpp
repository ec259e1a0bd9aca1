// godefer/detail/call_stack.hpp: the LIFO store of type-erased deferred calls behind
// godefer::frame.
//
// The first calls live in an inline buffer (kInlineBytes, on the stack with the frame); later ones
// go to heap chunks that double in size up to kMaxChunkBytes. A stored call never moves: records
// are only ever appended after the newest one.
//
// A record is a header {thunk, prev, end} followed by callables of one type, oldest first, each
// on an 8-byte granularity (a lambda holding one pointer takes 8 bytes); `end` is one past the
// newest pending one. A defer of the same type as the newest record, while nothing was stored
// after it, only constructs its callable at the cursor: calls deferred in a loop share one header,
// and the record's `end` is written when something else is stored, or by the thunk before each
// call it makes (until then the cursor is its end: the record is "open"; the drain passes the end
// to the thunk in a register). The thunk knows the type: it takes the newest call of its record
// off (end moves down; the record is unlinked when it is empty),
// invokes the callable, destroys it (also when the call throws), and in a drain goes on with the
// record's older calls without another indirect call.
//
// Taking calls off never frees their space: it stays in use until the stack is empty, and then
// the heap chunks are freed at once. So a call deferred while another one runs (a deferred call
// that defers) never lands on a callable in use: it starts a new record after everything stored.
//
//   detail::call_stack s;
//   s.push<Bound>(args...);   // may throw (allocation, copy): nothing is stored then; false when
//                             // the stack is closed (the caller makes the call at once)
//   s.run_all();              // newest first, until empty; a call is taken off before it runs
//   while (s.run_one()) {}    // the same, one call at a time
#ifndef GODEFER_DETAIL_CALL_STACK_HPP
#define GODEFER_DETAIL_CALL_STACK_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include <godefer/detail/config.hpp>

namespace godefer::detail {

class call_stack;

struct call_header {
    // What the thunk does with its record (see call_stack::thunk).
    enum mode : int { run_one, run_batch, count };
    // `end` is the record's end as the caller knows it (the cursor while the record is open):
    // passed in a register, it is not read back from the header the caller has just written.
    std::size_t (*thunk)(call_stack* stack, call_header* self, unsigned char* end, mode m);
    call_header* prev;   // the record below this one, or null
    unsigned char* end;  // one past the newest pending callable (stale while the record is open)
};

inline constexpr std::size_t kHeaderBytes = sizeof(call_header);
inline constexpr std::size_t kSlotAlign = 8;  // granularity of records and callables
inline constexpr std::size_t kCallAlign = alignof(std::max_align_t);

constexpr std::size_t round_up(std::size_t n, std::size_t a) noexcept {
    return (n + a - 1) / a * a;
}

// Callables aligned beyond max_align_t are stored through a pointer.
template <class T>
inline constexpr bool stored_inline_v = alignof(T) <= kCallAlign;

// The layout of a record of callables of type T: where they start, how far apart they are, and
// the alignment of the record's start.
template <class T>
struct record_layout {
    static constexpr std::size_t align = alignof(T) > kSlotAlign ? alignof(T) : kSlotAlign;
    static constexpr std::size_t offset = round_up(kHeaderBytes, align);
    static constexpr std::size_t stride = round_up(sizeof(T), align);
    static unsigned char* slot(call_header* h, std::size_t i) noexcept {
        return reinterpret_cast<unsigned char*>(h) + offset + i * stride;
    }
};

// The bytes a record of one callable of `payload` bytes takes (alignment 8).
constexpr std::size_t record_bytes(std::size_t payload) noexcept {
    return kHeaderBytes + round_up(payload, kSlotAlign);
}

// The inline buffer holds at least four calls of up to 32 bytes of callable and arguments (the
// documented promise of docs/go.md), whatever their types and alignment: a record of one such call
// takes at most 32 + 32 bytes (a 16-aligned callable starts 32 bytes after its 16-aligned header),
// plus at most 8 bytes of padding before it. Calls of one type deferred in a row take their size
// each (a lambda holding a pointer: 8 bytes), so about 30 such calls fit before the heap is used.
inline constexpr std::size_t kInlineCalls = 4;
inline constexpr std::size_t kInlinePayloadBytes = 32;
inline constexpr std::size_t kInlineBytes = kInlineCalls * (32 + kInlinePayloadBytes + 8);
inline constexpr std::size_t kFirstChunkBytes = 1024;
inline constexpr std::size_t kMaxChunkBytes = std::size_t{1} << 20;

// A heap chunk: its header, then its records.
struct call_chunk {
    call_chunk* prev;  // the chunk allocated before this one, or null
    std::size_t capacity;
    unsigned char* data() noexcept {
        return reinterpret_cast<unsigned char*>(this) + header_bytes();
    }
    static constexpr std::size_t header_bytes() noexcept {
        return round_up(sizeof(call_chunk), kCallAlign);
    }
};

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

    // Frees the heap chunks; the next call is stored in the inline buffer again. Only when no call
    // is pending (they would be lost).
    void release_storage() noexcept { release(); }

    // Closes the stack of a frame being left by an exception, once its calls have run and its
    // storage is freed: a call pushed later (by a destructor that runs while the exception leaves
    // the frame) is made at once, since nothing would run it. Only with no call pending.
    void close() noexcept {
        cursor_ = nullptr;
        limit_ = nullptr;
    }

    // The pending calls, counted over the records (one per run of same-type calls).
    std::size_t size() const noexcept {
        std::size_t n = 0;
        auto* self = const_cast<call_stack*>(this);  // the count mode changes nothing
        for (call_header* h = top_; h != nullptr; h = h->prev)
            n += h->thunk(self, h, end_of(h), call_header::count);
        return n;
    }
    bool pending() const noexcept { return top_ != nullptr; }

    // Stores T constructed from args as the newest call and returns true; returns false, having
    // touched nothing of args, when the stack is closed (see close(): the caller makes the call at
    // once). Strong guarantee: if allocation or the construction throws, nothing is stored and the
    // exception propagates.
    template <class T, class... A>
    [[nodiscard]] GODEFER_DETAIL_ALWAYS_INLINE bool push(A&&... args) {
        if constexpr (stored_inline_v<T>) {
            using L = record_layout<T>;
            // The newest record is open and of the same type: append (no header, no count).
            if (open_ == &call_stack::thunk<T> &&
                GODEFER_DETAIL_LIKELY(static_cast<std::size_t>(limit_ - cursor_) >= L::stride)) {
                ::new (static_cast<void*>(cursor_)) T(std::forward<A>(args)...);
                cursor_ += L::stride;
                return true;
            }
            seal();  // before the cursor moves (to a new chunk)
            constexpr std::size_t need = L::offset + L::stride;
            std::size_t pad = 0;
            if constexpr (L::align > kSlotAlign)
                pad = (L::align - reinterpret_cast<std::uintptr_t>(cursor_) % L::align) % L::align;
            unsigned char* at;
            if (GODEFER_DETAIL_LIKELY(static_cast<std::size_t>(limit_ - cursor_) >= need + pad)) {
                at = cursor_ + pad;
            } else {
                at = grow(need);
                if (GODEFER_DETAIL_UNLIKELY(at == nullptr))  // closed (see close())
                    return false;
            }
            ::new (static_cast<void*>(at + L::offset)) T(std::forward<A>(args)...);
            top_ = ::new (static_cast<void*>(at))
                call_header{&call_stack::thunk<T>, top_, at + L::offset + L::stride};
            cursor_ = at + need;
            open_ = &call_stack::thunk<T>;
            return true;
        } else {
            // Room for the box first: once T is built from args (moved-from now), nothing fails.
            reserve<boxed<T>>();
            if (GODEFER_DETAIL_UNLIKELY(cursor_ == nullptr))  // closed (see close())
                return false;
            return push<boxed<T>>(boxed<T>{std::make_unique<T>(std::forward<A>(args)...)});
        }
    }

    // Makes sure that the next push<T> (T stored inline) allocates nothing. May throw bad_alloc.
    template <class T>
    void reserve() {
        using L = record_layout<T>;
        static_assert(
            L::align <= kSlotAlign,
            "godefer::detail::call_stack: reserve() takes records of boxes aligned to 8 or less; "
            "box over-aligned calls first.");
        if (open_ == &call_stack::thunk<T> &&
            static_cast<std::size_t>(limit_ - cursor_) >= L::stride)
            return;
        constexpr std::size_t need = L::offset + L::stride;
        if (static_cast<std::size_t>(limit_ - cursor_) >= need)
            return;
        seal();
        (void)grow(need);
    }

    // Runs the pending calls newest first, and the calls they push, until none is left; then
    // releases the storage. Always inlined, with push, the thunk and frame's defer and destructor:
    // the compiler then sees which thunk the first record has, and a function that defers a call
    // compiles to the call itself (the frame disappears), as with a scope guard. Each call is taken
    // off before it runs; if one throws, the exception propagates and the calls below it are still
    // pending (run_all or run_one go on with them).
    // Release = false leaves the heap chunks to the caller (a frame about to end frees them once).
    template <bool Release = true>
    GODEFER_DETAIL_ALWAYS_INLINE void run_all() {
        if (call_header* h = top_) {
            // The first record apart: where the frame is drained next to its defer statements
            // (inlined), the compiler knows its thunk and inlines it.
            h->thunk(this, h, close_top(), call_header::run_batch);
            for (;;) {
                // An open record is always the newest (top_): with no record left, nothing is
                // open, so top_ alone says whether a call deferred more calls.
                h = top_;
                if (h == nullptr)
                    break;
                // (a record opened by a call that deferred more calls is closed here)
                h->thunk(this, h, close_top(), call_header::run_batch);
            }
        }
        if constexpr (Release)
            release();
    }

    // Takes the newest pending call off the stack and runs it. Returns false when none is pending.
    // The callable is destroyed after it returns or throws; an exception propagates to the caller.
    bool run_one() {
        call_header* h = top_;
        if (h == nullptr)
            return false;  // nothing open either (see run_all)
        h->thunk(this, h, close_top(), call_header::run_one);
        if (top_ == nullptr)
            release();
        return true;
    }

  private:
    // Closes the newest record for appends: its end is written down.
    GODEFER_DETAIL_ALWAYS_INLINE void seal() noexcept {
        if (open_ != nullptr) {
            top_->end = cursor_;
            open_ = nullptr;
        }
    }

    // The end of record h: the cursor while h is open (it is then the newest).
    unsigned char* end_of(call_header* h) const noexcept {
        return open_ != nullptr && h == top_ ? cursor_ : h->end;
    }

    // Closes the newest record (top_, not null) for appends and returns its end. The end is not
    // written down: the thunk the caller passes it to writes the record's new end before each
    // call it makes.
    GODEFER_DETAIL_ALWAYS_INLINE unsigned char* close_top() noexcept {
        if (open_ == nullptr)
            return top_->end;
        open_ = nullptr;
        return cursor_;
    }

    template <class T>
    GODEFER_DETAIL_ALWAYS_INLINE static std::size_t thunk(call_stack* s, call_header* h,
                                                          unsigned char* end, call_header::mode m) {
        using L = record_layout<T>;
        unsigned char* const base = L::slot(h, 0);
        if (m == call_header::count)
            return static_cast<std::size_t>(end - base) / L::stride;
        for (;;) {
            end -= L::stride;
            h->end = end;
            if (end == base)
                s->top_ = h->prev;  // the record's last call: unlink it first
            T* p = std::launder(reinterpret_cast<T*>(end));
            if constexpr (std::is_trivially_destructible_v<T>) {
                (*p)();
            } else {
                struct destroy_after {
                    T* p;
                    ~destroy_after() { p->~T(); }
                } guard{p};
                (*p)();
            }
            // Go on with the record's next call, unless the call just run deferred more calls
            // (they run first, from run_all's loop).
            if (m != call_header::run_batch || end == base || s->top_ != h)
                return 0;
        }
    }

    // A new chunk for a record of `need` bytes; returns where it goes (aligned on kCallAlign), or
    // null when the stack is closed.
    GODEFER_DETAIL_NOINLINE unsigned char* grow(std::size_t need) {
        if (cursor_ == nullptr)
            return nullptr;
        std::size_t cap = chunk_ ? chunk_->capacity * 2 : kFirstChunkBytes;
        if (cap > kMaxChunkBytes)
            cap = kMaxChunkBytes;
        if (cap < need)
            cap = need;
        void* mem = ::operator new(call_chunk::header_bytes() + cap);
        chunk_ = ::new (mem) call_chunk{chunk_, cap};
        cursor_ = chunk_->data();
        limit_ = cursor_ + cap;
        return cursor_;
    }

    // Nothing is pending: the heap chunks are freed. (The inline buffer is not rewound: once a
    // frame has drained nothing more is deferred to it, except by the calls of a drain that a
    // throwing call interrupted, and they may as well use the space left.)
    GODEFER_DETAIL_ALWAYS_INLINE void release() noexcept {
        if (GODEFER_DETAIL_UNLIKELY(chunk_ != nullptr)) {
            free_chunks();
            cursor_ = inline_;
            limit_ = inline_ + kInlineBytes;
        }
    }

    GODEFER_DETAIL_NOINLINE void free_chunks() noexcept {
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
    // The thunk of the newest record while it is open for appends (its end is the cursor).
    std::size_t (*open_)(call_stack*, call_header*, unsigned char*, call_header::mode) = nullptr;
};

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_CALL_STACK_HPP
