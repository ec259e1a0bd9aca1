// The whole library built with -fno-exceptions : guards and frames work; panic()
// runs the pending calls of the thread's frames, innermost first, prints the report and aborts;
// recover() returns an empty value.
//
// GoogleTest needs exceptions, so this is a plain program with its own death-test harness: every
// case runs in a forked child whose stdout and stderr go to temporary files; the parent checks
// how the child ended (exit status 0, or SIGABRT), its stdout (exactly) and its stderr (the given
// lines, in this order). Run it with a case name to run that case in-process.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <godefer/godefer.hpp>

#include "coverage_dump.hpp"

#if GODEFER_HAS_EXCEPTIONS
#error "this file must be compiled with -fno-exceptions"
#endif

namespace {

using godefer::frame;

void say(const char* s) {
    std::printf("%s\n", s);
}
void say_int(const char* what, int v) {
    std::printf("%s %d\n", what, v);
}

[[noreturn]] void fail(const char* what) {
    std::printf("CHECK FAILED: %s\n", what);
    std::exit(1);
}
void check(bool ok, const char* what) {
    if (!ok)
        fail(what);
}

struct counter {
    int value = 0;
    void add(int n) { value += n; }
};

struct move_only_call {
    std::unique_ptr<int> p;
    void operator()() const { say_int("move-only callable", *p); }
};

// --- Cases that end normally --------------------------------------------------------------------

void guards_work() {
    std::string log;
    {
        godefer::scope_exit a{[&] { log += "exit "; }};
        godefer::scope_fail b{[&] { log += "fail "; }};
        godefer::scope_success c{[&] { log += "success "; }};
        GODEFER_SCOPE_EXIT {
            log += "macro ";
        };
        godefer::scope_exit moved{std::move(a)};
        godefer::scope_exit released{[&] { log += "released "; }};
        released.release();
        godefer::scope_exit now{[&] { log += "now "; }};
        now.run_now();
    }
    say(log.c_str());
    int deleted = 0;
    {
        auto r = godefer::make_unique_resource_checked(3, -1, [&](int) { ++deleted; });
        auto invalid = godefer::make_unique_resource_checked(-1, -1, [&](int) { ++deleted; });
        auto moved = std::move(r);
        godefer::unique_resource<int, void (*)(int)> u{5, [](int v) { say_int("deleted", v); }};
        u.reset(6);
    }
    say_int("unique_resource deletions", deleted);
}

// The error-code world's scope_fail and scope_success, and unique_fd.
void guard_conditions_and_unique_fd() {
    std::string log;
    {
        std::error_code ec;
        godefer::scope_fail undo{[&] { log += "rollback "; }, godefer::check_error_code(ec)};
        godefer::scope_success commit{[&] { log += "commit "; }, godefer::check_error_code(ec)};
        ec = std::make_error_code(std::errc::io_error);
    }
    {
        int err = 0;
        godefer::scope_fail undo{[&] { log += "rollback "; }, godefer::check_error_code(err)};
        godefer::scope_success commit{[&] { log += "commit "; }, godefer::check_error_code(err)};
        godefer::scope_exit when{[&] { log += "exit "; }, [&] { return err == 0; }, true};
    }
    say(log.c_str());
    {
        godefer::unique_fd none(-1);
        check(!none, "-1 is not allocated");
        godefer::unique_fd out(::dup(1));
        check(out.allocated(), "a descriptor is allocated");
        godefer::unique_fd moved(std::move(out));
        check(!out && moved, "a move leaves -1 behind");
    }
}

void frames_work() {
    {
        frame f;
        int x = 1;
        f.defer(say_int, "argument copied at defer time:", x);  // R1
        x = 3;
        for (int i = 0; i < 3; ++i) f.defer([](int v) { say_int("loop defer", v); }, i);  // R3
        counter c;
        f.defer(&counter::add, &c, 0);
        f.defer(move_only_call{std::make_unique<int>(7)});
        f.defer([](std::unique_ptr<int> p) { say_int("move-only argument", *p); },
                std::make_unique<int>(8));
        say_int("pending", static_cast<int>(f.size()));
    }
    long sum = 0;
    int next = 9999;
    bool lifo = true;
    {
        frame f;  // spills to the heap
        for (int i = 0; i < 10000; ++i)
            f.defer(
                [&sum, &next, &lifo](int v) {
                    lifo = lifo && v == next--;
                    sum += v;
                },
                i);
    }
    check(lifo && sum == 49995000L, "10000 calls drain in LIFO order");
    say("10000 calls drained in LIFO order");
}

void run_and_main_work() {
    int v = godefer::run([](frame& f) {
        f.defer([] { say(godefer::recover() ? "recovered?" : "recover() is empty"); });
        return 42;
    });
    say_int("run returned", v);
    godefer::run([] { say("run without a frame"); });
    int nested = godefer::run([](frame& f) {
        f.defer([] { say("outer defer"); });
        return godefer::run([](frame& g) {
                   g.defer([] { say("inner defer"); });
                   return 5;
               }) +
               1;
    });
    say_int("nested run returned", nested);
    std::thread t = godefer::go(
        [](int n) {
            godefer::run([n](frame& f) { f.defer([n] { say_int("go thread defer", n); }); });
        },
        4);
    t.join();
    int rc = godefer::main([](frame& f) {
        f.defer([] { say("main defer"); });
        return 3;
    });
    say_int("godefer::main returned", rc);
    say_int("godefer::main of a void body returned", godefer::main([] { say("void main body"); }));
    godefer::panic_value empty = godefer::recover();
    std::ostringstream os;
    os << empty;
    say(os.str().c_str());
    check(!empty && empty.get_if<int>() == nullptr && empty.message().empty() && !empty.aborted() &&
              !empty.recovered() && empty.exception() == nullptr,
          "an empty panic_value");
}

// The destructor of run's result may defer a call on the frame through a pointer it kept (after
// the frame's calls ran): that call runs too. (A copy keeps the pointer: how many copies run
// destroys depends on the compiler's copy elision; GCC destroys one.)
int g_late_deferred = 0;
int g_late_ran = 0;
struct defers_when_destroyed {
    frame* f = nullptr;
    defers_when_destroyed() = default;
    explicit defers_when_destroyed(frame* fr) : f(fr) {}
    defers_when_destroyed(const defers_when_destroyed& o) : f(o.f) {}
    defers_when_destroyed& operator=(const defers_when_destroyed&) = delete;
    ~defers_when_destroyed() {
        if (f == nullptr)
            return;
        ++g_late_deferred;
        f->defer([] { ++g_late_ran; });
    }
};

void a_call_deferred_by_the_results_destructor_runs() {
    defers_when_destroyed r = godefer::run([](frame& f) {
        defers_when_destroyed kept(&f);
        f.defer([] { say("call"); });
        return kept;
    });
    r.f = nullptr;  // the frame is gone
    say(g_late_ran == g_late_deferred ? "every late call ran" : "a late call was lost");
}

void a_group_works() {
    godefer::group g;
    g.set_limit(1);
    for (int i = 1; i <= 3; ++i)
        g.go(
            [](godefer::stop_token t, int n) {
                godefer::run([n](frame& f) { f.defer([n] { say_int("member call", n); }); });
                check(!t.stop_requested(), "no stop requested");
            },
            i);
    g.wait();
    check(g.failures().empty(), "no failures");
}

void a_panicking_group_member() {
    godefer::group g;
    g.go([] {
        godefer::run([](frame& f) {
            f.defer([] { say("the member's call runs"); });
            godefer::panic("member boom");
        });
    });
    g.wait();
}

// --- Cases that abort ---------------------------------------------------------------------------

void panic_runs_the_pending_calls() {
    godefer::main([](frame& f) {
        f.defer([] { say("main frame call 1"); });
        f.defer([] { say("main frame call 2"); });
        frame local;
        local.defer([] { say("local frame call"); });
        godefer::scope_exit guard{[] { say("a guard does not run: nothing unwinds"); }};
        godefer::run([](frame& g) {
            g.defer([] { say("inner run call 1"); });
            g.defer([] {
                say(godefer::recover() ? "recovered?" : "inner run call 2: recover() is empty");
            });
            godefer::panic("boom");
        });
        say("unreachable");
    });
    say("unreachable");
}

void panic_in_a_call_goes_on_the_chain() {
    godefer::main([](frame& f) {
        f.defer([] { say("outer call still runs"); });
        godefer::run([](frame& g) {
            g.defer([] { say("inner call 1 still runs"); });
            g.defer([] { godefer::panic("second"); });
            g.defer([] { say("inner call 3"); });
            godefer::panic("first");
        });
    });
}

void panic_during_a_normal_return() {
    godefer::run([](frame& f) {
        f.defer([] { say("older call runs"); });
        f.defer([] { godefer::panic(42); });
        return 1;
    });
}

void nil_panic() {
    frame f;
    f.defer([] { say("call runs"); });
    godefer::panic(nullptr);
}

void null_callable_refused() {
    frame f;
    f.defer([] { say("older call runs"); });
    void (*null_fn)() = nullptr;
    f.defer(null_fn);
    say("unreachable");
}

void repanic_of_an_empty_value() {
    frame f;
    f.defer([] { say("call runs"); });
    godefer::recover().repanic();
}

void panic_without_any_frame() {
    godefer::panic(std::string("no frame at all"));
}

void goexit_runs_the_calls_then_aborts() {
    godefer::run([](frame& f) {
        f.defer([] { say("call runs"); });
        godefer::goexit();
    });
}

void panic_during_goexit() {
    godefer::run([](frame& f) {
        f.defer([] { say("older call runs"); });
        f.defer([] { godefer::panic("during goexit"); });
        godefer::goexit();
    });
}

// A panic hook that panics: nothing can unwind, so the program ends, and the report lists the
// panic that called the hook, then the hook's own.
void a_hook_that_panics() {
    godefer::set_panic_hook([](const godefer::panic_value&) { godefer::panic("in the hook"); });
    godefer::run([](frame& f) {
        f.defer([] { say("call runs"); });
        godefer::panic("the real panic");
    });
}

void panic_in_a_go_thread() {
    godefer::main([](frame& f) {
        f.defer([] { say("main's calls do not run (R11)"); });
        std::thread t = godefer::go([] {
            godefer::run([](frame& g) {
                g.defer([] { say("the go thread's call runs"); });
                godefer::panic("worker boom");
            });
        });
        t.join();
    });
}

void a_frame_ended_out_of_order_keeps_the_newer_frame_reachable() {
    struct holder {
        frame f;
    };
    frame outer;
    outer.defer([] { say("outer frame call"); });
    holder* h = new holder;
    h->f.defer([] { say("heap frame call"); });
    frame local;  // newer than the heap frame, which ends first
    local.defer([] { say("newer local frame call"); });
    delete h;
    godefer::panic("after the heap frame ended");
}

// --- The harness --------------------------------------------------------------------------------

enum class ends { normally, aborts };

struct test_case {
    const char* name;
    void (*fn)();
    ends how;
    const char* out;               // the exact stdout
    std::vector<const char*> err;  // lines expected on stderr, in this order
};

const std::vector<test_case>& cases() {
    static const std::vector<test_case> all = {
        {"guards_work",
         guards_work,
         ends::normally,
         "now exit macro success \ndeleted 5\ndeleted 6\nunique_resource deletions 1\n",
         {}},
        {"guard_conditions_and_unique_fd",
         guard_conditions_and_unique_fd,
         ends::normally,
         "rollback exit commit \n",
         {}},
        {"frames_work",
         frames_work,
         ends::normally,
         "pending 7\nmove-only argument 8\nmove-only callable 7\nloop defer 2\nloop defer 1\n"
         "loop defer 0\nargument copied at defer time: 1\n10000 calls drained in LIFO order\n",
         {}},
        {"run_and_main_work",
         run_and_main_work,
         ends::normally,
         "recover() is empty\nrun returned 42\nrun without a frame\ninner defer\nouter defer\n"
         "nested run returned 6\ngo thread defer 4\nmain defer\ngodefer::main returned 3\n"
         "void main body\ngodefer::main of a void body returned 0\n<nil>\n",
         {}},
        {"a_call_deferred_by_the_results_destructor_runs",
         a_call_deferred_by_the_results_destructor_runs,
         ends::normally,
         "call\nevery late call ran\n",
         {}},
        {"panic_runs_the_pending_calls",
         panic_runs_the_pending_calls,
         ends::aborts,
         "inner run call 2: recover() is empty\ninner run call 1\nlocal frame call\n"
         "main frame call 2\nmain frame call 1\n",
         {"panic: boom", "", "goroutine 1 [running]:"}},
        {"panic_in_a_call_goes_on_the_chain",
         panic_in_a_call_goes_on_the_chain,
         ends::aborts,
         "inner call 3\ninner call 1 still runs\nouter call still runs\n",
         {"panic: first", "\tpanic: second", "", "goroutine 1 [running]:"}},
        {"panic_during_a_normal_return",
         panic_during_a_normal_return,
         ends::aborts,
         "older call runs\n",
         {"panic: 42", ""}},
        {"nil_panic",
         nil_panic,
         ends::aborts,
         "call runs\n",
         {"panic: panic called with nil argument", ""}},
        {"null_callable_refused",
         null_callable_refused,
         ends::aborts,
         "older call runs\n",
         {"panic: godefer: defer called with a null function pointer", ""}},
        {"repanic_of_an_empty_value",
         repanic_of_an_empty_value,
         ends::aborts,
         "call runs\n",
         {"panic: panic called with nil argument", ""}},
        {"panic_without_any_frame",
         panic_without_any_frame,
         ends::aborts,
         "",
         {"panic: no frame at all", ""}},
        {"goexit_runs_the_calls_then_aborts",
         goexit_runs_the_calls_then_aborts,
         ends::aborts,
         "call runs\n",
         {"fatal error: godefer::goexit needs C++ exceptions to unwind"}},
        {"a_hook_that_panics",
         a_hook_that_panics,
         ends::aborts,
         "call runs\n",
         {"panic: the real panic", "\tpanic: in the hook", ""}},
        {"panic_during_goexit",
         panic_during_goexit,
         ends::aborts,
         "older call runs\n",
         {"panic: during goexit", ""}},
        {"a_frame_ended_out_of_order_keeps_the_newer_frame_reachable",
         a_frame_ended_out_of_order_keeps_the_newer_frame_reachable,
         ends::aborts,
         "heap frame call\nnewer local frame call\nouter frame call\n",
         {"panic: after the heap frame ended", ""}},
        {"panic_in_a_go_thread",
         panic_in_a_go_thread,
         ends::aborts,
         "the go thread's call runs\n",
         {"panic: worker boom", "", "goroutine 2 [running]:"}},
        {"a_group_works",
         a_group_works,
         ends::normally,
         "member call 1\nmember call 2\nmember call 3\n",
         {}},
        {"a_panicking_group_member",
         a_panicking_group_member,
         ends::aborts,
         "the member's call runs\n",
         {"panic: member boom", ""}},
    };
    return all;
}

std::string slurp(std::FILE* f) {
    std::string s;
    std::rewind(f);
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) s.append(buf, n);
    return s;
}

// Do the expected lines appear in `text`, whole and in this order?
bool lines_in_order(const std::string& text, const std::vector<const char*>& lines) {
    std::vector<std::string> got;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) got.push_back(l);
    std::size_t at = 0;
    for (const char* want : lines) {
        while (at < got.size() && got[at] != want) ++at;
        if (at == got.size())
            return false;
        ++at;
    }
    return true;
}

bool run_case(const test_case& c) {
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    if (!out || !err)
        fail("tmpfile");
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = ::fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0) {
        ::dup2(::fileno(out), 1);
        ::dup2(::fileno(err), 2);
        godefer_test::dump_coverage_on_abort();
        c.fn();
        std::fflush(stdout);
        std::exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::string o = slurp(out);
    std::string e = slurp(err);
    std::fclose(out);
    std::fclose(err);
    bool ended_right = c.how == ends::normally
                           ? (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                           : (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    bool ok = ended_right && o == c.out && lines_in_order(e, c.err);
    std::printf("[%s] %s\n", ok ? "  PASSED " : "  FAILED ", c.name);
    if (!ok) {
        if (WIFEXITED(status))
            std::printf("  exit status %d\n", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
            std::printf("  killed by signal %d (%s)\n", WTERMSIG(status),
                        strsignal(WTERMSIG(status)));
        std::printf("  expected %s\n", c.how == ends::normally ? "exit status 0" : "SIGABRT");
        std::printf("  ---- stdout ----\n%s  ---- expected stdout ----\n%s", o.c_str(), c.out);
        std::printf("  ---- stderr ----\n%s  ---- expected on stderr, in order ----\n", e.c_str());
        for (const char* l : c.err) std::printf("%s\n", l);
    }
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    godefer::set_stacktrace_capture(false);
    if (argc > 1) {
        for (const test_case& c : cases())
            if (std::strcmp(c.name, argv[1]) == 0) {
                c.fn();
                return 0;
            }
        std::printf("no case named %s\n", argv[1]);
        return 1;
    }
    int passed = 0;
    int failed = 0;
    for (const test_case& c : cases()) (run_case(c) ? passed : failed)++;
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
