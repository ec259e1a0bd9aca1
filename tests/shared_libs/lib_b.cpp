// Library B of the shared-library test: built with hidden visibility, it recovers.
#include <cstring>

#include <godefer/panic.hpp>

#include "shared_libs.hpp"

SHARED_LIBS_API bool b_recover(char* out, std::size_t size) {
    godefer::panic_value r = godefer::recover();
    if (!r)
        return false;
    std::strncpy(out, r.message().c_str(), size - 1);
    out[size - 1] = '\0';
    return true;
}
