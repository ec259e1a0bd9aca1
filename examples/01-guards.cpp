// 01-guards: block-scoped cleanup with unique_resource, scope_fail, scope_success, scope_exit.
//
// An import writes a batch of rows to a journal file and into a database transaction. The
// journal is owned by unique_resource (closed on every path); the transaction is rolled back by
// scope_fail when the block is left by an exception, and committed by scope_success when it ends
// normally; scope_exit reports the end either way. Guards run in reverse order of declaration.
//
// Go has no block-scoped guards; the same function there (defer + recover):
//
//   f, _ := os.CreateTemp("", "journal"); defer f.Close()
//   defer fmt.Println("import done")
//   tx := db.Begin()
//   defer func() {
//       if r := recover(); r != nil { tx.Rollback(); panic(r) }
//       tx.Commit()
//   }()
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <godefer/scope.hpp>

namespace {

// A toy database with transactions.
class database {
  public:
    void begin() { std::puts("  begin transaction"); }
    void insert(const std::string& row) {
        if (row.empty())
            throw std::invalid_argument("empty row");
        pending_.push_back(row);
        std::printf("  insert %s\n", row.c_str());
    }
    void commit() {
        rows_.insert(rows_.end(), pending_.begin(), pending_.end());
        std::printf("  commit: %zu rows\n", pending_.size());
        pending_.clear();
    }
    void rollback() {
        std::printf("  rollback: %zu pending rows dropped\n", pending_.size());
        pending_.clear();
    }
    std::size_t size() const { return rows_.size(); }

  private:
    std::vector<std::string> rows_;
    std::vector<std::string> pending_;
};

void import(database& db, const std::vector<std::string>& batch, const char* name) {
    std::printf("import %s\n", name);
    auto journal = godefer::make_unique_resource_checked(std::tmpfile(), nullptr, [](std::FILE* f) {
        std::puts("  journal closed");
        std::fclose(f);
    });
    if (journal.get() == nullptr)
        throw std::runtime_error("cannot create the journal");
    GODEFER_SCOPE_EXIT {
        std::printf("  import %s done\n", name);
    };

    db.begin();
    godefer::scope_fail rollback{[&] { db.rollback(); }};
    godefer::scope_success commit{[&] { db.commit(); }};

    for (const std::string& row : batch) {
        std::fprintf(journal.get(), "%s\n", row.c_str());
        db.insert(row);  // throws on an empty row: rollback, done, journal closed
    }
}  // normal end: commit, done, journal closed

}  // namespace

int main() {
    database db;
    import(db, {"alice", "bob"}, "A");
    try {
        import(db, {"carol", "", "dave"}, "B");
    } catch (const std::exception& e) {
        std::printf("caught: %s\n", e.what());
    }
    std::printf("rows in the database: %zu\n", db.size());
}
