// A second plugin, loaded after the first is unloaded (see main.cpp): its frames must be named
// after its own code, whatever address it gets.
#include <string>

#include <godefer/panic.hpp>

extern "C" __attribute__((visibility("default"))) void plugin2_panic(const char* message) {
    godefer::panic(std::string(message));
}
