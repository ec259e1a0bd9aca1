// godefer/godefer.hpp: the whole godefer API in one include.
//
//   #include <godefer/godefer.hpp>
//
//   int main() {
//       godefer::scope_exit bye{[] { std::puts("block done"); }};   // block-scoped (RAII)
//       return godefer::main([](godefer::frame& f) {                 // function-scoped (Go)
//           f.defer([] { std::puts("main's frame ends"); });
//           godefer::panic("boom");             // calls run, report on stderr, exit status 2
//       });
//   }
//
// Block-scoped guards: scope_exit, scope_fail, scope_success (and their conditions),
// unique_resource, unique_fd and the GODEFER_SCOPE_* macros. Go's function-scoped defer, panic
// and recover, and godefer::group: the headers listed in the second block below.
// (<godefer/gtest.hpp>, the GoogleTest assertions, is not included: it needs GoogleTest.)
#ifndef GODEFER_GODEFER_HPP
#define GODEFER_GODEFER_HPP

// --- Block-scoped guards (P0052) ---------------------------------------------------------------
#include <godefer/scope_condition.hpp>
#include <godefer/scope_exit.hpp>
#include <godefer/scope_fail.hpp>
#include <godefer/scope_success.hpp>
#include <godefer/unique_fd.hpp>
#include <godefer/unique_resource.hpp>

// --- Go's defer, panic and recover -------------------------------------------------------------
#include <godefer/frame.hpp>
#include <godefer/go.hpp>
#include <godefer/group.hpp>
#include <godefer/panic.hpp>
#include <godefer/recovery_log.hpp>
#include <godefer/run.hpp>
#include <godefer/version.hpp>

#endif  // GODEFER_GODEFER_HPP
