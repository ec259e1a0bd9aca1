// A shared library holding one copy of the bodies of bench/tls_bodies.hpp, for the TLS
// measurement (bench/callgrind_tls.cpp). bench/CMakeLists.txt builds it several times (-fPIC,
// -fvisibility=hidden, with and without -mtls-dialect=gnu2, linked or loaded with dlopen), each
// with its own GODEFER_TLS_PREFIX, so that the copies can live in one process.
#define GODEFER_TLS_CAT2(a, b) a##b
#define GODEFER_TLS_CAT(a, b) GODEFER_TLS_CAT2(a, b)
#define GODEFER_TLS_NAME(name) GODEFER_TLS_CAT(GODEFER_TLS_PREFIX, name)
#include "tls_bodies.hpp"
