// Test helpers: callables that count their calls, copies and destructions.
#ifndef GODEFER_TESTS_GUARDS_TRACKED_HPP
#define GODEFER_TESTS_GUARDS_TRACKED_HPP

#include <functional>
#include <utility>

namespace godefer_test {

// What one test observes: how often the action ran, how many copies of it were made, how many
// were destroyed, and whether any was destroyed twice.
struct counter {
    int calls = 0;
    int constructed = 0;
    int destroyed = 0;
    int double_destroyed = 0;

    int live() const { return constructed - destroyed; }
};

// A member that makes its owner count: every instance is constructed once and destroyed once.
class tracker {
  public:
    explicit tracker(counter& c) noexcept : c_(&c) { ++c_->constructed; }
    tracker(const tracker& other) noexcept : c_(other.c_) { ++c_->constructed; }
    tracker(tracker&& other) noexcept : c_(other.c_) { ++c_->constructed; }
    tracker& operator=(const tracker&) = delete;
    ~tracker() {
        if (state_ != alive) {
            ++c_->double_destroyed;
            return;
        }
        state_ = dead;
        ++c_->destroyed;
    }
    counter& get() const noexcept { return *c_; }

  private:
    static constexpr unsigned alive = 0x600dF00Du;
    static constexpr unsigned dead = 0xDEADBEEFu;
    counter* c_;
    unsigned state_ = alive;
};

// A move-only functor.
class move_only_action {
  public:
    explicit move_only_action(counter& c) : t_(c) {}
    move_only_action(move_only_action&&) noexcept = default;
    move_only_action(const move_only_action&) = delete;
    move_only_action& operator=(const move_only_action&) = delete;
    move_only_action& operator=(move_only_action&&) = delete;
    void operator()() const noexcept { ++t_.get().calls; }

  private:
    tracker t_;
};

// Plain functions, for function pointers and references.
inline counter* function_counter = nullptr;
inline void counted_function() noexcept {
    ++function_counter->calls;
}

// --- The callable kinds of the typed tests ------------------------------------------------------
// make(c) returns a fresh callable whose calls (and copies, where it has state) are counted in c.

struct lambda_kind {
    static constexpr bool copyable = true;
    static auto make(counter& c) {
        return [t = tracker(c)]() noexcept { ++t.get().calls; };
    }
};

struct mutable_lambda_kind {
    static constexpr bool copyable = true;
    static auto make(counter& c) {
        return [t = tracker(c), own_calls = 0]() mutable noexcept {
            ++own_calls;  // the stored copy's own state moves on
            t.get().calls += own_calls;
        };
    }
};

struct function_pointer_kind {
    static constexpr bool copyable = true;
    static auto make(counter& c) {
        function_counter = &c;
        return &counted_function;
    }
};

struct function_reference_kind {
    static constexpr bool copyable = true;
    using fn = void() noexcept;
    static fn& make(counter& c) {
        function_counter = &c;
        return counted_function;
    }
};

struct move_only_kind {
    static constexpr bool copyable = false;
    static move_only_action make(counter& c) { return move_only_action(c); }
};

// A functor callable only as an rvalue (`operator()() &&`, as std::move_only_function<void() &&>).
class rvalue_only_action {
  public:
    explicit rvalue_only_action(counter& c) : t_(c) {}
    void operator()() && noexcept { ++t_.get().calls; }

  private:
    tracker t_;
};

struct rvalue_only_kind {
    static constexpr bool copyable = true;
    static rvalue_only_action make(counter& c) { return rvalue_only_action(c); }
};

// A move-only functor whose move constructor may throw (it throws while `moves_throw` is set).
class throwing_move_only_action {
  public:
    static inline bool moves_throw = false;
    struct move_failed {};

    explicit throwing_move_only_action(counter& c) : t_(c) {}
    throwing_move_only_action(throwing_move_only_action&& other) noexcept(false) : t_(other.t_) {
        if (moves_throw)
            throw move_failed{};
    }
    throwing_move_only_action(const throwing_move_only_action&) = delete;
    throwing_move_only_action& operator=(const throwing_move_only_action&) = delete;
    throwing_move_only_action& operator=(throwing_move_only_action&&) = delete;
    void operator()() const noexcept { ++t_.get().calls; }

  private:
    tracker t_;
};

struct throwing_move_only_kind {
    static constexpr bool copyable = false;
    static throwing_move_only_action make(counter& c) { return throwing_move_only_action(c); }
};

struct std_function_kind {
    static constexpr bool copyable = true;
    static std::function<void()> make(counter& c) {
        return [t = tracker(c)] { ++t.get().calls; };
    }
};

// A functor whose copy constructor throws while `copies_throw` is set (and which has no move
// constructor, so every "move" is a copy).
struct flaky_copy_action {
    static inline bool copies_throw = false;
    struct copy_failed {};

    explicit flaky_copy_action(counter& c) : t(c) {}
    flaky_copy_action(const flaky_copy_action& other) : t(other.t) {
        if (copies_throw)
            throw copy_failed{};
    }
    flaky_copy_action& operator=(const flaky_copy_action&) = delete;
    void operator()() const noexcept { ++t.get().calls; }

    tracker t;
};

// A functor that counts its moves and copies, and whose move constructor may throw (so P0052
// says: copy it).
struct throwing_move_action {
    int* moves;
    int* copies;
    throwing_move_action(int* m, int* c) : moves(m), copies(c) {}
    throwing_move_action(const throwing_move_action& o) : moves(o.moves), copies(o.copies) {
        ++*copies;
    }
    throwing_move_action(throwing_move_action&& o) noexcept(false)
        : moves(o.moves), copies(o.copies) {
        ++*moves;
    }
    void operator()() const noexcept {}
};

// Makes a Guard from args and destroys it at once (in a named variable: guards are
// [[nodiscard]]). For EXPECT_THROW over constructions: `(build<scope_exit<F, C>>(f, c))`.
template <class Guard, class... Args>
void build(Args&&... args) {
    Guard g(std::forward<Args>(args)...);
    static_cast<void>(g);
}

}  // namespace godefer_test

#endif  // GODEFER_TESTS_GUARDS_TRACKED_HPP
