// 05 — a recovery middleware: one layer of a handler chain turns panics, and C++ exceptions that
// were never meant as panics, into a "500" response and logs the message and the stack trace.
//
//   Go:  func Recoverer(next http.Handler) http.Handler {
//            return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//                defer func() {
//                    if rec := recover(); rec != nil {
//                        log.Printf("panic: %v\n%s", rec, debug.Stack())
//                        http.Error(w, "Internal Server Error", 500)
//                    }
//                }()
//                next.ServeHTTP(w, r)
//            })
//        }
//
// Inside godefer::run, any C++ exception that leaves the body is a panic, so the same deferred
// recover() catches godefer::panic(...) and a foreign `throw` alike. The deferred calls of the
// inner layers run first (innermost frame first), then the recoverer's, then the outer layers see
// a normal return. The stack trace is captured where godefer::panic was called; a foreign
// exception records no throw site, so its trace is empty. (The trace holds addresses that change
// from build to build: this example prints only whether there is one.)
#include <cstring>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>

#include <godefer/godefer.hpp>

namespace {

struct request {
    std::string method;
    std::string path;
};

struct response {
    int status = 0;
    std::string body;
};

using handler = std::function<response(const request&)>;

const char* base_name(const char* path) {
    const char* slash = std::strrchr(path, '/');
    return slash ? slash + 1 : path;
}

// The outermost layer: logs every request and the status it got.
handler logger(handler next) {
    return [next = std::move(next)](const request& req) {
        response resp;  // a named result: the deferred call reads it after the body
        godefer::run([&](godefer::frame& f) {
            std::cout << "-> " << req.method << ' ' << req.path << '\n';
            f.defer([&] {
                std::cout << "<- " << req.method << ' ' << req.path << ' ' << resp.status << ' '
                          << resp.body << '\n';
            });
            resp = next(req);
        });
        return resp;
    };
}

// The recovery layer: a panic below it becomes a 500.
handler recoverer(handler next) {
    return [next = std::move(next)](const request& req) {
        response resp;
        godefer::run([&](godefer::frame& f) {
            f.defer([&] {
                godefer::panic_value r = godefer::recover();
                if (!r)
                    return;
                std::cout << "   recoverer: panic serving " << req.method << ' ' << req.path << ": "
                          << r.message() << '\n';
                if (r.site().known())
                    std::cout << "   recoverer: raised by godefer::panic at "
                              << base_name(r.site().file) << ':' << r.site().line << '\n';
                else if (r.get_if<std::exception>())
                    std::cout << "   recoverer: a C++ exception (std::exception) thrown below\n";
                else
                    std::cout << "   recoverer: a C++ exception that is not a std::exception "
                                 "(the message is its type name)\n";
                std::cout << "   recoverer: stack trace "
                          << (r.stacktrace().empty() ? "empty (a throw records no stack)"
                                                     : "captured at the panic")
                          << '\n';
                resp = response{500, "Internal Server Error"};
            });
            resp = next(req);
        });
        return resp;
    };
}

// The application: its own deferred calls run before the recoverer's.
response app(const request& req) {
    return godefer::run([&](godefer::frame& f) {
        std::cout << "   app: take a db connection\n";
        f.defer([] { std::cout << "   app: give the db connection back\n"; });
        if (req.path == "/hello")
            return response{200, "hello"};
        if (req.path == "/divide")
            godefer::panic("integer divide by zero");
        if (req.path == "/users/7")
            throw std::runtime_error("database connection lost");
        if (req.path == "/legacy")
            throw 404;  // not even a std::exception
        return response{404, "Not Found"};
    });
}

}  // namespace

int main() {
    handler chain = logger(recoverer(app));
    for (const char* path : {"/hello", "/divide", "/users/7", "/legacy", "/nowhere"}) {
        chain(request{"GET", path});
    }
    std::cout << "the server is still running\n";
}
