// A member must be callable as fn(godefer::stop_token, args...) or fn(args...).
// expect-error: godefer::group::go: fn must be callable as fn\(godefer::stop_token, args\.\.\.\) or
// fn\(args\.\.\.\)
#include <godefer/group.hpp>

void f() {
    godefer::group g;
    g.go([](int, int) {}, 1);
}
