// Coverage of paths that end in abort() or _Exit(): gcov writes its counters at exit(), which
// these skip. In a coverage build (GODEFER_TEST_COVERAGE), a SIGABRT handler writes them first,
// then the process dies of SIGABRT as it would have. Elsewhere this does nothing.
#ifndef GODEFER_TESTS_RELIABILITY_COVERAGE_DUMP_HPP
#define GODEFER_TESTS_RELIABILITY_COVERAGE_DUMP_HPP

#include <csignal>

#if defined(GODEFER_TEST_COVERAGE)
extern "C" void __gcov_dump(void);
#endif

namespace godefer_test {

// Writes the coverage counters now (coverage builds); does nothing elsewhere.
inline void write_coverage() {
#if defined(GODEFER_TEST_COVERAGE)
    __gcov_dump();
#endif
}

inline void dump_coverage_on_abort() {
#if defined(GODEFER_TEST_COVERAGE)
    std::signal(SIGABRT, [](int) {
        __gcov_dump();
        std::signal(SIGABRT, SIG_DFL);
        std::raise(SIGABRT);
    });
#endif
}

}  // namespace godefer_test

#endif  // GODEFER_TESTS_RELIABILITY_COVERAGE_DUMP_HPP
