// Fault injection: the k-th allocation fails, for every k; the k-th copy or move of a callable or
// an argument throws, for every k. Guards, local frames (inline and spilled to the heap) and
// nested run frames with panics. Each time:
//   - every cleanup that was registered ran exactly once, in LIFO order (per frame / scope);
//   - a cleanup whose storage failed ran at once (scope_success: not at all), before the others;
//   - the error surfaced: it left the scope, or it is on the chain of the panic recover() saw;
//   - nothing leaked: the allocations made during the case were all freed (LeakSanitizer too,
//     in the asan preset).
// This executable replaces the global operator new: it has no other tests.
#include <gtest/gtest.h>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include <godefer/go.hpp>
#include <godefer/run.hpp>
#include <godefer/scope.hpp>
#include <godefer/unique_resource.hpp>

// --- The faults ---------------------------------------------------------------------------------

namespace fault {
long alloc_countdown = -1;  // the allocation that fails when this reaches 0; negative: none
long op_countdown = -1;     // the copy/move of a `brittle` that throws when this reaches 0
long fired = 0;             // faults injected (that is, that fired)
long live = 0;              // allocations not yet freed
long ops = 0;               // copies and moves of `brittle` parts that did not throw
}  // namespace fault

// The replacement pair allocates with malloc and frees with free; GCC cannot see that they match.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
    if (fault::alloc_countdown >= 0 && fault::alloc_countdown-- == 0) {
        ++fault::fired;
        throw std::bad_alloc();
    }
    void* p = std::malloc(n ? n : 1);
    if (p == nullptr)
        throw std::bad_alloc();
    ++fault::live;
    return p;
}
void* operator new[](std::size_t n) {
    return ::operator new(n);
}
void operator delete(void* p) noexcept {
    if (p != nullptr)
        --fault::live;
    std::free(p);
}
void operator delete[](void* p) noexcept {
    ::operator delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
    ::operator delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    ::operator delete(p);
}

namespace {

using godefer::frame;

struct injected_copy_error : std::exception {
    const char* what() const noexcept override { return "injected copy failure"; }
};

// A part whose copies and moves throw when the global countdown says so.
struct brittle {
    brittle() noexcept = default;
    brittle(const brittle&) { tick(); }
    brittle(brittle&&) { tick(); }  // NOLINT: may throw on purpose
    brittle& operator=(const brittle&) {
        tick();
        return *this;
    }
    brittle& operator=(brittle&&) {  // NOLINT
        tick();
        return *this;
    }
    static void tick() {
        if (fault::op_countdown >= 0 && fault::op_countdown-- == 0) {
            ++fault::fired;
            throw injected_copy_error();
        }
        ++fault::ops;
    }
};

// The case is over: the test's own checks must not meet a fault.
void disarm() {
    fault::alloc_countdown = -1;
    fault::op_countdown = -1;
}

// --- The journal: what was attempted, registered and run, in order; no allocation --------------

enum class ev : unsigned char { attempt, attempt_move, reg, ran };

struct entry {
    ev what;
    int scope;
    int id;
};

struct journal {
    static constexpr int kMax = 1 << 14;
    entry log[kMax];
    int n = 0;
    void add(ev what, int scope, int id) {
        if (n < kMax)
            log[n++] = {what, scope, id};
    }
};

journal* J = nullptr;

void ran(int scope, int id) {
    J->add(ev::ran, scope, id);
}

long g_cleanups_verified = 0;

// Checks the frames' rule on the journal: per scope, the registered calls ran exactly once in
// reverse order of registration; a failed attempt ran at once (right after its attempt) if
// `at_once_runs`; nothing else ran. Returns the number of runs verified.
int verify_frames(const journal& j, int scopes) {
    int verified = 0;
    for (int s = 0; s < scopes; ++s) {
        int registered[journal::kMax];
        int nreg = 0;
        int runs[journal::kMax];
        int nruns = 0;
        int failed_attempt = -1;
        for (int i = 0; i < j.n; ++i) {
            const entry& e = j.log[i];
            if (e.scope != s)
                continue;
            switch (e.what) {
                case ev::attempt:
                    failed_attempt = e.id;  // until registered
                    break;
                case ev::attempt_move:
                    break;
                case ev::reg:
                    registered[nreg++] = e.id;
                    failed_attempt = -1;
                    break;
                case ev::ran:
                    if (failed_attempt == e.id) {
                        // The call whose storage failed ran at once: right after its attempt.
                        EXPECT_TRUE(i > 0 && j.log[i - 1].what == ev::attempt &&
                                    j.log[i - 1].id == e.id)
                            << "scope " << s << ": call " << e.id << " did not run at once";
                        failed_attempt = -2;  // ran
                        ++verified;
                    } else {
                        runs[nruns++] = e.id;
                    }
                    break;
            }
        }
        EXPECT_NE(failed_attempt, 0)
            << "scope " << s << ": a call whose storage failed did not run";
        EXPECT_LT(failed_attempt, 0)
            << "scope " << s << ": call " << failed_attempt << " whose storage failed did not run";
        EXPECT_EQ(nruns, nreg) << "scope " << s << ": registered calls and runs differ";
        for (int i = 0; i < nruns && i < nreg; ++i)
            EXPECT_EQ(runs[i], registered[nreg - 1 - i]) << "scope " << s << ": not LIFO at " << i;
        verified += nruns;
    }
    return verified;
}

// Forget the records the thread keeps for the report (a weak reference keeps the storage of the
// last one alive): what remains allocated after a case is then a leak.
// The thread's spare entry (kept on purpose, for out of memory) is made before each case and
// again after it: its making never meets a fault, and a spare used by the case is replaced.
void forget_thread_records() {
    godefer::detail::this_thread_state().last_raised.reset();
    godefer::detail::this_thread_state().pass.clear();
    godefer::detail::refill_spare();
}

// Is an error of the injected kind on this panic's chain?
template <class E>
bool chain_has(const godefer::panic_value& r) {
    for (godefer::panic_value a = r; a; a = a.aborted())
        if (a.get_if<E>() != nullptr)
            return true;
    return false;
}

// --- The sweep ----------------------------------------------------------------------------------

enum class fault_kind { allocation, copy };

struct sweep_result {
    long faults = 0;
    long cleanups = 0;
};

// Runs `scenario(outcome)` with the k-th fault armed, for k = 0, 1, ... until a run completes
// without a fault firing. The scenario returns whether the error surfaced (when a fault fired)
// and checks its own journal.
template <class Scenario>
sweep_result sweep(const char* name, fault_kind kind, Scenario scenario) {
    const bool capture = godefer::set_stacktrace_capture(false);
    sweep_result total;
    for (long k = 0;; ++k) {
        journal* j = new journal;
        J = j;
        forget_thread_records();
        const long live_before = fault::live;
        const long fired_before = fault::fired;
        const unsigned long spares_before = godefer::detail::this_thread_state().spares_used;
        (kind == fault_kind::allocation ? fault::alloc_countdown : fault::op_countdown) = k;
        bool surfaced = false;
        int verified = scenario(surfaced);
        fault::alloc_countdown = -1;
        fault::op_countdown = -1;
        // The failed allocation was that of a panic's entry, and the thread's spare entry stood
        // for it: the fault is absorbed (the scenario then checked that the chain is exactly the
        // one without a fault).
        const bool absorbed_by_spare =
            godefer::detail::this_thread_state().spares_used != spares_before;
        forget_thread_records();
        const bool fired = fault::fired != fired_before;
        EXPECT_EQ(fault::live, live_before) << name << ", fault " << k << ": leaked "
                                            << fault::live - live_before << " allocations";
        if (fired) {
            EXPECT_TRUE(surfaced || absorbed_by_spare)
                << name << ", fault " << k << ": the error was lost";
        }
        total.cleanups += verified;
        J = nullptr;
        delete j;
        if (testing::Test::HasFailure()) {
            ADD_FAILURE() << name << ": stopped at fault " << k;
            break;
        }
        if (!fired)
            break;  // past the last allocation / copy: the sweep is complete
        ++total.faults;
    }
    godefer::set_stacktrace_capture(capture);
    g_cleanups_verified += total.cleanups;
    std::cout << "[faults] " << name << ": " << total.faults << " faults injected, "
              << total.cleanups << " cleanups verified\n";
    testing::Test::RecordProperty("faults_injected", static_cast<int>(total.faults));
    testing::Test::RecordProperty("cleanups_verified", static_cast<int>(total.cleanups));
    return total;
}

// --- Guards -------------------------------------------------------------------------------------

// What can be stored in a guard: for the allocation sweep, std::function with a capture too big
// for its small buffer and long strings; for the copy sweep, parts that are `brittle`.
struct alloc_parts {
    using action = std::function<void()>;
    struct resource {
        int id;
        std::string text = std::string(64, 'r');  // its copy allocates
        bool operator==(const resource& o) const { return id == o.id; }
    };
    using deleter = std::function<void(const resource&)>;
    static action make_action(int scope, int id) {
        std::string pad(64, 'a');
        return [scope, id, pad] { ran(scope, id); };
    }
    static deleter make_deleter(int scope) {
        std::string pad(64, 'd');
        return [scope, pad](const resource& r) { ran(scope, r.id); };
    }
};

struct copy_parts {
    struct action {
        brittle part;
        int scope, id;
        void operator()() const { ran(scope, id); }
    };
    struct resource {
        int id;
        brittle part{};
        bool operator==(const resource& o) const { return id == o.id; }
    };
    struct deleter {
        brittle part;
        int scope;
        void operator()(const resource& r) const { ran(scope, r.id); }
    };
    static action make_action(int scope, int id) { return {{}, scope, id}; }
    static deleter make_deleter(int scope) { return {{}, scope}; }
};

enum class guard_kind : unsigned char { exit, fail, success, resource };

// Declares guards of every kind (lvalue and rvalue callables, moves of guards and resources) and
// checks, whatever failed, which actions ran and in which order.
template <class Parts>
int guard_scenario(bool& surfaced) {
    using action = typename Parts::action;
    constexpr int S = 0;
    guard_kind kinds[16] = {};
    bool fault_left = false;
    // The callables and resources are made here, so that their own allocations and copies are
    // swept too; each is made before its attempt is recorded.
    try {
        action a0 = Parts::make_action(S, 0);
        J->add(ev::attempt, S, 0);
        kinds[0] = guard_kind::exit;
        godefer::scope_exit g0{a0};
        J->add(ev::reg, S, 0);

        action a1 = Parts::make_action(S, 1);
        J->add(ev::attempt, S, 1);
        kinds[1] = guard_kind::fail;
        godefer::scope_fail g1{a1};
        J->add(ev::reg, S, 1);

        action a2 = Parts::make_action(S, 2);
        J->add(ev::attempt, S, 2);
        kinds[2] = guard_kind::success;
        godefer::scope_success g2{a2};
        J->add(ev::reg, S, 2);

        typename Parts::resource r3{3};
        typename Parts::deleter d3 = Parts::make_deleter(S);
        J->add(ev::attempt, S, 3);
        kinds[3] = guard_kind::resource;
        godefer::unique_resource u3{r3, d3};
        J->add(ev::reg, S, 3);

        J->add(ev::attempt_move, S, 0);
        godefer::scope_exit g4{std::move(g0)};
        J->add(ev::reg, S, 0);  // the action now runs at g4's place

        J->add(ev::attempt_move, S, 3);
        godefer::unique_resource u5{std::move(u3)};
        J->add(ev::reg, S, 3);

        action a6 = Parts::make_action(S, 6);
        J->add(ev::attempt, S, 6);
        kinds[6] = guard_kind::fail;
        godefer::scope_fail g6{std::move(a6)};  // from an rvalue
        J->add(ev::reg, S, 6);

        typename Parts::resource r7{7};
        typename Parts::resource invalid{-1};
        typename Parts::deleter d7 = Parts::make_deleter(S);
        J->add(ev::attempt, S, 7);
        kinds[7] = guard_kind::resource;
        auto u7 = godefer::make_unique_resource_checked(r7, invalid, std::move(d7));
        J->add(ev::reg, S, 7);
    } catch (const std::bad_alloc&) {
        fault_left = surfaced = true;
    } catch (const injected_copy_error&) {
        fault_left = surfaced = true;
    }
    disarm();

    // Expected: the failed construction's action at once (scope_success: never), then the armed
    // guards, newest place first, filtered by how the scope was left.
    int expected[32];
    int nexp = 0;
    int place[16];
    int nplaces = 0;
    int last_attempt = -1;
    bool last_was_move = false;
    for (int i = 0; i < J->n; ++i) {
        const entry& e = J->log[i];
        if (e.what == ev::attempt || e.what == ev::attempt_move) {
            last_attempt = e.id;
            last_was_move = e.what == ev::attempt_move;
        } else if (e.what == ev::reg) {
            last_attempt = -1;
            for (int p = 0; p < nplaces; ++p)
                if (place[p] == e.id) {
                    for (int q = p; q + 1 < nplaces; ++q) place[q] = place[q + 1];
                    --nplaces;
                    break;
                }
            place[nplaces++] = e.id;
        }
    }
    if (last_attempt >= 0 && !last_was_move && kinds[last_attempt] != guard_kind::success)
        expected[nexp++] = last_attempt;
    for (int p = nplaces - 1; p >= 0; --p) {
        guard_kind k = kinds[place[p]];
        if (k == guard_kind::fail && !fault_left)
            continue;
        if (k == guard_kind::success && fault_left)
            continue;
        // make_unique_resource_checked owns r7 (7 != -1): its deleter runs.
        expected[nexp++] = place[p];
    }
    int got[32];
    int ngot = 0;
    for (int i = 0; i < J->n; ++i)
        if (J->log[i].what == ev::ran && ngot < 32)
            got[ngot++] = J->log[i].id;
    EXPECT_EQ(ngot, nexp);
    for (int i = 0; i < ngot && i < nexp; ++i) EXPECT_EQ(got[i], expected[i]) << "at " << i;
    return ngot;
}

TEST(FaultInjection, GuardsAllocationFailures) {
    sweep("guards, k-th allocation fails", fault_kind::allocation, guard_scenario<alloc_parts>);
}

TEST(FaultInjection, GuardsThrowingCopies) {
    sweep("guards, k-th copy/move throws", fault_kind::copy, guard_scenario<copy_parts>);
}

// --- Local frames -------------------------------------------------------------------------------

// Defers `calls` calls (inline only when calls <= 4), each with a callable and an argument that
// are copied (std::function and a long string, or brittle parts).
template <class Parts>
void defer_calls(frame& f, int scope, int first_id, int calls) {
    for (int i = first_id; i < first_id + calls; ++i) {
        if constexpr (std::is_same_v<Parts, alloc_parts>) {
            std::function<void(const std::string&)> call =
                [scope, i, pad = std::string(40, 'c')](const std::string&) { ran(scope, i); };
            std::string arg(40, 'x');
            J->add(ev::attempt, scope, i);
            f.defer(call, arg);
        } else {
            struct call_t {
                brittle part;
                int scope, id;
                void operator()(const brittle&) const { ran(scope, id); }
            } call{{}, scope, i};
            brittle arg;
            J->add(ev::attempt, scope, i);
            f.defer(call, arg);
        }
        J->add(ev::reg, scope, i);
    }
}

template <class Parts, int Calls>
int local_frame_scenario(bool& surfaced) {
    const long ops_before = fault::ops;
    bool failed = false;
    try {
        frame f;
        defer_calls<Parts>(f, 0, 0, Calls);
    } catch (const std::bad_alloc&) {
        surfaced = failed = true;
    } catch (const injected_copy_error&) {
        surfaced = failed = true;
    }
    disarm();
    // One copy of the callable and one of the argument per call: spilling to new heap chunks
    // never moves a stored call.
    if (std::is_same_v<Parts, copy_parts> && !failed) {
        EXPECT_EQ(fault::ops - ops_before, 2 * Calls);
    }
    return verify_frames(*J, 1);
}

TEST(FaultInjection, LocalFrameInlineAllocationFailures) {
    sweep("local frame, 4 inline calls, k-th allocation fails", fault_kind::allocation,
          local_frame_scenario<alloc_parts, 4>);
}
TEST(FaultInjection, LocalFrameInlineThrowingCopies) {
    sweep("local frame, 4 inline calls, k-th copy throws", fault_kind::copy,
          local_frame_scenario<copy_parts, 4>);
}
TEST(FaultInjection, LocalFrameSpilledAllocationFailures) {
    sweep("local frame, 200 calls (heap chunks), k-th allocation fails", fault_kind::allocation,
          local_frame_scenario<alloc_parts, 200>);
}
TEST(FaultInjection, LocalFrameSpilledThrowingCopies) {
    sweep("local frame, 200 calls (heap chunks), k-th copy throws", fault_kind::copy,
          local_frame_scenario<copy_parts, 200>);
}

// --- run frames with panics ---------------------------------------------------------------------

template <class E>
bool error_is(const godefer::panic_value& r) {
    return chain_has<E>(r);
}

// Nested run frames (scopes 0 = outer, 1 = inner): the outer one recovers; the inner one defers
// a call that panics (replacing the body's panic) and, with `foreign_call`, one that throws a
// foreign exception; the body panics. Every allocation and copy on the way is swept: arguments,
// heap chunks, panic records, the records of foreign exceptions, re-raises.
template <class Parts, int Calls, bool ForeignCall>
int run_scenario(bool& surfaced) {
    using fault_error =
        std::conditional_t<std::is_same_v<Parts, alloc_parts>, std::bad_alloc, injected_copy_error>;
    struct foreign_failure {};  // thrown by a call; its record is allocated by run
    godefer::panic_value seen;
    bool escaped = false;
    try {
        godefer::run([&](frame& outer) {
            J->add(ev::attempt, 0, 0);
            outer.defer([&seen] {
                seen = godefer::recover();
                ran(0, 0);
            });
            J->add(ev::reg, 0, 0);
            defer_calls<Parts>(outer, 0, 1, Calls);
            godefer::run([&](frame& inner) {
                defer_calls<Parts>(inner, 1, 0, Calls);
                if constexpr (ForeignCall) {
                    J->add(ev::attempt, 1, 100);
                    inner.defer([] {
                        ran(1, 100);
                        throw foreign_failure{};
                    });
                    J->add(ev::reg, 1, 100);
                }
                J->add(ev::attempt, 1, 101);
                inner.defer([] {
                    ran(1, 101);
                    godefer::panic("replacing");
                });
                J->add(ev::reg, 1, 101);
                godefer::panic("boom");
            });
        });
    } catch (...) {
        disarm();
        escaped = true;
        seen = godefer::panic_value(godefer::detail::handled_entry(0));
    }
    disarm();
    // When the storage of a call that throws failed, the call was made at once and its own
    // exception replaced the storage error (a later exception replaces an earlier one; the frame
    // has no chain to keep the storage error on): that exception is what surfaces then.
    int thrower_made_at_once = -1;
    for (int i = 0; i < J->n; ++i) {
        const entry& e = J->log[i];
        if (e.scope == 1 && e.what == ev::attempt && (e.id == 100 || e.id == 101) &&
            (i + 1 == J->n || J->log[i + 1].what != ev::reg))
            thrower_made_at_once = e.id;
    }
    if (escaped) {
        // Only a fault may leave: the outer frame recovers everything else.
        EXPECT_TRUE(error_is<fault_error>(seen)) << "escaped: " << seen.message();
        surfaced = true;
    } else if (error_is<fault_error>(seen)) {
        surfaced = true;
    } else if (thrower_made_at_once >= 0) {
        surfaced = thrower_made_at_once == 101 ? seen.message() == "replacing"
                                               : seen.get_if<foreign_failure>() != nullptr;
    } else {
        // No fault reached the panic: the chain is Go's (newest first).
        if (ForeignCall) {
            EXPECT_NE(seen.get_if<foreign_failure>(), nullptr);
            EXPECT_EQ(seen.aborted().message(), "replacing");
            EXPECT_EQ(seen.aborted().aborted().message(), "boom");
        } else {
            EXPECT_EQ(seen.message(), "replacing");
            EXPECT_EQ(seen.aborted().message(), "boom");
        }
    }
    seen = {};
    return verify_frames(*J, 2);
}

TEST(FaultInjection, RunFramesWithPanicsAllocationFailures) {
    sweep("run frames with panics, 3 calls each, k-th allocation fails", fault_kind::allocation,
          run_scenario<alloc_parts, 3, false>);
    sweep("run frames with panics, 100 calls each (heap chunks), k-th allocation fails",
          fault_kind::allocation, run_scenario<alloc_parts, 100, false>);
}

TEST(FaultInjection, RunFramesWithPanicsThrowingCopies) {
    sweep("run frames with panics, 3 calls each, k-th copy throws", fault_kind::copy,
          run_scenario<copy_parts, 3, false>);
    sweep("run frames with panics, 100 calls each (heap chunks), k-th copy throws",
          fault_kind::copy, run_scenario<copy_parts, 100, false>);
}

TEST(FaultInjection, RunFramesWithAForeignExceptionAllocationFailures) {
    sweep("run frames, a call throws a foreign exception, k-th allocation fails",
          fault_kind::allocation, run_scenario<alloc_parts, 3, true>);
}

}  // namespace

namespace {

// When the entry of a foreign exception thrown by a deferred call cannot be allocated, the
// thread's spare entry stands for it: the frame goes on with Go's rules and nothing ends in
// std::terminate (it did before the spare: bad_alloc left the handler and the remaining calls ran
// like a local frame's, one of them throwing while it unwound). Each k fails one allocation of
//   run([](frame& f) { f.defer([] { panic("last"); }); f.defer([] { throw foreign{}; });
//                      panic("boom"); });
TEST(FaultInjectionDeathTest, OutOfMemoryWhileRecordingACallsExceptionNeverTerminates) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    struct foreign_failure {};
    EXPECT_EXIT(
        {
            godefer::set_stacktrace_capture(false);
            for (long k = 0; k < 8; ++k) {
                try {
                    godefer::run([k](frame& f) {
                        f.defer([] { godefer::panic("last"); });
                        f.defer([] { throw foreign_failure{}; });
                        fault::alloc_countdown = k;
                        godefer::panic("boom");
                    });
                } catch (...) {
                }
                disarm();
            }
            std::exit(0);
        },
        testing::ExitedWithCode(0), "");
}

}  // namespace
