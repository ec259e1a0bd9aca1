// godefer/scope.hpp: the block-scoped guards, all at once.
//
//   #include <godefer/scope.hpp>
//
//   void apply(Database& db, const Change& change) {
//       db.begin();
//       GODEFER_SCOPE_FAIL { db.rollback(); };        // an exception: the transaction is undone
//       GODEFER_SCOPE_SUCCESS { db.commit(); };       // a normal exit: it is committed
//       GODEFER_SCOPE_EXIT { db.log("apply done"); }; // both: logged (first, as it is last)
//       db.write(change);
//   }
//
//   scope_exit     runs when the block ends, however it ends
//   scope_fail     runs when the block is left by an exception
//   scope_success  runs when the block is left normally
//   unique_resource  owns a handle and its deleter (std::unique_ptr for non-pointers)
//   unique_fd        a POSIX file descriptor (unique_resource with resource traits)
//
// Conditions (<godefer/scope_condition.hpp>): `scope_fail undo{rollback, check_error_code(ec)}`
// runs when `ec` is set at scope exit.
#ifndef GODEFER_SCOPE_HPP
#define GODEFER_SCOPE_HPP

#include <godefer/scope_condition.hpp>
#include <godefer/scope_exit.hpp>
#include <godefer/scope_fail.hpp>
#include <godefer/scope_success.hpp>
#include <godefer/unique_fd.hpp>
#include <godefer/unique_resource.hpp>

#endif  // GODEFER_SCOPE_HPP
