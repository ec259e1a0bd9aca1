// godefer/detail/exceptions.hpp: the exception types godefer throws, caught by its own machinery
// (run's unwinding) and by users. Public types, presented and documented by <godefer/panic.hpp>;
// they are defined here, below the public API, because that machinery needs them.
//
//   try {
//       godefer::run([] { godefer::panic(42); });
//   } catch (const godefer::panic_error& e) {    // an unrecovered godefer::panic
//       std::cerr << e.what() << '\n';            // "42"
//       if (const int* v = e.value().get_if<int>()) ...
//   }
//
// panic_error        what an unrecovered godefer::panic leaves run() as (derives std::exception).
// nil_panic_error    the value of panic(nullptr): "panic called with nil argument".
// defer_error        the value of the panic raised when a null callable is deferred.
// goexit_signal      what goexit() throws; not a std::exception. A catch (...) must rethrow it.
#ifndef GODEFER_DETAIL_EXCEPTIONS_HPP
#define GODEFER_DETAIL_EXCEPTIONS_HPP

#include <exception>
#include <memory>
#include <stdexcept>
#include <utility>

#include <godefer/detail/config.hpp>
#include <godefer/detail/panic_record.hpp>

namespace godefer::detail {
// Selects panic_error's constructor that makes the record of a new panic whose value is stored
// as a V (detail/raise.hpp).
template <class V>
struct raise_tag {};
}  // namespace godefer::detail

namespace godefer {

class panic_value;  // <godefer/panic.hpp>

// Thrown by godefer::panic; carries the panic's record (value, site, stack, the panics it aborted).
class GODEFER_DETAIL_SHARED panic_error : public std::exception {
  public:
    explicit panic_error(std::shared_ptr<detail::panic_record> r) noexcept : rec_(std::move(r)) {}

    // The exception of godefer::panic(value): makes the record of a new panic raised at `site`
    // (defined in detail/raise.hpp, out of line). The throw expression at the panic site then
    // holds no object with a destructor, so the unwinder has nothing to clean up in the
    // panicking function, and that function's unwinding table has no entry for it.
    template <class V, class T>
    panic_error(detail::raise_tag<V>, T&& value, panic_site site);

    // The panic's message (see panic_value::message()).
    const char* what() const noexcept override {
#if GODEFER_HAS_EXCEPTIONS
        try {
            return rec_->message().c_str();
        } catch (...) {
            return "godefer::panic_error";
        }
#else
        return rec_->message().c_str();
#endif
    }

    // The panic, as recover() would have returned it.
    panic_value value() const noexcept;

    // The panic's record: its value, site and stack (the chain of a raise is value()'s).
    const std::shared_ptr<detail::panic_record>& record() const noexcept {
        return rec_;
    }

  private:
    std::shared_ptr<detail::panic_record> rec_;
};

// The value of panic(nullptr) (Go 1.21's *runtime.PanicNilError): recover() is never empty while
// a panic is in flight.
class GODEFER_DETAIL_SHARED nil_panic_error : public std::runtime_error {
  public:
    nil_panic_error() : std::runtime_error("panic called with nil argument") {}
};

// The value of the panic raised by frame::defer when the callable is null or empty.
class GODEFER_DETAIL_SHARED defer_error : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// Thrown by goexit(). Not a std::exception, so that catch (const std::exception&) lets it pass;
// a catch (...) that sees it must rethrow it.
class GODEFER_DETAIL_SHARED goexit_signal {
  public:
    explicit goexit_signal(std::shared_ptr<detail::panic_record> r) noexcept : rec_(std::move(r)) {}
    const char* what() const noexcept { return "godefer::goexit"; }
    const std::shared_ptr<detail::panic_record>& record() const noexcept { return rec_; }

  private:
    std::shared_ptr<detail::panic_record> rec_;
};

}  // namespace godefer

#endif  // GODEFER_DETAIL_EXCEPTIONS_HPP
