// godefer/unique_fd.hpp: a POSIX file descriptor that closes itself.
//
//   #include <godefer/unique_fd.hpp>
//
//   godefer::unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
//   if (!fd) throw std::system_error(errno, std::generic_category(), path);   // -1: not owned
//   read_all(fd.get());                                 // close(fd) at the end of the scope
//
// unique_fd is unique_resource<int, fd_deleter, fd_resource_traits> (Boost.Scope's names): a
// negative descriptor (-1, what open() returns on failure) is unallocated and never closed, so
// no "owns" flag is kept. release() and a move leave -1 behind. POSIX only.
#ifndef GODEFER_UNIQUE_FD_HPP
#define GODEFER_UNIQUE_FD_HPP

#if !defined(__has_include)
#error "godefer/unique_fd.hpp needs a POSIX system (<unistd.h>)."
#elif !__has_include(<unistd.h>)
#error "godefer/unique_fd.hpp needs a POSIX system (<unistd.h>)."
#endif

#include <unistd.h>

#include <godefer/unique_resource.hpp>

namespace godefer {

// The deleter of unique_fd.
struct fd_deleter {
    // Effects:  ::close(fd). Its result is ignored: after close() the descriptor is released
    //           even when it reports an error (on Linux, EINTR included), so retrying could close a
    //           descriptor that another thread has just opened.
    void operator()(int fd) const noexcept { static_cast<void>(::close(fd)); }
};

// The resource traits of unique_fd: -1 is the unallocated value, every negative value is
// unallocated.
struct fd_resource_traits {
    // Returns:  -1.
    static constexpr int make_default() noexcept { return -1; }
    // Returns:  fd >= 0.
    static constexpr bool is_allocated(int fd) noexcept { return fd >= 0; }
};

// A file descriptor owned when it is not negative, closed with ::close.
using unique_fd = unique_resource<int, fd_deleter, fd_resource_traits>;

}  // namespace godefer

#endif  // GODEFER_UNIQUE_FD_HPP
