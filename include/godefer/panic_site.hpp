// godefer/panic_site.hpp: kept so that code written for godefer 0.1 still compiles; the types it
// named live in <godefer/panic.hpp> now, which this header includes. New code includes that header.
//
//   #include <godefer/panic.hpp>
#ifndef GODEFER_PANIC_SITE_HPP
#define GODEFER_PANIC_SITE_HPP

#include <godefer/panic.hpp>

#endif  // GODEFER_PANIC_SITE_HPP
