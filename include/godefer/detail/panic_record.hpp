// godefer/detail/panic_record.hpp: one entry of a thread's chain of panics (Go's _panic record).
//
// A record is a panic raised by godefer::panic (value_record<T>), a foreign C++ exception seen by
// a run frame (foreign_record), a re-raise of an earlier record's value (reraised_record: same
// value, same identity, new place on the chain) or a goexit. `older` links to the entry that was
// the thread's newest panic in flight when this one was raised (set once, when a run frame first
// catches it): that chain is what the crash report prints, oldest first. Each raise of an
// exception is a new entry, so a chain never has a cycle.
#ifndef GODEFER_DETAIL_PANIC_RECORD_HPP
#define GODEFER_DETAIL_PANIC_RECORD_HPP

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <typeinfo>
#include <utility>

#include <godefer/detail/config.hpp>
#include <godefer/detail/message.hpp>
#include <godefer/detail/panic_site.hpp>
#include <godefer/detail/stack_trace.hpp>

namespace godefer::detail {

enum class record_kind : unsigned char { panic, goexit };

struct panic_record {
    explicit panic_record(record_kind k, panic_site s = {}) noexcept : kind(k), site(s) {}
    panic_record(const panic_record&) = delete;
    panic_record& operator=(const panic_record&) = delete;
    // Frees the chain below without recursion (a frame may stack any number of panics).
    virtual ~panic_record() {
        std::shared_ptr<panic_record> next = std::move(older);
        while (next && next.use_count() == 1) next = std::move(next->older);
    }

    record_kind kind;
    bool recovered =
        false;             // recover() stopped it (it may still be on a chain: Go's "[recovered]")
    bool aborted = false;  // a later panic or goexit left the deferred call it had started
    std::atomic<bool> entered{false};  // linked on a chain (a run frame or a boundary caught it)
    bool reraised = false;             // a reraised_record (see reraise)
    panic_site site;
    std::shared_ptr<panic_record> older;
    stack_trace trace;
    // The thread of work that raised it, when the report is printed on another thread (a failure
    // of a godefer::group member rethrown by wait()); 0: the thread that prints the report.
    unsigned long thread = 0;

    bool is_goexit() const noexcept { return kind == record_kind::goexit; }

    // The value's text (see message.hpp), computed once and cached for what(). If computing it
    // throws (an operator<< that throws, out of memory), the next call tries again. (Not
    // std::call_once: after a throwing call it deadlocks under some runtimes, TSan's included.)
    const std::string& message() const {
        if (message_ready_.load(std::memory_order_acquire))
            return message_;
        std::lock_guard<std::mutex> lock(message_mutex_);
        if (!message_ready_.load(std::memory_order_relaxed)) {
            message_ = compute_message();
            message_ready_.store(true, std::memory_order_release);
        }
        return message_;
    }
    // The dynamic type of the value (of the exception, for a foreign one), or null.
    virtual const std::type_info* value_type() const noexcept { return nullptr; }
    // The value's address, or null (foreign exceptions are reached through exception()).
    virtual const void* value_address() const noexcept { return nullptr; }
    // Throws `const V*` pointing at the value (used to match a catch-like get_if<T>).
    virtual void throw_value_pointer() const {}
    // The foreign exception this record stands for, or null.
    virtual std::exception_ptr foreign() const noexcept { return nullptr; }
    // The record whose value this one carries (itself, unless re-raised).
    virtual const panic_record& origin() const noexcept { return *this; }

  protected:
    virtual std::string compute_message() const { return {}; }

  private:
    mutable std::mutex message_mutex_;
    mutable std::atomic<bool> message_ready_{false};
    mutable std::string message_;
};

template <class T>
struct value_record final : panic_record {
    template <class U>
    value_record(panic_site s, U&& v)
        : panic_record(record_kind::panic, s), value(std::forward<U>(v)) {}
    T value;

    const std::type_info* value_type() const noexcept override { return type_info_of<T>(); }
    const void* value_address() const noexcept override { return std::addressof(value); }
    void throw_value_pointer() const override {
#if GODEFER_HAS_EXCEPTIONS
        throw std::addressof(value);
#endif
    }

  protected:
    std::string compute_message() const override {
        return to_message(value);
    }
};

struct foreign_record final : panic_record {
    explicit foreign_record(std::exception_ptr e) noexcept
        : panic_record(record_kind::panic), ep(std::move(e)) {}
    std::exception_ptr ep;

    const std::type_info* value_type() const noexcept override {
#if defined(__GLIBCXX__) && GODEFER_HAS_EXCEPTIONS
        return ep.__cxa_exception_type();
#else
        return nullptr;
#endif
    }
    std::exception_ptr foreign() const noexcept override {
        return ep;
    }

  protected:
    std::string compute_message() const override {
        return describe_exception(ep);
    }
};

struct reraised_record final : panic_record {
    reraised_record(panic_site s, std::shared_ptr<const panic_record> from) noexcept
        : panic_record(record_kind::panic, s), source(std::move(from)) {
        reraised = true;
    }
    std::shared_ptr<const panic_record> source;

    const std::type_info* value_type() const noexcept override { return source->value_type(); }
    const void* value_address() const noexcept override { return source->value_address(); }
    void throw_value_pointer() const override { source->throw_value_pointer(); }
    std::exception_ptr foreign() const noexcept override { return source->foreign(); }
    const panic_record& origin() const noexcept override { return source->origin(); }

  protected:
    std::string compute_message() const override { return source->message(); }
};

// A new record carrying r's value (Go's panic(recover())): same value, same identity. It refers
// to the record that holds the value, never to another re-raise: re-raising a million times
// builds no chain of records.
// `caller`: the return address of the call that re-raised (the stack is captured from there).
inline std::shared_ptr<panic_record> reraise(std::shared_ptr<const panic_record> r, panic_site s,
                                             const void* caller = nullptr) {
    if (!s.known())
        s = r->site;
    if (r->reraised)
        r = static_cast<const reraised_record&>(*r).source;
    auto out = std::make_shared<reraised_record>(s, std::move(r));
    out->trace.capture(caller);
    return out;
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_PANIC_RECORD_HPP
