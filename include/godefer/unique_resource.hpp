// godefer/unique_resource.hpp: own a resource handle and the deleter that releases it.
//
//   #include <godefer/unique_resource.hpp>
//
//   std::string read_config(const char* path) {
//       auto fd = godefer::make_unique_resource_checked(::open(path, O_RDONLY), -1, &::close);
//       if (fd.get() == -1) throw std::system_error(errno, std::generic_category(), path);
//                                                       // -1 is not owned: close is not called
//       std::string text = slurp(fd.get());             // throws: ::close(fd)
//       if (text.empty()) return default_config();      // ::close(fd)
//       return text;                                    // ::close(fd)
//   }
//
//   auto file = godefer::unique_resource{std::fopen("log.txt", "a"), &std::fclose};
//   std::fputs("started\n", file.get());               // fclose at the end of the scope
//   file.reset(std::fopen("log.1.txt", "a"));           // fclose the old one, own the new one
//
// unique_resource<R, D> is the Library Fundamentals TS v3 (P0052) class: what std::unique_ptr is
// for pointers, for any handle (file descriptors, FILE*, sockets, GPU names...). R may be an
// lvalue reference (held as std::reference_wrapper). Synopsis:
//
//   template <class R, class D> class unique_resource {
//     public:
//       unique_resource();                          // owns nothing (R and D value-initialised)
//       template <class RR, class DD> unique_resource(RR&& r, DD&& d);
//       unique_resource(unique_resource&&);         // never loses nor double-releases
//       unique_resource& operator=(unique_resource&&);
//       ~unique_resource();                         // reset()
//       void reset() noexcept;                      // release the resource now, if owned
//       template <class RR> void reset(RR&& r);     // release the old one, own r
//       void release() noexcept;                    // stop owning (the deleter will not run)
//       const R& get() const noexcept;
//       const D& get_deleter() const noexcept;
//       /* R is a pointer: */ *r, r->member
//   };
//   template <class R, class D> unique_resource(R, D) -> unique_resource<R, D>;
//   auto make_unique_resource_checked(R&& r, const S& invalid, D&& d);   // owns r unless == invalid
//
// The deleter is called as d(resource) at most once per owned resource and must not throw
// (reset() is noexcept). If constructing a unique_resource throws, the resource is deleted at
// once (unless make_unique_resource_checked found it invalid), then the exception goes on.
#ifndef GODEFER_UNIQUE_RESOURCE_HPP
#define GODEFER_UNIQUE_RESOURCE_HPP

#include <functional>
#include <type_traits>
#include <utility>

#include "godefer/detail/box.hpp"
#include "godefer/detail/config.hpp"

namespace godefer {

template <class R, class D>
class unique_resource;

template <class R, class D, class S = std::decay_t<R>>
unique_resource<std::decay_t<R>, std::decay_t<D>> make_unique_resource_checked(
    R&& r, const S& invalid, D&& d) noexcept(std::is_nothrow_constructible_v<std::decay_t<R>, R> &&
                                             std::is_nothrow_constructible_v<std::decay_t<D>, D>);

namespace detail {
// Tag for the constructor used by make_unique_resource_checked.
struct unique_resource_owns {
    bool value;
};
}  // namespace detail

template <class R, class D>
class unique_resource {
    static_assert(!std::is_rvalue_reference_v<R> && !std::is_rvalue_reference_v<D>,
                  "godefer::unique_resource<R, D>: R and D cannot be rvalue references.");

    // What is stored for R: R itself, or a reference_wrapper when R is a reference.
    using stored_resource =
        std::conditional_t<std::is_reference_v<R>,
                           std::reference_wrapper<std::remove_reference_t<R>>, R>;

    static_assert(std::is_invocable_v<D&, const std::remove_reference_t<R>&> ||
                      std::is_invocable_v<D&, std::remove_reference_t<R>&>,
                  "godefer::unique_resource<R, D>: the deleter must be callable with the "
                  "resource, as d(r).");

    template <class RR, class DD>
    static constexpr bool constructible_from =
        std::is_constructible_v<stored_resource, RR> && std::is_constructible_v<D, DD> &&
        detail::box_storable_v<stored_resource, RR> && detail::box_storable_v<D, DD>;

    template <class RR, class DD>
    static constexpr bool nothrow_constructible_from =
        detail::box_nothrow_storable_v<stored_resource, RR> &&
        detail::box_nothrow_storable_v<D, DD>;

  public:
    // Effects:  owns nothing: the resource and the deleter are value-initialised, the deleter
    //           will not be called.
    template <class RR = stored_resource,
              std::enable_if_t<std::is_default_constructible_v<RR> &&
                                   std::is_default_constructible_v<D>,
                               int> = 0>
    unique_resource() noexcept(std::is_nothrow_default_constructible_v<RR> &&
                               std::is_nothrow_default_constructible_v<D>)
        : resource_(), deleter_(), owns_(false) {}

    // Effects:  stores r and d (each moved if that is nothrow, else copied) and owns r.
    //           If storing r throws, calls d(r); if storing d throws, calls d(stored r);
    //           then the exception goes on.
    // Throws:   what storing r or d throws.
    template <class RR, class DD, std::enable_if_t<constructible_from<RR, DD>, int> = 0>
    unique_resource(RR&& r, DD&& d) noexcept(nothrow_constructible_from<RR, DD>)
        : unique_resource(std::forward<RR>(r), std::forward<DD>(d),
                          detail::unique_resource_owns{true}) {}

    // Effects:  takes the resource, the deleter and the ownership of `other`; `other` no longer
    //           owns. Never loses nor double-releases the resource: if copying the resource
    //           throws, `other` still owns it; if copying the deleter throws after the resource
    //           was moved, the resource is deleted with other's deleter and `other` released.
    // Throws:   what copying a member that cannot be moved without throwing throws.
    unique_resource(unique_resource&& other) noexcept(
        std::is_nothrow_move_constructible_v<stored_resource> &&
        std::is_nothrow_move_constructible_v<D>)
        : resource_(std::move(other.resource_.value), detail::no_fail_handler{}),
          deleter_(std::move(other.deleter_.value),
                   [&] {
                       if constexpr (std::is_nothrow_move_constructible_v<stored_resource>) {
                           if (other.owns_) {
                               other.deleter_.value(resource());
                               other.release();
                           }
                       }
                   }),
          owns_(std::exchange(other.owns_, false)) {}

    // Effects:  reset(), then takes the resource, the deleter and the ownership of `other`
    //           (members moved when nothrow, else copied). If a copy throws, `other` is intact
    //           and *this owns nothing.
    // Throws:   what copying a member that cannot be moved without throwing throws.
    unique_resource& operator=(unique_resource&& other) noexcept(
        std::is_nothrow_move_assignable_v<stored_resource> &&
        std::is_nothrow_move_assignable_v<D>) {
        static_assert((std::is_nothrow_move_assignable_v<stored_resource> ||
                       std::is_copy_assignable_v<stored_resource>) &&
                          (std::is_nothrow_move_assignable_v<D> || std::is_copy_assignable_v<D>),
                      "godefer::unique_resource: move assignment needs a resource and a deleter "
                      "that are nothrow-move-assignable or copy-assignable (a lambda is not "
                      "assignable: use a function object type or a function pointer).");
        reset();
        if constexpr (std::is_nothrow_move_assignable_v<stored_resource>) {
            if constexpr (std::is_nothrow_move_assignable_v<D>) {
                resource_.value = std::move(other.resource_.value);
                deleter_.value = std::move(other.deleter_.value);
            } else {
                deleter_.value = other.deleter_.value;
                resource_.value = std::move(other.resource_.value);
            }
        } else {
            if constexpr (std::is_nothrow_move_assignable_v<D>) {
                resource_.value = other.resource_.value;
                deleter_.value = std::move(other.deleter_.value);
            } else {
                resource_.value = other.resource_.value;
                deleter_.value = other.deleter_.value;
            }
        }
        owns_ = std::exchange(other.owns_, false);
        return *this;
    }

    unique_resource(const unique_resource&) = delete;
    unique_resource& operator=(const unique_resource&) = delete;

    // Effects:  reset().
    ~unique_resource() { reset(); }

    // Effects:  if the resource is owned, stops owning it and calls the deleter with it.
    void reset() noexcept {
        if (owns_) {
            owns_ = false;
            deleter_.value(resource());
        }
    }

    // Effects:  reset(), then stores r (moved if nothrow-assignable, else copied) and owns it.
    //           If the copy throws, calls the deleter with r, then the exception goes on.
    // Throws:   what copy-assigning the resource throws.
    template <class RR>
    void reset(RR&& r) {
        reset();
        if constexpr (std::is_nothrow_assignable_v<stored_resource&, RR>) {
            resource_.value = std::forward<RR>(r);
        } else {
            GODEFER_DETAIL_TRY { resource_.value = std::as_const(r); }
            GODEFER_DETAIL_CATCH_ALL {
                deleter_.value(r);
                GODEFER_DETAIL_RETHROW;
            }
        }
        owns_ = true;
    }

    // Effects:  stops owning the resource: the deleter will not be called with it.
    void release() noexcept { owns_ = false; }

    // Returns:  the resource (owned or not).
    const R& get() const noexcept { return resource(); }

    // Returns:  *get(). Only when R is a pointer to a complete object type.
    template <class RR = R,
              std::enable_if_t<std::is_pointer_v<RR> && !std::is_void_v<std::remove_pointer_t<RR>>,
                               int> = 0>
    std::add_lvalue_reference_t<std::remove_pointer_t<RR>> operator*() const noexcept {
        return *get();
    }

    // Returns:  get(). Only when R is a pointer.
    template <class RR = R, std::enable_if_t<std::is_pointer_v<RR>, int> = 0>
    R operator->() const noexcept {
        return get();
    }

    // Returns:  the deleter.
    const D& get_deleter() const noexcept { return deleter_.value; }

  private:
    template <class RR, class DD, class S>
    friend unique_resource<std::decay_t<RR>, std::decay_t<DD>> make_unique_resource_checked(
        RR&& r, const S& invalid, DD&& d) noexcept(std::is_nothrow_constructible_v<std::decay_t<RR>,
                                                                                     RR> &&
                                                   std::is_nothrow_constructible_v<std::decay_t<DD>,
                                                                                     DD>);

    // Stores r and d; owns r if `owns`. On a failure to store, deletes r only if it would own it.
    template <class RR, class DD>
    unique_resource(RR&& r, DD&& d, detail::unique_resource_owns owns) noexcept(
        nothrow_constructible_from<RR, DD>)
        : resource_(std::forward<RR>(r),
                    [&] {
                        if (owns.value) d(r);
                    }),
          deleter_(std::forward<DD>(d),
                   [&] {
                       if (owns.value) d(resource());
                   }),
          owns_(owns.value) {}

    std::remove_reference_t<R>& resource() noexcept {
        if constexpr (std::is_reference_v<R>) {
            return resource_.value.get();
        } else {
            return resource_.value;
        }
    }
    // R itself when R is a reference (what it refers to is not ours to make const).
    const R& resource() const noexcept {
        if constexpr (std::is_reference_v<R>) {
            return resource_.value.get();
        } else {
            return resource_.value;
        }
    }

    detail::box<stored_resource> resource_;
    detail::box<D> deleter_;
    bool owns_;
};

template <class R, class D>
unique_resource(R, D) -> unique_resource<R, D>;

// Returns:  a unique_resource holding r and d that owns r unless r == invalid (then the deleter
//           is never called, not even if the construction fails).
// Example:  auto fd = make_unique_resource_checked(::open(path, O_RDONLY), -1, &::close);
template <class R, class D, class S>
unique_resource<std::decay_t<R>, std::decay_t<D>> make_unique_resource_checked(
    R&& r, const S& invalid, D&& d) noexcept(std::is_nothrow_constructible_v<std::decay_t<R>, R> &&
                                             std::is_nothrow_constructible_v<std::decay_t<D>, D>) {
    const bool owns = !bool(r == invalid);
    return unique_resource<std::decay_t<R>, std::decay_t<D>>(
        std::forward<R>(r), std::forward<D>(d), detail::unique_resource_owns{owns});
}

}  // namespace godefer

#endif  // GODEFER_UNIQUE_RESOURCE_HPP
