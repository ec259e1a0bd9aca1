// godefer/version.hpp: the version of godefer, for preprocessor checks.
//
//   #include <godefer/version.hpp>
//   #if GODEFER_VERSION >= 200   // 0.2.0 or later
//   ...
//   #endif
//
// GODEFER_VERSION is MAJOR * 10000 + MINOR * 100 + PATCH; GODEFER_VERSION_STRING is
// "MAJOR.MINOR.PATCH". The CMake package reads its version from this file, so the two never
// disagree.
#ifndef GODEFER_VERSION_HPP
#define GODEFER_VERSION_HPP

#define GODEFER_VERSION_MAJOR 0
#define GODEFER_VERSION_MINOR 2
#define GODEFER_VERSION_PATCH 0
#define GODEFER_VERSION \
    (GODEFER_VERSION_MAJOR * 10000 + GODEFER_VERSION_MINOR * 100 + GODEFER_VERSION_PATCH)
#define GODEFER_VERSION_STRING "0.2.0"

#endif  // GODEFER_VERSION_HPP
