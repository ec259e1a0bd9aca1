// godefer/unique_resource.hpp: own a resource handle and the deleter that releases it.
//
//   #include <godefer/unique_resource.hpp>
//
//   std::string read_config(const char* path) {
//       auto fd = godefer::make_unique_resource_checked(::open(path, O_RDONLY), -1, &::close);
//       if (!fd) throw std::system_error(errno, std::generic_category(), path);
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
// for pointers, for any handle (file descriptors, FILE*, sockets, GPU names...). R and D may be
// lvalue references (held as std::reference_wrapper).
//
// unique_resource<R, D, Traits> (Boost.Scope's resource traits) knows the unallocated value(s)
// of R instead of keeping an "owns" flag: a resource is owned exactly when
// Traits::is_allocated(r) is true, and release() or a move stores Traits::make_default():
//
//   struct fd_traits {
//       static int make_default() noexcept { return -1; }
//       static bool is_allocated(int fd) noexcept { return fd >= 0; }
//   };
//   godefer::unique_resource<int, fd_closer, fd_traits> fd(::open(path, O_RDONLY));
//   if (!fd) ...;                                       // -1: nothing to close, ever
//
// godefer::unique_fd (<godefer/unique_fd.hpp>) is that type, ready made.
//
// The deleter is called as d(resource) at most once per owned resource and must not throw
// (reset() is noexcept). If constructing a unique_resource throws, an owned resource is deleted at
// once, then the exception goes on.
#ifndef GODEFER_UNIQUE_RESOURCE_HPP
#define GODEFER_UNIQUE_RESOURCE_HPP

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include <godefer/detail/box.hpp>
#include <godefer/detail/config.hpp>

namespace godefer::detail {

// Tag for the constructor that is told whether it owns the resource.
struct unique_resource_owns {
    bool value;
};

// What a unique_resource stores for T: T itself, or a reference_wrapper when T is a reference.
template <class T>
using unique_resource_stored_t =
    std::conditional_t<std::is_reference_v<T>, std::reference_wrapper<std::remove_reference_t<T>>,
                       T>;

// The "owns" flag, kept only when there are no resource traits.
template <bool Kept>
struct unique_resource_flag {
    constexpr explicit unique_resource_flag(bool o) noexcept : owns(o) {}
    bool owns;
};
template <>
struct unique_resource_flag<false> {
    constexpr explicit unique_resource_flag(bool) noexcept {}
};

// Traits::make_default() and Traits::is_allocated(r), both noexcept (they run in reset() and in
// moves, which cannot fail), for a resource that moves without throwing.
template <class R, class Traits, class = void>
inline constexpr bool valid_resource_traits_v = false;
template <class R, class Traits>
inline constexpr bool valid_resource_traits_v<
    R, Traits,
    std::void_t<decltype(Traits::make_default()),
                decltype(static_cast<bool>(Traits::is_allocated(std::declval<const R&>())))>> =
    noexcept(Traits::make_default()) && noexcept(
        static_cast<bool>(Traits::is_allocated(std::declval<const R&>()))) &&
    std::is_nothrow_assignable_v<R&, decltype(Traits::make_default())>&& std::
        is_nothrow_constructible_v<R, decltype(Traits::make_default())>&& std::
            is_nothrow_move_constructible_v<R>&& std::is_nothrow_move_assignable_v<R>;

}  // namespace godefer::detail

namespace godefer {

template <class R, class D, class Traits = void>
class unique_resource;

template <class R, class D, class S = std::decay_t<R>>
unique_resource<std::decay_t<R>, std::decay_t<D>> make_unique_resource_checked(
    R&& r, const S& invalid,
    D&& d) noexcept(std::is_nothrow_constructible_v<std::decay_t<R>, R>&&
                        std::is_nothrow_constructible_v<std::decay_t<D>, D>);

// R: the resource (a handle, or an lvalue reference). D: the deleter, called as d(r); it must not
// throw. Traits: void (ownership is a flag), or a class with static noexcept members
// make_default() and is_allocated(r) (ownership is is_allocated(r)).
template <class R, class D, class Traits>
class unique_resource {
    static_assert(!std::is_rvalue_reference_v<R> && !std::is_rvalue_reference_v<D>,
                  "godefer::unique_resource: R and D cannot be rvalue references; use the type "
                  "itself or an lvalue reference.");
    static_assert(std::is_invocable_v<std::remove_reference_t<D>&, std::remove_reference_t<R>&>,
                  "godefer::unique_resource: the deleter must be callable with the resource, as "
                  "d(r); wrap it in a lambda.");
    static_assert(std::is_void_v<Traits> ||
                      (!std::is_reference_v<R> && detail::valid_resource_traits_v<R, Traits>),
                  "godefer::unique_resource: Traits needs static noexcept make_default() and "
                  "is_allocated(r) for a non-reference R that moves without throwing; mark them "
                  "noexcept, or use Traits = void.");

    static constexpr bool has_traits = !std::is_void_v<Traits>;
    using stored_resource = detail::unique_resource_stored_t<R>;
    using stored_deleter = detail::unique_resource_stored_t<D>;

    template <class RR, class DD>
    static constexpr bool constructible_from =
        detail::box_storable_v<stored_resource, RR>&& detail::box_storable_v<stored_deleter, DD>;

    template <class RR, class DD>
    static constexpr bool nothrow_constructible_from =
        detail::box_nothrow_storable_v<stored_resource, RR>&&
            detail::box_nothrow_storable_v<stored_deleter, DD>;

    static constexpr bool move_assignable =
        (std::is_nothrow_move_assignable_v<stored_resource> ||
         std::is_copy_assignable_v<
             stored_resource>)&&(std::is_nothrow_move_assignable_v<stored_deleter> ||
                                 std::is_copy_assignable_v<stored_deleter>);

    static constexpr bool nothrow_move_assignable =
        std::is_nothrow_move_assignable_v<stored_resource> &&
        std::is_nothrow_move_assignable_v<stored_deleter>;

  public:
    // Effects:  owns nothing: the resource is value-initialised (Traits::make_default() with
    //           traits), the deleter value-initialised and never called.
    template <class RR = stored_resource,
              std::enable_if_t<(has_traits || std::is_default_constructible_v<RR>)&&std::
                                   is_default_constructible_v<stored_deleter>,
                               int> = 0>
    unique_resource() noexcept(std::is_nothrow_default_constructible_v<RR>&&
                                   std::is_nothrow_default_constructible_v<stored_deleter>)
        : resource_(make_unowned(), detail::no_fail_handler{}), deleter_(), flag_(false) {}

    // Requires: R is constructible from r; D is default-constructible and not a pointer (a null
    //           function pointer would be called).
    // Effects:  as unique_resource(r, D()): owns r (with traits: if Traits::is_allocated(r)), and
    //           the deleter is value-initialised. (Boost.Scope's constructor.)
    // Throws:   what storing r throws (r is then deleted with D()).
    template <class RR,
              std::enable_if_t<!std::is_same_v<detail::remove_cvref_t<RR>, unique_resource> &&
                                   std::is_default_constructible_v<stored_deleter> &&
                                   !std::is_pointer_v<D> && constructible_from<RR, stored_deleter>,
                               int> = 0>
    explicit unique_resource(RR&& r) noexcept(
        nothrow_constructible_from<RR, stored_deleter>&& std::is_nothrow_default_constructible_v<D>)
        : unique_resource(std::forward<RR>(r), stored_deleter(), owns_on_construction(r)) {}

    // Requires: R is constructible from r, D from d.
    // Effects:  stores r, then d (each moved when that cannot throw, otherwise copied) and owns r
    //           (with traits: if Traits::is_allocated(r); an unallocated r is never deleted). If
    //           storing r throws, calls d(r); if storing d throws, calls d with the stored
    //           resource; then the exception goes on. Only when d is itself callable with the
    //           resource: a deleter *constructed from* d (a functor made from a pool pointer, say)
    //           that could not be stored leaves nothing to call.
    // Throws:   what storing r or d throws.
    template <class RR, class DD, std::enable_if_t<constructible_from<RR, DD>, int> = 0>
    unique_resource(RR&& r, DD&& d) noexcept(nothrow_constructible_from<RR, DD>)
        : unique_resource(std::forward<RR>(r), std::forward<DD>(d), owns_on_construction(r)) {}

    // Effects:  takes the resource, the deleter and the ownership of `other`; `other` no longer
    //           owns (with traits, it holds Traits::make_default()). Never loses nor
    //           double-releases the resource: if copying the resource throws, `other` still owns
    //           it; if copying the deleter throws after the resource was moved, the resource is
    //           deleted with other's deleter and `other` released, then the exception goes on.
    // Throws:   what copying a member that cannot be moved without throwing throws.
    unique_resource(unique_resource&& other) noexcept(
        std::is_nothrow_move_constructible_v<stored_resource>&&
            std::is_nothrow_move_constructible_v<stored_deleter>)
        : resource_(std::move(other.resource_.value), detail::no_fail_handler{}),
          deleter_(std::move(other.deleter_.value),
                   [&] {
                       if constexpr (std::is_nothrow_move_constructible_v<stored_resource>) {
                           if (other.owns_moved(resource())) {
                               other.deleter()(resource());
                               other.disown();
                           }
                       }
                   }),
          flag_(other.owns()) {
        other.disown();
    }

    // Requires: R and D are each nothrow-move-assignable or copy-assignable (a lambda deleter
    //           is not; otherwise this operator does not take part in overload resolution, so
    //           std::is_move_assignable_v and std::is_swappable_v say false).
    // Effects:  none if &other == this. Otherwise reset(), then takes the resource, the deleter
    //           and the ownership of `other` (members moved when nothrow, else copied). If a copy
    //           throws, `other` is intact and *this owns nothing.
    // Throws:   what copying a member that cannot be moved without throwing throws.
    template <class U = unique_resource,
              std::enable_if_t<std::is_same_v<U, unique_resource> && move_assignable, int> = 0>
    unique_resource& operator=(U&& other) noexcept(nothrow_move_assignable) {
        if (this == std::addressof(other))
            return *this;
        reset();
        if constexpr (std::is_nothrow_move_assignable_v<stored_resource>) {
            if constexpr (std::is_nothrow_move_assignable_v<stored_deleter>) {
                resource_.value = std::move(other.resource_.value);
                deleter_.value = std::move(other.deleter_.value);
            } else {
                deleter_.value = other.deleter_.value;
                resource_.value = std::move(other.resource_.value);
            }
        } else {
            if constexpr (std::is_nothrow_move_assignable_v<stored_deleter>) {
                resource_.value = other.resource_.value;
                deleter_.value = std::move(other.deleter_.value);
            } else {
                resource_.value = other.resource_.value;
                deleter_.value = other.deleter_.value;
            }
        }
        if constexpr (!has_traits)
            flag_.owns = other.flag_.owns;
        other.disown();
        return *this;
    }

    unique_resource(const unique_resource&) = delete;
    unique_resource& operator=(const unique_resource&) = delete;

    // Effects:  reset().
    ~unique_resource() { reset(); }

    // Effects:  if the resource is owned, stops owning it and calls the deleter with it (with
    //           traits, the resource then holds Traits::make_default()).
    void reset() noexcept {
        if constexpr (has_traits) {
            if (owns()) {
                deleter()(resource_.value);
                disown();
            }
        } else {
            if (flag_.owns) {
                flag_.owns = false;
                deleter()(resource());
            }
        }
    }

    // Effects:  reset(), then stores r (moved if nothrow-assignable, else copied) and owns it
    //           (with traits: if Traits::is_allocated(r)). If the copy throws, calls the deleter
    //           with r (if it would own it), then the exception goes on.
    // Throws:   what copy-assigning the resource throws.
    template <class RR>
    void reset(RR&& r) {
        reset();
        const bool owns_r = owns_on_construction(r).value;
        if constexpr (std::is_nothrow_assignable_v<stored_resource&, RR>) {
            resource_.value = std::forward<RR>(r);
        } else {
            GODEFER_DETAIL_TRY {
                if constexpr (has_traits) {
                    // Through a copy: one that throws leaves make_default() in place, unowned
                    // (an assignment that failed half-way could look allocated).
                    resource_.value = stored_resource(std::as_const(r));
                } else {
                    resource_.value = std::as_const(r);
                }
            }
            GODEFER_DETAIL_CATCH_ALL {
                if (owns_r)
                    deleter()(r);
                GODEFER_DETAIL_RETHROW;
            }
        }
        if constexpr (!has_traits)
            flag_.owns = owns_r;
    }

    // Effects:  stops owning the resource: the deleter will not be called with it (with traits,
    //           the resource then holds Traits::make_default()).
    void release() noexcept { disown(); }

    // Returns:  whether the resource is owned (Boost.Scope name).
    bool allocated() const noexcept { return owns(); }

    // Returns:  allocated().
    explicit operator bool() const noexcept { return owns(); }

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
    const D& get_deleter() const noexcept {
        if constexpr (std::is_reference_v<D>) {
            return deleter_.value.get();
        } else {
            return deleter_.value;
        }
    }

  private:
    template <class RR, class DD, class S>
    friend unique_resource<std::decay_t<RR>, std::decay_t<DD>> make_unique_resource_checked(
        RR&& r, const S& invalid,
        DD&& d) noexcept(std::is_nothrow_constructible_v<std::decay_t<RR>, RR>&&
                             std::is_nothrow_constructible_v<std::decay_t<DD>, DD>);

    // Stores r and d; owns r if `owns`. On a failure to store, deletes r only if it would own it,
    // and only with a deleter argument that is itself callable with the resource.
    template <class RR, class DD>
    unique_resource(RR&& r, DD&& d,
                    detail::unique_resource_owns owns) noexcept(nothrow_constructible_from<RR, DD>)
        : resource_(std::forward<RR>(r),
                    [&] {
                        using arg = std::remove_reference_t<RR>&;
                        if constexpr (std::is_invocable_v<std::remove_reference_t<DD>&, arg>) {
                            if (owns.value)
                                d(r);
                        }
                    }),
          deleter_(std::forward<DD>(d),
                   [&] {
                       using arg = std::remove_reference_t<R>&;
                       if constexpr (std::is_invocable_v<std::remove_reference_t<DD>&, arg>) {
                           if (owns.value)
                               d(resource());
                       }
                   }),
          flag_(owns.value) {}

    // Whether a new resource r is owned: always without traits, Traits::is_allocated(r) with.
    template <class RR>
    static detail::unique_resource_owns owns_on_construction(const RR& r) noexcept {
        if constexpr (has_traits) {
            return {static_cast<bool>(Traits::is_allocated(r))};
        } else {
            static_cast<void>(r);
            return {true};
        }
    }

    // In the move constructor: whether `other` owned the resource that was moved to `moved`.
    bool owns_moved(const std::remove_reference_t<R>& moved) const noexcept {
        if constexpr (has_traits) {
            return static_cast<bool>(Traits::is_allocated(moved));
        } else {
            static_cast<void>(moved);
            return flag_.owns;
        }
    }

    static stored_resource make_unowned() noexcept(
        std::is_nothrow_default_constructible_v<stored_resource>) {
        if constexpr (has_traits) {
            return Traits::make_default();
        } else {
            return stored_resource();
        }
    }

    bool owns() const noexcept {
        if constexpr (has_traits) {
            return static_cast<bool>(Traits::is_allocated(resource_.value));
        } else {
            return flag_.owns;
        }
    }

    void disown() noexcept {
        if constexpr (has_traits) {
            resource_.value = Traits::make_default();
        } else {
            flag_.owns = false;
        }
    }

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

    std::remove_reference_t<D>& deleter() noexcept {
        if constexpr (std::is_reference_v<D>) {
            return deleter_.value.get();
        } else {
            return deleter_.value;
        }
    }

    detail::box<stored_resource> resource_;
    detail::box<stored_deleter> deleter_;
    detail::unique_resource_flag<!has_traits> flag_;
};

template <class R, class D>
unique_resource(R, D) -> unique_resource<R, D>;

// Returns:  a unique_resource holding r and d that owns r unless r == invalid (then the deleter
//           is never called, not even if the construction fails).
// Example:  auto fd = make_unique_resource_checked(::open(path, O_RDONLY), -1, &::close);
template <class R, class D, class S>
unique_resource<std::decay_t<R>, std::decay_t<D>> make_unique_resource_checked(
    R&& r, const S& invalid,
    D&& d) noexcept(std::is_nothrow_constructible_v<std::decay_t<R>, R>&&
                        std::is_nothrow_constructible_v<std::decay_t<D>, D>) {
    const bool owns = !bool(r == invalid);
    return unique_resource<std::decay_t<R>, std::decay_t<D>>(std::forward<R>(r), std::forward<D>(d),
                                                             detail::unique_resource_owns{owns});
}

}  // namespace godefer

#endif  // GODEFER_UNIQUE_RESOURCE_HPP
