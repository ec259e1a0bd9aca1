// One process, one godefer state: an executable and two shared libraries built with
// -fvisibility=hidden (and a plugin loaded with dlopen(RTLD_LOCAL)) behave as one binary.
// Usage: godefer_shared_libs_test PLUGIN_PATH PLUGIN2_PATH. Prints one line per check; exit status
// 0 when all hold.
#include <dlfcn.h>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <godefer/go.hpp>
#include <godefer/panic.hpp>
#include <godefer/run.hpp>

#include "shared_libs.hpp"

namespace {

int failures = 0;

void check(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    if (!ok)
        ++failures;
}

char buffer[128];

std::string recovered_by_b() {
    return b_recover(buffer, sizeof buffer) ? buffer : "<empty>";
}

std::string seen_by_exe;
void exe_recover() {
    godefer::panic_value r = godefer::recover();
    seen_by_exe = r ? r.message() : "<empty>";
}

// The report of the panic that raise(message) makes, recovered in a run frame around it.
std::string recovered_report(void (*raise)(const char*), const char* message) {
    std::string report;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { report = godefer::recover().report(); });
        raise(message);
    });
    return report;
}

// Whether `report` shows a frame of `function`, defined in `file`.cpp: resolved to its line with
// libdw, else the exported symbol with its module.
bool traced(const std::string& report, const std::string& function, const std::string& file) {
#if defined(GODEFER_WITH_LIBDW) && GODEFER_WITH_LIBDW
    const bool ok = report.find(function + "\n\t") != std::string::npos &&
                    report.find("/" + file + ".cpp:") != std::string::npos;
#else
    const bool ok = report.find(function + "+0x") != std::string::npos &&
                    report.find(file) != std::string::npos;
#endif
    if (!ok)
        std::printf("%s", report.c_str());
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s PLUGIN_PATH PLUGIN2_PATH\n", argv[0]);
        return 2;
    }
    std::string got;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { got = recovered_by_b(); });
        a_panic("raised in A");
    });
    check(got == "raised in A",
          "a panic raised in A is recovered by a helper in B called by the executable's call");

    a_run_deferring(&exe_recover, "A's frame");
    check(seen_by_exe == "A's frame", "A's run frame defers an executable function that recovers");

    const bool before = godefer::set_stacktrace_capture(false);
    check(!a_capture(), "set_stacktrace_capture(false) in the executable is seen by A");
    godefer::set_stacktrace_capture(before);

    int length = 0;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            for (godefer::panic_value r = godefer::recover(); r; r = r.aborted()) ++length;
        });
        a_foreign_over_a_panic();
    });
    check(length == 2, "a foreign exception leaving A's frame keeps the panic it aborted");

    unsigned long exe_id = 0;
    godefer::go([&] { exe_id = godefer::detail::this_thread_state().id; }).join();
    const unsigned long a_id = a_goroutine_id();
    check(exe_id != 0 && a_id != 0 && a_id != exe_id,
          "thread-of-work ids are unique across A and the executable");

    // A trace resolved before the plugin is loaded: the symbolizer has seen the modules of then.
    std::string report = recovered_report(a_panic, "before the plugin");
    check(traced(report, "a_panic", "lib_a"), "a trace names A's function and line");

    void* plugin = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (plugin == nullptr) {
        std::printf("FAILED: dlopen: %s\n", dlerror());
        return 1;
    }
    auto plugin_recover =
        reinterpret_cast<bool (*)(char*, std::size_t)>(dlsym(plugin, "plugin_recover"));
    auto plugin_panic = reinterpret_cast<void (*)(const char*)>(dlsym(plugin, "plugin_panic"));
    got.clear();
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { got = plugin_recover(buffer, sizeof buffer) ? buffer : "<empty>"; });
        godefer::panic("raised in the executable");
    });
    check(got == "raised in the executable",
          "a plugin loaded with RTLD_LOCAL recovers the executable's panic");
    got.clear();
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { got = recovered_by_b(); });
        plugin_panic("raised in the plugin");
    });
    check(got == "raised in the plugin", "B recovers a panic raised in the plugin");
    report = recovered_report(plugin_panic, "traced in the plugin");
    check(traced(report, "plugin_panic", "plugin"),
          "a trace through a library loaded after an earlier trace names its function and line");
    dlclose(plugin);

    // Another library loaded after an unload (perhaps at the first one's address).
    void* plugin2 = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
    if (plugin2 == nullptr) {
        std::printf("FAILED: dlopen: %s\n", dlerror());
        return 1;
    }
    auto plugin2_panic = reinterpret_cast<void (*)(const char*)>(dlsym(plugin2, "plugin2_panic"));
    report = recovered_report(plugin2_panic, "traced in the second plugin");
    check(traced(report, "plugin2_panic", "plugin2"),
          "a trace through a library loaded after another was unloaded names its own code");
    dlclose(plugin2);
    return failures == 0 ? 0 : 1;
}
