// godefer/panic_value.hpp: what recover() returns — empty, or the panic it stopped.
//
//   godefer::run([&](godefer::frame& f) {
//       f.defer([&] {
//           if (auto r = godefer::recover()) {               // empty when not panicking
//               if (const auto* e = r.get_if<std::exception>()) log(e->what());
//               std::cerr << "recovered: " << r.message()     // "42", "boom", what(), ...
//                         << " at " << r.site().file << ':' << r.site().line << '\n';
//               if (!handled) r.repanic();                  // Go's panic(r): same value
//           }
//       });
//       parse(input);                                        // may panic or throw
//   });
#ifndef GODEFER_PANIC_VALUE_HPP
#define GODEFER_PANIC_VALUE_HPP

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>
#include <godefer/panic_site.hpp>

#include <exception>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace godefer {

class panic_value {
public:
    panic_value() noexcept = default;
    explicit panic_value(std::shared_ptr<detail::panic_record> r,
                         std::exception_ptr carrier = nullptr) noexcept
        : rec_(std::move(r)), carrier_(std::move(carrier)) {}

    explicit operator bool() const noexcept { return rec_ != nullptr; }
    bool has_value() const noexcept { return rec_ != nullptr; }

    // The value if it is a T or has T as a public base (like a catch clause), for values passed to
    // panic() and foreign exceptions alike; null otherwise. Base matching applies to class types;
    // other types match exactly.
    template <class T>
    const T* get_if() const noexcept {
        using U = std::remove_cv_t<T>;
        if (!rec_) return nullptr;
        const detail::panic_record& o = rec_->origin();
#if GODEFER_HAS_EXCEPTIONS
        if (std::exception_ptr ep = o.foreign()) {
            try {
                std::rethrow_exception(ep);
            } catch (const U& u) {
                return std::addressof(u);
            } catch (...) {
                return nullptr;
            }
        }
#endif
        const std::type_info* u = detail::type_info_of<U>();
        if (const std::type_info* t = o.value_type(); t != nullptr && u != nullptr && *t == *u)
            return static_cast<const U*>(o.value_address());
#if GODEFER_HAS_EXCEPTIONS
        if constexpr (std::is_class_v<U>) {
            try {
                o.throw_value_pointer();
            } catch (const U* p) {
                return p;
            } catch (...) {
            }
        }
#endif
        return nullptr;
    }

    // The dynamic type of the value (of the exception, for a foreign one); typeid(void) if unknown
    // (with -fno-rtti and without exceptions, a type_info named "unknown type").
    const std::type_info& type() const noexcept {
        const std::type_info* t = rec_ ? rec_->value_type() : nullptr;
#if GODEFER_HAS_RTTI
        return t != nullptr ? *t : typeid(void);
#else
        if (t == nullptr) t = detail::type_info_of<void>();
        return t != nullptr ? *t : detail::unknown_type_info();
#endif
    }

    // The value as text: strings as they are, numbers, bool, enums as numbers, what(),
    // error_code::message(), operator<<, else the type name. Empty string when empty.
    std::string message() const { return rec_ ? rec_->message() : std::string(); }

    // The exception that carries the panic: the foreign exception itself, or the
    // godefer::panic_error object that was thrown (the same one before and after a repanic()).
    std::exception_ptr exception() const;

    // Go's panic(r): panics again with the same value, thrown as the same exception object (same
    // identity); a new panic on the chain. On an empty value it panics with nil_panic_error.
    [[noreturn]] void repanic(panic_site site = panic_site::current()) const;

    // Where the panic was raised (unknown for a foreign exception).
    panic_site site() const noexcept { return rec_ ? rec_->site : panic_site{}; }

    // The stack trace captured at the panic site, one frame a line; empty when not captured.
    std::string stacktrace() const { return rec_ ? rec_->trace.format() : std::string(); }

    // Whether recover() stopped this panic.
    bool recovered() const noexcept { return rec_ && rec_->recovered; }

    // The panic this one aborted (it left a deferred call that the older panic had started), or
    // an empty value. A panic still in flight under this one (this one was raised inside a
    // deferred call and has not left it) is not aborted.
    panic_value aborted() const noexcept {
        if (!rec_) return {};
        auto p = rec_->older;
        while (p && p->is_goexit() && p->aborted) p = p->older;
        if (!p || !p->aborted || p->is_goexit()) return {};
        return panic_value(std::move(p));
    }

    const std::shared_ptr<detail::panic_record>& record() const noexcept { return rec_; }

    friend std::ostream& operator<<(std::ostream& os, const panic_value& v) {
        return os << (v ? v.message() : std::string("<nil>"));
    }

private:
    std::shared_ptr<detail::panic_record> rec_;
    std::exception_ptr carrier_;  // the exception object, when recover() knew it
};

}  // namespace godefer

#include <godefer/errors.hpp>
#include <godefer/panic.hpp>

namespace godefer {

// The panic as it stands on this thread: the entry of the raise that left the last run frame (with
// its chain), when this object is the one that left; otherwise its own record.
inline panic_value panic_error::value() const noexcept {
#if GODEFER_HAS_EXCEPTIONS
    const detail::handoff& h = detail::this_thread_state().pass;
    if (h.object == static_cast<const void*>(this) && h.entry && &h.entry->origin() == &rec_->origin())
        return panic_value(h.entry);
#endif
    return panic_value(rec_);
}

inline std::exception_ptr panic_value::exception() const {
    if (!rec_) return nullptr;
    if (carrier_) return carrier_;
    if (std::exception_ptr ep = rec_->foreign()) return ep;
#if GODEFER_HAS_EXCEPTIONS
    return std::make_exception_ptr(panic_error(rec_));
#else
    return nullptr;
#endif
}

}  // namespace godefer

#endif  // GODEFER_PANIC_VALUE_HPP
