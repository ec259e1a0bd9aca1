// One process, one godefer state: an executable and two shared libraries built with
// -fvisibility=hidden (and a plugin loaded with dlopen(RTLD_LOCAL)) behave as one binary.
// Usage: godefer_shared_libs_test PLUGIN_PATH. Prints one line per check; exit status 0 when all
// hold.
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

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s PLUGIN_PATH\n", argv[0]);
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
    std::string report;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { report = godefer::recover().report(); });
        a_panic("before the plugin");
    });
    check(report.find("a_panic") != std::string::npos, "a trace names A's function");

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
    godefer::run([&](godefer::frame& f) {
        f.defer([&] { report = godefer::recover().report(); });
        plugin_panic("traced in the plugin");
    });
#if defined(GODEFER_WITH_LIBDW) && GODEFER_WITH_LIBDW
    const char* plugin_frame = "plugin_panic\n\t";  // resolved: the line names the source file
    const char* plugin_line = "plugin.cpp:";
#else
    const char* plugin_frame = "plugin_panic+0x";  // the exported symbol and the offset
    const char* plugin_line = "plugin";
#endif
    check(report.find(plugin_frame) != std::string::npos &&
              report.find(plugin_line) != std::string::npos,
          "a trace through a library loaded after an earlier trace names its function and line");
    if (report.find(plugin_frame) == std::string::npos ||
        report.find(plugin_line) == std::string::npos)
        std::printf("%s", report.c_str());
    dlclose(plugin);
    return failures == 0 ? 0 : 1;
}
