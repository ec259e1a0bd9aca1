// Model-based test: random programs run by godefer and by a reference model of Go's rules, their
// traces compared event by event.
//
// A program is a tree: `run` frames (nested in bodies and in deferred calls), defers (also in
// loops), prints, panics, foreign C++ exceptions, recover (plain, then repanic, then rethrow of
// the same exception), goexit, and blocks with a local frame. The library runs it with
// godefer::run / frame::defer / panic / recover / goexit. The model interprets the same tree with
// Go's runtime structures (the _panic records of runtime/panic.go): one chain of panic records per
// thread, newest on top; a deferred call that panics supersedes the record its frame was unwinding
// for (aborted, or kept as "[recovered]"); a completed recovery pops the recovered record and the
// superseded ones below it, and resumes a goexit found under them (R23, the current runtime's
// rule); recover only works in the calls of the innermost run frame while it unwinds for a panic
// (docs/go.md); the crash report lists the whole chain, oldest first, goexits left out.
//
// CI runs fixed seeds. GODEFER_MODEL_SEEDS=N (or FIRST-LAST) runs more; GODEFER_MODEL_SEED=S
// runs one and prints its program and trace. A mismatch is shrunk to a minimal program, printed
// with both traces.
#include <gtest/gtest.h>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <godefer/go.hpp>
#include <godefer/run.hpp>

namespace {

// --- Programs -----------------------------------------------------------------------------------

enum class op {
    print,            // emit "p<id>"
    defer,            // defer the call `body` on the frame
    defer_loop,       // for i in [0, count): defer the call `body` with argument i
    local_defer,      // (in a local block) defer a call that prints "l<id>" on the local frame
    panic,            // godefer::panic("v<id>")
    throw_foreign,    // throw foreign_error("x<id>")
    goexit,           // godefer::goexit()
    recover,          // r = recover(); emit it with its aborted() chain
    recover_repanic,  // the same, then r.repanic() if r
    recover_rethrow,  // the same, then std::rethrow_exception(r.exception()) if r
    run,              // godefer::run(body); emit "ret<id>=<result>"
    local_block,      // { godefer::frame local; body }
    catch_block,      // try { body } catch (std::exception& e) { emit "c<id>=<what>" } (swallowed)
};

struct node {
    op kind;
    int id = 0;
    int count = 0;
    std::vector<node> body;
};

struct foreign_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string label(const char* prefix, int id, int index) {
    std::string s = prefix + std::to_string(id);
    if (index >= 0)
        s += "." + std::to_string(index);
    return s;
}

void print_program(std::ostream& os, const std::vector<node>& body, int indent);

void print_node(std::ostream& os, const node& n, int indent) {
    std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
    os << pad;
    switch (n.kind) {
        case op::print:
            os << "print p" << n.id << '\n';
            return;
        case op::local_defer:
            os << "local.defer(print l" << n.id << ")\n";
            return;
        case op::panic:
            os << "panic(\"v" << n.id << "\")\n";
            return;
        case op::throw_foreign:
            os << "throw foreign_error(\"x" << n.id << "\")\n";
            return;
        case op::goexit:
            os << "goexit()\n";
            return;
        case op::recover:
            os << "r" << n.id << " = recover()\n";
            return;
        case op::recover_repanic:
            os << "r" << n.id << " = recover(); if r: r.repanic()\n";
            return;
        case op::recover_rethrow:
            os << "r" << n.id << " = recover(); if r: rethrow_exception(r.exception())\n";
            return;
        case op::defer:
            os << "defer {\n";
            break;
        case op::defer_loop:
            os << "for i < " << n.count << ": defer(i) {\n";
            break;
        case op::run:
            os << "ret" << n.id << " = run {\n";
            break;
        case op::local_block:
            os << "{ frame local;\n";
            break;
        case op::catch_block:
            os << "try {  // catch (std::exception&): c" << n.id << "\n";
            break;
    }
    print_program(os, n.body, indent + 1);
    os << pad << "}\n";
}

void print_program(std::ostream& os, const std::vector<node>& body, int indent) {
    for (const node& n : body) print_node(os, n, indent);
}

std::string program_text(const node& root) {
    std::ostringstream os;
    print_node(os, root, 0);
    return os.str();
}

// --- Random programs ----------------------------------------------------------------------------

class generator {
  public:
    explicit generator(std::uint64_t seed) : rng_(seed) {}

    node program() {
        node root{op::run, next_id_++, 0, {}};
        root.body = frame_body(0);
        return root;
    }

  private:
    static constexpr int kMaxDepth = 4;

    int pick(std::initializer_list<int> weights) {
        int total = 0;
        for (int w : weights) total += w;
        int r = std::uniform_int_distribution<int>(0, total - 1)(rng_);
        int i = 0;
        for (int w : weights) {
            if (r < w)
                return i;
            r -= w;
            ++i;
        }
        return i - 1;
    }
    int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    node leaf(op k) { return node{k, next_id_++, 0, {}}; }

    // The body of a run frame.
    std::vector<node> frame_body(int depth) {
        std::vector<node> out;
        int n = between(2, 6);
        for (int i = 0; i < n; ++i) {
            switch (pick({2, 8, 2, depth < kMaxDepth ? 3 : 0, 1, 1, 1, 1, 1})) {
                case 0:
                    out.push_back(leaf(op::print));
                    break;
                case 1:
                    out.push_back(with_body(op::defer, deferred_call(depth)));
                    break;
                case 2: {
                    node loop = with_body(op::defer_loop, deferred_call(depth));
                    loop.count = between(1, 3);
                    out.push_back(std::move(loop));
                    break;
                }
                case 3:
                    out.push_back(with_body(op::run, frame_body(depth + 1)));
                    break;
                case 4:
                    out.push_back(with_body(op::local_block, local_body(depth)));
                    break;
                case 5:
                    out.push_back(leaf(op::recover));
                    break;  // not in a call: always nil
                case 6:
                    out.push_back(leaf(op::panic));
                    break;
                case 7:
                    out.push_back(leaf(op::throw_foreign));
                    break;
                default:
                    out.push_back(with_body(op::catch_block, deferred_call(depth)));
                    break;
            }
        }
        switch (pick({4, 6, 2, 1})) {  // how the body ends
            case 0:
                break;
            case 1:
                out.push_back(leaf(op::panic));
                break;
            case 2:
                out.push_back(leaf(op::throw_foreign));
                break;
            default:
                out.push_back(leaf(op::goexit));
                break;
        }
        return out;
    }

    // The statements of a deferred call (it has no frame of its own: defers need a nested run).
    std::vector<node> deferred_call(int depth) {
        std::vector<node> out;
        int n = between(1, 3);
        for (int i = 0; i < n; ++i) {
            switch (pick(
                {3, 5, 1, 1, 3, 1, 1, depth < kMaxDepth ? 2 : 0, 1, depth < kMaxDepth ? 1 : 0})) {
                case 0:
                    out.push_back(leaf(op::print));
                    break;
                case 1:
                    out.push_back(leaf(op::recover));
                    break;
                case 2:
                    out.push_back(leaf(op::recover_repanic));
                    break;
                case 3:
                    out.push_back(leaf(op::recover_rethrow));
                    break;
                case 4:
                    out.push_back(leaf(op::panic));
                    break;
                case 5:
                    out.push_back(leaf(op::throw_foreign));
                    break;
                case 6:
                    out.push_back(leaf(op::goexit));
                    break;
                case 7:
                    out.push_back(with_body(op::run, frame_body(depth + 1)));
                    break;
                case 8:
                    out.push_back(with_body(op::local_block, local_body(depth)));
                    break;
                default:
                    out.push_back(with_body(op::catch_block, deferred_call(depth + 1)));
                    break;
            }
        }
        return out;
    }

    // A block with a local frame: its calls only print (a call that throws while an exception
    // unwinds ends a local frame in std::terminate, by design: docs/go.md).
    std::vector<node> local_body(int depth) {
        std::vector<node> out;
        int n = between(1, 4);
        for (int i = 0; i < n; ++i) {
            switch (pick({2, 4, 1, 1, 1, depth < kMaxDepth ? 1 : 0})) {
                case 0:
                    out.push_back(leaf(op::print));
                    break;
                case 1:
                    out.push_back(leaf(op::local_defer));
                    break;
                case 2:
                    out.push_back(leaf(op::recover));
                    break;
                case 3:
                    out.push_back(leaf(op::panic));
                    break;
                case 4:
                    out.push_back(leaf(op::throw_foreign));
                    break;
                default:
                    out.push_back(with_body(op::run, frame_body(depth + 1)));
                    break;
            }
        }
        return out;
    }

    node with_body(op k, std::vector<node> body) {
        node n = leaf(k);
        n.body = std::move(body);
        return n;
    }

    std::mt19937_64 rng_;
    int next_id_ = 0;
};

// --- The library --------------------------------------------------------------------------------

using trace_t = std::vector<std::string>;

std::string recover_event(int id, const godefer::panic_value& r) {
    std::string s = "r" + std::to_string(id) + "=";
    if (!r)
        return s + "nil";
    s += r.message();
    for (godefer::panic_value a = r.aborted(); a; a = a.aborted()) s += "<" + a.message();
    return s;
}

class library_run {
  public:
    trace_t operator()(const node& root) {
        trace_.clear();
        const unsigned long entry_epoch = godefer::detail::t_context.epoch;
        try {
            int v = run_node(root);
            trace_.push_back("ret" + std::to_string(root.id) + "=" + std::to_string(v));
        } catch (const godefer::goexit_signal&) {
            trace_.push_back("goexit");
        } catch (...) {
            std::string kind = "?";
            try {
                throw;
            } catch (const godefer::panic_error&) {
                kind = "panic";
            } catch (const foreign_error&) {
                kind = "foreign";
            } catch (...) {
            }
            auto rec = godefer::detail::handled_entry(entry_epoch);
            trace_.push_back("crash " + kind + ": " + godefer::detail::panic_lines(*rec));
        }
        return trace_;
    }

  private:
    int run_node(const node& n) {
        return godefer::run([this, &n](godefer::frame& f) -> int {
            exec(n.body, &f, -1);
            return n.id;
        });
    }

    void exec(const std::vector<node>& body, godefer::frame* f, int index) {
        for (const node& s : body) {
            switch (s.kind) {
                case op::print:
                    trace_.push_back(label("p", s.id, index));
                    break;
                case op::defer:
                    f->defer([this, &s](int i) { exec(s.body, nullptr, i); }, -1);
                    break;
                case op::defer_loop:
                    for (int i = 0; i < s.count; ++i)
                        f->defer([this, &s](int arg) { exec(s.body, nullptr, arg); }, i);
                    break;
                case op::local_defer:
                    f->defer([this, &s] { trace_.push_back(label("l", s.id, -1)); });
                    break;
                case op::panic:
                    godefer::panic(label("v", s.id, index));
                case op::throw_foreign:
                    throw foreign_error(label("x", s.id, index));
                case op::goexit:
                    godefer::goexit();
                case op::recover:
                    trace_.push_back(recover_event(s.id, godefer::recover()));
                    break;
                case op::recover_repanic: {
                    godefer::panic_value r = godefer::recover();
                    trace_.push_back(recover_event(s.id, r));
                    if (r)
                        r.repanic();
                    break;
                }
                case op::recover_rethrow: {
                    godefer::panic_value r = godefer::recover();
                    trace_.push_back(recover_event(s.id, r));
                    if (r)
                        std::rethrow_exception(r.exception());
                    break;
                }
                case op::run: {
                    int v = run_node(s);
                    trace_.push_back("ret" + std::to_string(s.id) + "=" + std::to_string(v));
                    break;
                }
                case op::local_block: {
                    godefer::frame local;
                    exec(s.body, &local, index);
                    break;
                }
                case op::catch_block:
                    try {
                        exec(s.body, nullptr, index);
                    } catch (const godefer::goexit_signal&) {
                        throw;
                    } catch (const std::exception& e) {
                        trace_.push_back("c" + std::to_string(s.id) + "=" + e.what());
                    }
                    break;
            }
        }
    }

    trace_t trace_;
};

// --- The model ----------------------------------------------------------------------------------

class model_run {
  public:
    trace_t operator()(const node& root) {
        trace_.clear();
        chain_.clear();
        records_.clear();
        frames_.clear();
        int result = 0;
        if (record* r = run_frame(root, result)) {
            if (r->goexit) {
                trace_.push_back("goexit");
            } else {
                // The report: every record on the chain, oldest first; goexits are not listed.
                std::string lines;
                for (const record* p : chain_) {
                    if (p->goexit)
                        continue;
                    if (!lines.empty())
                        lines += '\t';
                    lines += "panic: " + p->value + (p->recovered ? " [recovered]" : "") + "\n";
                }
                trace_.push_back(std::string("crash ") + (r->foreign ? "foreign" : "panic") + ": " +
                                 lines);
            }
        } else {
            trace_.push_back("ret" + std::to_string(root.id) + "=" + std::to_string(result));
        }
        return trace_;
    }

  private:
    struct record {
        bool goexit = false;
        std::string value;
        bool foreign = false;
        bool recovered = false;
        // A later panic or goexit left a deferred call that this record's unwinding had
        // started: it no longer unwinds (Go's "aborted"; a recovered one keeps "[recovered]").
        bool superseded = false;
    };
    struct run_frame_state {
        bool unwinding_calls = false;  // running its deferred calls
        record* reason = nullptr;      // why: null (normal return), a panic or a goexit
    };
    struct pending_call {
        const node* call;
        int index;
    };

    record* raise(bool goexit, std::string value, bool foreign) {
        records_.push_back(std::make_unique<record>());
        record* r = records_.back().get();
        r->goexit = goexit;
        r->value = std::move(value);
        r->foreign = foreign;
        chain_.push_back(r);
        return r;
    }

    // Go's gorecover: the reason of the innermost run frame that runs its calls. Frames still in
    // their body do not count: the body of a run started by a deferred call recovers the panic
    // of the frame that runs that call; a frame whose calls run after a normal return has no
    // reason, so code running as its calls recovers nothing.
    record* recover(int id) {
        record* r = nullptr;
        for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
            run_frame_state* f = *it;
            if (!f->unwinding_calls)
                continue;
            if (f->reason && !f->reason->goexit && !f->reason->recovered)
                r = f->reason;
            break;
        }
        std::string ev = "r" + std::to_string(id) + "=";
        if (r == nullptr) {
            trace_.push_back(ev + "nil");
            return nullptr;
        }
        EXPECT_EQ(chain_.back(), r) << "model: the recovered panic is not on top of the chain";
        r->recovered = true;
        ev += r->value;
        // aborted(): the panics this one superseded, newest first (goexits skipped).
        for (auto it = chain_.rbegin() + 1; it != chain_.rend() && (*it)->superseded; ++it)
            if (!(*it)->goexit)
                ev += "<" + (*it)->value;
        trace_.push_back(ev);
        return r;
    }

    // Runs statements; returns the record that unwinds out of them, or null.
    record* exec(const std::vector<node>& body, std::vector<pending_call>* calls, int index) {
        for (const node& s : body) {
            switch (s.kind) {
                case op::print:
                    trace_.push_back(label("p", s.id, index));
                    break;
                case op::defer:
                    calls->push_back({&s, -1});
                    break;
                case op::defer_loop:
                    for (int i = 0; i < s.count; ++i) calls->push_back({&s, i});
                    break;
                case op::local_defer:
                    calls->push_back({&s, -1});
                    break;
                case op::panic:
                    return raise(false, label("v", s.id, index), false);
                case op::throw_foreign:
                    return raise(false, label("x", s.id, index), true);
                case op::goexit:
                    return raise(true, "", false);
                case op::recover:
                    recover(s.id);
                    break;
                case op::recover_repanic:
                case op::recover_rethrow:
                    // Go's panic(r): a new record with the same value.
                    if (record* r = recover(s.id))
                        return raise(false, r->value, r->foreign);
                    break;
                case op::run: {
                    int v = 0;
                    if (record* r = run_frame(s, v))
                        return r;
                    trace_.push_back("ret" + std::to_string(s.id) + "=" + std::to_string(v));
                    break;
                }
                case op::local_block: {
                    std::vector<pending_call> local;
                    record* r = exec(s.body, &local, index);
                    // The local frame's calls (prints only) run however the block is left.
                    for (auto it = local.rbegin(); it != local.rend(); ++it)
                        trace_.push_back(label("l", it->call->id, -1));
                    if (r)
                        return r;
                    break;
                }
                case op::catch_block: {
                    record* r = exec(s.body, nullptr, index);
                    if (r == nullptr)
                        break;
                    if (r->goexit)
                        return r;
                    // C++ can do what Go cannot: the panic is caught and gone, with the records
                    // it superseded (it never shows in a later report: Go's R35).
                    trace_.push_back("c" + std::to_string(s.id) + "=" + r->value);
                    EXPECT_EQ(chain_.back(), r) << "model: the caught panic is not on top";
                    chain_.pop_back();
                    while (!chain_.empty() && chain_.back()->superseded) chain_.pop_back();
                    break;
                }
            }
        }
        return nullptr;
    }

    // A run frame: the body, then the deferred calls newest first with Go's rules. Returns the
    // record that unwinds out of the frame, or null with `result` set.
    record* run_frame(const node& n, int& result) {
        run_frame_state state;
        frames_.push_back(&state);
        std::vector<pending_call> calls;
        record* reason = exec(n.body, &calls, -1);
        const bool returned = reason == nullptr;
        state.unwinding_calls = true;
        while (!calls.empty()) {
            pending_call c = calls.back();
            calls.pop_back();  // taken off before it runs: it runs at most once
            state.reason = reason;
            record* out = exec(c.call->body, nullptr, c.index);
            if (out != nullptr) {
                // The call panicked (or called goexit): the new record replaces the reason,
                // which stays on the chain (R16-R18, R21, R25). The remaining calls still run.
                if (reason)
                    reason->superseded = true;
                reason = out;
            } else if (reason && reason->recovered) {
                // The recovery completes: the record and the ones it superseded go away (R14,
                // R16); a goexit found under them resumes (R23); else the frame returns.
                EXPECT_EQ(chain_.back(), reason) << "model: the recovered panic left the top";
                chain_.pop_back();
                while (!chain_.empty() && chain_.back()->superseded && !chain_.back()->goexit)
                    chain_.pop_back();
                reason = nullptr;
                if (!chain_.empty() && chain_.back()->superseded && chain_.back()->goexit) {
                    reason = chain_.back();
                    reason->superseded = false;
                }
            }
        }
        frames_.pop_back();
        if (reason)
            return reason;
        result = returned ? n.id : 0;  // after a recovery: the body's result if it had returned
        return nullptr;
    }

    trace_t trace_;
    std::vector<record*> chain_;  // oldest first
    std::vector<std::unique_ptr<record>> records_;
    std::vector<run_frame_state*> frames_;
};

// --- Comparing, shrinking -----------------------------------------------------------------------

std::string trace_text(const trace_t& t) {
    std::string s;
    for (const std::string& e : t) {
        std::string shown;
        for (char c : e)
            shown += c == '\n'   ? std::string("\\n")
                     : c == '\t' ? std::string("\\t")
                                 : std::string(1, c);
        s += "  " + shown + "\n";
    }
    return s;
}

bool disagree(const node& p) {
    return library_run{}(p) != model_run{}(p);
}

// Every statement list of the tree, to try removing one statement at a time.
void lists(node& n, std::vector<std::vector<node>*>& out) {
    out.push_back(&n.body);
    for (node& c : n.body) lists(c, out);
}

// Can the library run this tree? Defers only where a frame is (a run body, a local block),
// local defers only in local blocks.
bool well_formed(const node& n, bool in_run_body, bool in_local = false) {
    for (const node& c : n.body) {
        bool ok = true;
        switch (c.kind) {
            case op::defer:
            case op::defer_loop:
                ok = (in_run_body && !in_local) && well_formed(c, false);
                break;
            case op::local_defer:
                ok = in_local;
                break;
            case op::run:
                ok = well_formed(c, true);
                break;
            case op::local_block:
                ok = well_formed(c, false, true);
                break;
            case op::catch_block:
                ok = well_formed(c, false);
                break;
            default:
                break;
        }
        if (!ok)
            return false;
    }
    return true;
}

// Greedy shrinking: remove statements (and lower loop counts) while the disagreement stays.
node shrink(node p) {
    bool progress = true;
    while (progress) {
        progress = false;
        std::vector<std::vector<node>*> ls;
        lists(p, ls);
        for (std::size_t li = 0; li < ls.size() && !progress; ++li) {
            for (std::size_t i = 0; i < ls[li]->size() && !progress; ++i) {
                const node& candidate = p;
                // Try: a loop of one; the statement removed; the statement replaced by its body.
                for (int how = 0; how < 3 && !progress; ++how) {
                    node c = candidate;
                    std::vector<std::vector<node>*> cl2;
                    lists(c, cl2);
                    std::vector<node>& l2 = *cl2[li];
                    auto at = l2.begin() + static_cast<std::ptrdiff_t>(i);
                    if (how == 0) {
                        if (at->kind != op::defer_loop || at->count == 1)
                            continue;
                        at->count = 1;
                    } else if (how == 1) {
                        l2.erase(at);
                    } else {
                        if (at->body.empty())
                            continue;
                        std::vector<node> inner = std::move(at->body);
                        at = l2.erase(at);
                        l2.insert(at, inner.begin(), inner.end());
                    }
                    if (well_formed(c, true) && disagree(c)) {
                        p = std::move(c);
                        progress = true;
                    }
                }
            }
        }
    }
    return p;
}

// Runs a program both ways; on a disagreement, reports the shrunk program and both traces.
bool check_program(const node& p, std::uint64_t seed) {
    trace_t lib = library_run{}(p);
    trace_t mod = model_run{}(p);
    if (lib == mod)
        return true;
    node small = shrink(p);
    ADD_FAILURE() << "seed " << seed << ": godefer and the model disagree.\nMinimal program:\n"
                  << program_text(small) << "model (expected):\n"
                  << trace_text(model_run{}(small)) << "godefer (actual):\n"
                  << trace_text(library_run{}(small)) << "\nOriginal program:\n"
                  << program_text(p);
    return false;
}

struct seed_range {
    std::uint64_t first, last;
};

seed_range seeds_to_run() {
#if defined(GODEFER_RELIABILITY_FULL)
    seed_range r{1, 100000};
#else
    seed_range r{1, 400};
#endif
    if (const char* s = std::getenv("GODEFER_MODEL_SEEDS")) {
        std::string v = s;
        auto dash = v.find('-');
        if (dash == std::string::npos) {
            r = {1, std::stoull(v)};
        } else {
            r = {std::stoull(v.substr(0, dash)), std::stoull(v.substr(dash + 1))};
        }
    }
    return r;
}

class ModelTest : public testing::Test {
  protected:
    void SetUp() override { capture_ = godefer::set_stacktrace_capture(false); }
    void TearDown() override { godefer::set_stacktrace_capture(capture_); }
    bool capture_ = true;
};

// --- The model against Go: fixed programs with the outputs Go gave ------------------------

node stmt(op k, int id, std::vector<node> body = {}, int count = 0) {
    return node{k, id, count, std::move(body)};
}
node defer_call(std::vector<node> body) {
    return stmt(op::defer, 0, std::move(body));
}

TEST_F(ModelTest, ModelFollowsTheRules) {
    struct rule_case {
        const char* rule;
        node program;
        trace_t expected;
    };
    const std::vector<rule_case> rules = {
        // R14: after a recover, the remaining calls run and the frame returns normally.
        {"R14",
         stmt(op::run, 0,
              {defer_call({stmt(op::print, 1)}), defer_call({stmt(op::recover, 2)}),
               defer_call({stmt(op::print, 3)}), stmt(op::panic, 4)}),
         {"p3", "r2=v4", "p1", "ret0=0"}},
        // R16: a panic in a call replaces the one in flight; the outer frame recovers B; A is gone.
        {"R16",
         stmt(op::run, 0,
              {defer_call({stmt(op::recover, 1)}), defer_call({stmt(op::recover, 2)}),
               stmt(op::run, 3,
                    {defer_call({stmt(op::print, 4)}), defer_call({stmt(op::panic, 5)}),
                     stmt(op::panic, 6)})}),
         {"p4", "r2=v5<v6", "r1=nil", "ret0=0"}},
        // R17: unrecovered, both panics are reported, oldest first.
        {"R17",
         stmt(op::run, 0,
              {defer_call({stmt(op::print, 1)}), defer_call({stmt(op::panic, 2)}),
               stmt(op::panic, 3)}),
         {"p1", "crash panic: panic: v3\n\tpanic: v2\n"}},
        // R18: recover A, then panic B in the same call: A is shown as [recovered].
        {"R18",
         stmt(op::run, 0,
              {defer_call({stmt(op::recover, 1), stmt(op::panic, 2)}), stmt(op::panic, 3)}),
         {"r1=v3", "crash panic: panic: v3 [recovered]\n\tpanic: v2\n"}},
        // R19b: re-panic after recover, unrecovered.
        {"R19b",
         stmt(op::run, 0, {defer_call({stmt(op::recover_repanic, 1)}), stmt(op::panic, 2)}),
         {"r1=v2", "crash panic: panic: v2 [recovered]\n\tpanic: v2\n"}},
        // R20: a panic raised and recovered inside a call leaves the first one in flight; a call
        // of a nested frame that is not panicking cannot recover.
        {"R20",
         stmt(op::run, 0,
              {defer_call({stmt(op::recover, 1)}),
               defer_call(
                   {stmt(op::run, 2, {defer_call({stmt(op::recover, 3)}), stmt(op::panic, 4)})}),
               defer_call({stmt(op::run, 5, {defer_call({stmt(op::recover, 6)})})}),
               stmt(op::panic, 7)}),
         {"r6=nil", "ret5=5", "r3=v4", "ret2=0", "r1=v7", "ret0=0"}},
        // R21: a panic during a normal return; an older call recovers it; the result survives.
        {"R21",
         stmt(op::run, 9, {defer_call({stmt(op::recover, 1)}), defer_call({stmt(op::panic, 2)})}),
         {"r1=v2", "ret9=9"}},
        // R22 + R23: goexit runs every call, recover is nil; a recovered panic does not cancel it.
        {"R23",
         stmt(op::run, 0,
              {defer_call({stmt(op::print, 1)}),
               stmt(op::run, 2,
                    {defer_call({stmt(op::recover, 3)}), defer_call({stmt(op::panic, 4)}),
                     defer_call({stmt(op::recover, 5)}), stmt(op::goexit, 6)}),
               stmt(op::print, 7)}),
         {"r5=nil", "r3=v4", "p1", "goexit"}},
        // R24: an unrecovered panic during goexit crashes; the goexit is not listed.
        {"R24",
         stmt(op::run, 0, {defer_call({stmt(op::panic, 1)}), stmt(op::goexit, 2)}),
         {"crash panic: panic: v1\n"}},
        // R25: goexit in a call while panicking cancels the panic; recover is nil after it.
        {"R25",
         stmt(op::run, 0,
              {defer_call({stmt(op::print, 1)}), defer_call({stmt(op::recover, 2)}),
               defer_call({stmt(op::goexit, 3)}), stmt(op::panic, 4)}),
         {"r2=nil", "p1", "goexit"}},
        // R35: panics fully handled earlier do not appear in a later crash report.
        {"R35",
         stmt(op::run, 0,
              {defer_call({stmt(op::panic, 1)}), defer_call({stmt(op::recover, 2)}),
               stmt(op::run, 3,
                    {defer_call({stmt(op::panic, 4)}), defer_call({stmt(op::recover, 5)}),
                     stmt(op::panic, 6)})}),
         {"r5=v6", "r2=v4", "crash panic: panic: v1\n"}},
        // Loops: calls deferred in a loop accumulate and take their argument at defer time.
        {"R3",
         stmt(op::run, 0, {stmt(op::defer_loop, 1, {stmt(op::print, 2)}, 3), stmt(op::print, 3)}),
         {"p3", "p2.2", "p2.1", "p2.0", "ret0=0"}},
    };
    for (const rule_case& c : rules) {
        EXPECT_EQ(trace_text(model_run{}(c.program)), trace_text(c.expected))
            << c.rule << ": the model does not follow the rule\n"
            << program_text(c.program);
        check_program(c.program, 0);
    }
}

TEST_F(ModelTest, RandomProgramsAgreeWithTheModel) {
    seed_range r = seeds_to_run();
    if (const char* one = std::getenv("GODEFER_MODEL_SEED")) {
        std::uint64_t seed = std::stoull(one);
        node p = generator(seed).program();
        std::cout << "seed " << seed << ":\n"
                  << program_text(p) << "trace:\n"
                  << trace_text(library_run{}(p));
        check_program(p, seed);
        return;
    }
    long programs = 0;
    long events = 0;
    long recovers = 0;
    long disagreements = 0;
    std::map<std::string, long> outcomes;
    for (std::uint64_t seed = r.first; seed <= r.last; ++seed) {
        node p = generator(seed).program();
        trace_t t = model_run{}(p);
        events += static_cast<long>(t.size());
        for (const std::string& e : t)
            if (e[0] == 'r' && e.find("=nil") == std::string::npos && e.rfind("ret", 0) != 0)
                ++recovers;
        ++outcomes[t.back().substr(0, t.back().find_first_of("=:"))];
        ++programs;
        if (!check_program(p, seed) && ++disagreements >= 3)
            break;  // enough to read
    }
    std::cout << "[model] " << programs << " random programs (seeds " << r.first << "-" << r.last
              << "), " << events << " events compared (" << recovers << " successful recovers), "
              << disagreements << " disagreements; outcomes:";
    for (const auto& [k, v] : outcomes) std::cout << ' ' << k << '=' << v;
    std::cout << '\n';
    RecordProperty("model_programs", static_cast<int>(programs));
    RecordProperty("model_events", static_cast<int>(events));
}

}  // namespace
