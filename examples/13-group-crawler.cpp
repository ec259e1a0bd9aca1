// 11 — a crawler with godefer::group: at most 4 workers at once, the first failure cancels the
// rest, every worker's deferred cleanup runs, and the failing worker's panic reaches wait() with
// its own site.
//
//   Go (errgroup):  g, ctx := errgroup.WithContext(ctx)
//                   g.SetLimit(4)
//                   for _, url := range urls {
//                       url := url
//                       g.Go(func() error {
//                           conn := open(url)
//                           defer conn.Close()
//                           return fetch(ctx, conn)     // a panic here kills the whole process
//                       })
//                   }
//                   err := g.Wait()
//
// In Go a panic in one of those goroutines ends the process before Wait() can see it. Here a
// worker's panic is a failure of the group: it requests stop (every worker's stop_token), the
// other workers end early and run their deferred calls, and wait() rethrows the same panic — its
// value, its site (the worker's line) and its stack. The workers record what they do and main
// prints it after wait(), worker by worker, so that the output does not depend on scheduling.
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <godefer/godefer.hpp>
#include <godefer/group.hpp>

namespace {

const std::array<const char*, 8> urls = {"/index", "/about", "/broken", "/blog",
                                         "/docs",  "/faq",   "/jobs",   "/press"};

std::array<std::vector<std::string>, urls.size()> events;  // worker k writes events[k] only
std::atomic<int> fetching{0};

// The first four workers start together (the limit lets four run); "/broken" fails once all four
// are fetching, and the others are slow: they fetch until they are asked to stop.
std::string fetch(std::size_t k, const godefer::stop_token& stop) {
    ++fetching;
    while (fetching.load() < 4) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (std::strcmp(urls[k], "/broken") == 0)
        godefer::panic(std::string("HTTP 500 from ") + urls[k]);
    while (!stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return "cancelled while fetching";
}

void worker(godefer::stop_token stop, std::size_t k) {
    godefer::run([&](godefer::frame& f) {
        if (stop.stop_requested()) {  // a sibling failed before this worker started
            events[k].push_back("cancelled before opening a connection");
            return;
        }
        events[k].push_back(std::string("open connection to ") + urls[k]);
        f.defer([k] { events[k].push_back("cleanup: close connection"); });
        f.defer([k] { events[k].push_back("cleanup: flush the partial page"); });
        events[k].push_back(fetch(k, stop));
    });
}

// "fetch" from the compiler's name of the function (a C++20 build spells out the signature).
std::string function_name(const char* f) {
    std::string s = f;
    s = s.substr(0, s.find('('));
    return s.substr(s.rfind(' ') + 1);
}

std::string base_name(const char* path) {
    const char* slash = std::strrchr(path, '/');
    return slash != nullptr ? slash + 1 : path;
}

}  // namespace

int main() {
    return godefer::main([](godefer::frame& f) {
        f.defer([] {
            if (godefer::panic_value r = godefer::recover()) {
                std::cout << "wait() rethrew: " << r.message() << '\n'
                          << "  raised at " << base_name(r.site().file) << ':' << r.site().line
                          << " in " << function_name(r.site().function) << "()\n"
                          << "  stack captured in the worker: "
                          << (r.stacktrace().empty() ? "no" : "yes") << '\n';
            }
        });
        f.defer([] {
            for (std::size_t k = 0; k < urls.size(); ++k) {
                std::cout << "worker " << k << " (" << urls[k] << "):\n";
                for (const std::string& e : events[k]) std::cout << "  " << e << '\n';
            }
        });

        godefer::group g;
        g.set_limit(4);
        for (std::size_t k = 0; k < urls.size(); ++k) g.go(worker, k);
        std::cout << "started " << urls.size() << " workers, at most 4 at once\n";
        g.wait();  // rethrows the failure of "/broken": main's deferred calls print the rest
        std::cout << "not reached\n";
    });
}
