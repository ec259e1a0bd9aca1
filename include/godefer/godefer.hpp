// godefer/godefer.hpp: the whole godefer API in one include.
//
//   #include <godefer/godefer.hpp>
//
//   int main() {
//       godefer::scope_exit bye{[] { std::puts("block done"); }};   // block-scoped (RAII)
//       // Function-scoped Go defer/panic/recover: godefer::run, godefer::frame (see README).
//   }
//
// Block-scoped guards: scope_exit, scope_fail, scope_success, unique_resource and the
// GODEFER_SCOPE_* macros. Go's function-scoped defer, panic and recover: the headers listed in
// the second block below.
#ifndef GODEFER_GODEFER_HPP
#define GODEFER_GODEFER_HPP

// --- Block-scoped guards (P0052) ---------------------------------------------------------------
#include "godefer/scope_exit.hpp"
#include "godefer/scope_fail.hpp"
#include "godefer/scope_success.hpp"
#include "godefer/unique_resource.hpp"

// --- Go's defer, panic and recover -------------------------------------------------------------
// (frame.hpp, run.hpp, panic.hpp, ... are added here.)

#endif  // GODEFER_GODEFER_HPP
