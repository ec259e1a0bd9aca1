// 12 — a server that suddenly panics on every third request: each panic becomes a 500, a panic
// hook counts them for telemetry, and godefer::recovery_log writes the first reports in full and
// then one line for the rest, so that the log cannot flood and the requests never wait for it.
#include <atomic>
#include <cstdio>
#include <string>

#include <godefer/godefer.hpp>
#include <godefer/recovery_log.hpp>

namespace {

std::atomic<int> panics_seen{0};  // telemetry: what the panic hook counted

int parse_id(int request) {
    if (request % 3 == 0)
        godefer::panic("bad request id " + std::to_string(request));
    return request * 10;
}

int handle(godefer::recovery_log& log, int request) {
    int status = 200;
    godefer::run([&](godefer::frame& f) {
        f.defer([&] {
            if (godefer::panic_value r = godefer::recover()) {
                status = 500;
                log.record(r);  // counts it; the report is written later, off the request path
            }
        });
        parse_id(request);
    });
    return status;
}

// Where the log writes: the first line of each piece of text (a report's first line is its panic
// line; the whole report goes on with the thread and the stack).
void print_first_line(const std::string& text) {
    std::printf("  log: %s\n", text.substr(0, text.find('\n')).c_str());
}

}  // namespace

int main() {
    godefer::set_panic_hook([](const godefer::panic_value&) { ++panics_seen; });
    int errors = 0;
    {
        godefer::recovery_log_options options;
        options.burst = 2;  // two full reports per interval
        options.interval = std::chrono::seconds(10);
        options.writer_thread = false;  // written by flush(), below
        godefer::recovery_log log(options, &print_first_line);
        for (int request = 1; request <= 30; ++request)
            errors += handle(log, request) == 500 ? 1 : 0;
        std::printf("30 requests served, %d failed\n", errors);
        log.flush();
        std::printf("recovered %llu, reported %llu, suppressed %llu\n",
                    static_cast<unsigned long long>(log.recovered()),
                    static_cast<unsigned long long>(log.reported()),
                    static_cast<unsigned long long>(log.suppressed()));
        std::printf("the log ends:\n");
    }  // the interval under way ends with the log: its suppression line
    std::printf("panic hook: %d panics\n", panics_seen.load());
}
