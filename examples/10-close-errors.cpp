// 10 — closing several resources in LIFO order when closing can fail: the first close error
// becomes the function's error result, later ones are joined to it, none is lost.
//
//   Go:  func copyRecords(names ...string) (err error) {
//            for _, name := range names {
//                c, err := open(name)
//                if err != nil { return err }            // the ones opened so far still close
//                defer func() { err = errors.Join(err, c.Close()) }()
//            }
//            return work()
//        }
//
// A destructor cannot return an error, and one that throws while an exception unwinds ends the
// program: RAII alone loses close errors. A deferred call can read and set the function's error
// result (a named result, declared before godefer::run and captured by reference), so each close
// joins its error to it. join(nil, e) is e, so the first close error becomes the result when the
// work succeeded; when the work failed, its error stays first.
#include <iostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <godefer/godefer.hpp>

namespace {

// Go's error, reduced to what this example needs: empty is nil; join keeps every message.
class error {
  public:
    error() = default;
    explicit error(std::string message) { messages_.push_back(std::move(message)); }
    explicit operator bool() const { return !messages_.empty(); }

    // errors.Join(a, b): nil parts are dropped, the rest kept in order.
    friend error join(error a, const error& b) {
        a.messages_.insert(a.messages_.end(), b.messages_.begin(), b.messages_.end());
        return a;
    }
    friend std::ostream& operator<<(std::ostream& os, const error& e) {
        if (!e)
            return os << "<nil>";
        for (std::size_t i = 0; i < e.messages_.size(); ++i)
            os << (i ? "\n      " : "") << e.messages_[i];
        return os;
    }

  private:
    std::vector<std::string> messages_;
};

// A simulated connection whose close can fail.
struct connection {
    std::string name;
    std::string close_failure;  // empty: close succeeds

    error close() const {
        std::cout << "  close " << name << (close_failure.empty() ? ": ok" : ": FAILED") << '\n';
        if (close_failure.empty())
            return {};
        return error(name + ": close: " + close_failure);
    }
};

struct scenario {
    std::set<std::string> cannot_open;
    std::vector<std::pair<std::string, std::string>> close_failures;  // name, reason
    std::string work_failure;

    std::string close_failure(const std::string& name) const {
        for (const auto& [n, why] : close_failures)
            if (n == name)
                return why;
        return {};
    }
};

error copy_records(const scenario& s) {
    error err;  // the named result
    godefer::run([&](godefer::frame& f) {
        for (const char* name : {"db", "cache", "log"}) {
            if (s.cannot_open.count(name)) {
                std::cout << "  open  " << name << ": FAILED\n";
                err = error(std::string(name) + ": open: permission denied");
                return;
            }
            std::cout << "  open  " << name << '\n';
            connection c{name, s.close_failure(name)};
            f.defer([&err, c] { err = join(std::move(err), c.close()); });
        }
        std::cout << "  work" << (s.work_failure.empty() ? "" : ": FAILED") << '\n';
        if (!s.work_failure.empty())
            err = error("work: " + s.work_failure);
    });
    return err;
}

void show(const char* title, const scenario& s) {
    std::cout << title << '\n';
    error err = copy_records(s);
    std::cout << "  => " << err << '\n';
}

}  // namespace

int main() {
    show("1. everything succeeds", {});
    show("2. two closes fail: the first one (cache, closed before db) leads, db's is kept",
         {{}, {{"db", "connection reset"}, {"cache", "timeout"}}, ""});
    show("3. the work fails and a close fails: the work's error leads",
         {{}, {{"log", "disk full"}}, "no space left on device"});
    show("4. an open fails: the resources opened so far are still closed",
         {{"log"}, {{"db", "connection reset"}}, ""});
}
