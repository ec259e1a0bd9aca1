// The plugin of the shared-library test: loaded with dlopen(RTLD_LOCAL), hidden visibility.
#include <cstring>
#include <string>

#include <godefer/panic.hpp>
#include <godefer/run.hpp>

extern "C" __attribute__((visibility("default"))) bool plugin_recover(char* out, std::size_t size) {
    godefer::panic_value r = godefer::recover();
    if (!r)
        return false;
    std::strncpy(out, r.message().c_str(), size - 1);
    out[size - 1] = '\0';
    return true;
}

extern "C" __attribute__((visibility("default"))) void plugin_panic(const char* message) {
    godefer::panic(std::string(message));
}
