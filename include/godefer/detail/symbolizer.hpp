// godefer/detail/symbolizer.hpp: return addresses to functions and file:line, at print time.
//
//   std::vector<source_frame> frames;
//   if (symbolize(pcs, n, frames))              // needs GODEFER_WITH_LIBDW (elfutils libdw)
//       for (const source_frame& f : frames) std::printf("%s\n\t%s:%u\n", ...);
//
// With GODEFER_WITH_LIBDW=1 (the CMake target godefer::godefer defines it and links libdw when it
// finds elfutils; a plain -I build can define it and link -ldw), each address is resolved through
// the DWARF debug information of its module: the function, the chain of functions inlined at that
// place (innermost first), and the source file and line of each. Without it, symbolize() returns
// false and the caller prints module+offset lines (what addr2line takes).
//
// A frame is machinery (left out of traces) when the function it runs is defined in one of
// godefer's headers or in the standard library's std::invoke/std::apply/std::function/std::thread
// plumbing: decided by the function's declaration file in the debug information, not by its name.
#ifndef GODEFER_DETAIL_SYMBOLIZER_HPP
#define GODEFER_DETAIL_SYMBOLIZER_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include <godefer/detail/config.hpp>
#include <godefer/detail/message.hpp>

#if defined(GODEFER_WITH_LIBDW) && GODEFER_WITH_LIBDW && defined(__has_include)
#if __has_include(<elfutils/libdwfl.h>)
#define GODEFER_DETAIL_LIBDW 1
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <link.h>
#include <unistd.h>
#endif
#endif
#ifndef GODEFER_DETAIL_LIBDW
#define GODEFER_DETAIL_LIBDW 0
#endif

namespace godefer::detail {

struct source_frame {
    std::string function;  // demangled; a lambda is named after its enclosing function
    std::string file;      // empty when unknown
    unsigned line = 0;
    bool inlined = false;       // inlined into the frame below it
    bool machinery = false;     // godefer's own code or the std::invoke plumbing
    bool system_entry = false;  // the C library (start routines, pthread_once, ...) or _start
    std::string module;         // the module's path and the address's offset in it, for frames
    std::uintptr_t offset = 0;  // that have no name: what addr2line takes
};

// Whether `module` (a path) is the C library or the dynamic loader, whose frames at the bottom of
// every stack (__libc_start_main, start_thread, clone) are not the program's.
inline bool is_system_module(const char* module) {
    if (module == nullptr)
        return false;
    const char* base = std::strrchr(module, '/');
    base = base != nullptr ? base + 1 : module;
    return std::strncmp(base, "libc.so", 7) == 0 || std::strncmp(base, "libc-", 5) == 0 ||
           std::strncmp(base, "ld-linux", 8) == 0;
}

// The index of the ')' that closes the '(' at `open`, or npos.
inline std::size_t closing_paren(const std::string& s, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < s.size(); ++i) {
        if (s[i] == '(')
            ++depth;
        else if (s[i] == ')' && --depth == 0)
            return i;
    }
    return std::string::npos;
}

// "f()::{lambda(godefer::frame&)#1}::operator()(godefer::frame&) const" -> "f()::{lambda#1}",
// and Clang's "f()::$_0::operator()(int) const" -> "f()::{lambda}": a lambda reads as the
// function it was written in. " [clone .cold]" and the like are dropped: the same function.
inline std::string simplify_function_name(std::string name) {
    for (std::size_t at = name.find("{lambda("); at != std::string::npos;
         at = name.find("{lambda(", at + 1)) {
        const std::size_t close = closing_paren(name, at + 7);
        if (close != std::string::npos)
            name.erase(at + 7, close - (at + 7) + 1);
    }
    for (std::size_t at = name.find("::$_"); at != std::string::npos; at = name.find("::$_", at)) {
        std::size_t end = at + 4;
        while (end < name.size() && name[end] >= '0' && name[end] <= '9') ++end;
        name.replace(at, end - at, "::{lambda}");
    }
    // A lambda's call operator (a generic one's template arguments too), its parameters and
    // qualifiers: the lambda stands for it.
    static const std::string call = "}::operator()";
    for (std::size_t at = name.find(call); at != std::string::npos; at = name.find(call, at)) {
        std::size_t open = at + call.size();
        if (open < name.size() && name[open] == '<') {
            int depth = 0;
            for (; open < name.size(); ++open) {
                if (name[open] == '<')
                    ++depth;
                else if (name[open] == '>' && --depth == 0)
                    break;
            }
            ++open;
        }
        if (open >= name.size() || name[open] != '(') {
            at = open;
            continue;
        }
        std::size_t close = closing_paren(name, open);
        if (close == std::string::npos)
            break;
        ++close;
        for (const char* q : {" const", " volatile", " &&", " &", " noexcept"})
            if (name.compare(close, std::strlen(q), q) == 0)
                close += std::strlen(q);
        name.erase(at + 1, close - (at + 1));
    }
    // The standard library's spelled-out names, as people write them.
    static const char* const spelled[][2] = {
        {"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >",
         "std::string"},
        {"std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string"},
        {"std::basic_string_view<char, std::char_traits<char> >", "std::string_view"},
        {"std::__cxx11::", "std::"},
    };
    for (const auto& s : spelled)
        for (std::size_t at = name.find(s[0]); at != std::string::npos; at = name.find(s[0], at))
            name.replace(at, std::strlen(s[0]), s[1]);
    if (name.compare(0, 5, "auto ") == 0 && name.find("{lambda") != std::string::npos)
        name.erase(0, 5);  // a generic lambda's deduced return type
    for (std::size_t at = name.find(" [clone "); at != std::string::npos;
         at = name.find(" [clone ", at)) {
        const std::size_t end = name.find(']', at);
        name.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
    }
    // The same for a name that is not mangled (extern "C", main): "main.cold", "f.part.0".
    if (name.find('(') == std::string::npos) {
        std::size_t cut = std::string::npos;
        for (const char* suffix :
             {".cold", ".part.", ".isra.", ".constprop.", ".lto_priv.", ".localalias", ".clone."})
            cut = std::min(cut, name.find(suffix));
        if (cut != std::string::npos && cut > 0)
            name.erase(cut);
    }
    return name;
}

// "/usr/bin/../lib/gcc/x/../../include/c++/12/tuple" -> "/usr/include/c++/12/tuple": the paths
// some compilers record, without their "dir/.." detours.
inline std::string normalize_path(std::string path) {
    for (std::size_t at = path.find("/../"); at != std::string::npos && at > 0;
         at = path.find("/../")) {
        const std::size_t start = path.rfind('/', at - 1);
        if (start == std::string::npos || path.compare(start, 4, "/../") == 0)
            break;
        path.erase(start, at + 3 - start);
    }
    return path;
}

// Whether a function declared in `file` is machinery (see the file comment).
inline bool is_machinery_file(const char* file) {
    if (file == nullptr || *file == '\0')
        return false;
    static const char* const parts[] = {
        "/godefer/detail/",     "/godefer/run.hpp",   "/godefer/frame.hpp", "/godefer/go.hpp",
        "/godefer/group.hpp",   "/godefer/panic.hpp", "/godefer/gtest.hpp", "/bits/invoke.h",
        "/bits/std_function.h", "/bits/refwrap.h",    "/bits/std_thread.h",
    };
    for (const char* p : parts)
        if (std::strstr(file, p) != nullptr)
            return true;
    // std::invoke lives in <functional>, std::apply in <tuple>, whatever the library's version.
    if (std::strstr(file, "/c++/") == nullptr)
        return false;
    const std::size_t n = std::strlen(file);
    return (n >= 6 && std::strcmp(file + n - 6, "/tuple") == 0) ||
           (n >= 11 && std::strcmp(file + n - 11, "/functional") == 0);
}

#if GODEFER_DETAIL_LIBDW

// One libdw session for the process, made at the first symbolization and reported again when a
// library was loaded or unloaded since (the dynamic loader counts both): a library unloaded and
// another loaded at its address must not lend it its names, and a library loaded after the first
// trace must be found. Unchanged modules are kept by libdw.
struct dwarf_session {
    std::mutex lock;
    Dwfl* dwfl = nullptr;
    Dwfl_Callbacks callbacks{};
    unsigned long long loads = 0;  // the loader's counts when the modules were last reported
    unsigned long long unloads = 0;

    static int read_counts(dl_phdr_info* info, std::size_t size, void* out) noexcept {
        if (size < offsetof(dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs)
            return 1;
        auto* counts = static_cast<unsigned long long*>(out);
        counts[0] = info->dlpi_adds;
        counts[1] = info->dlpi_subs;
        return 1;  // the counts are the same in every entry: the first is enough
    }

    // Reports the process's modules if this is the first use or the loader's counts changed.
    bool refresh() {
        unsigned long long counts[2] = {0, 0};
        ::dl_iterate_phdr(&read_counts, counts);
        if (dwfl != nullptr && counts[0] == loads && counts[1] == unloads)
            return true;
        if (!report())
            return false;
        loads = counts[0];
        unloads = counts[1];
        return true;
    }

    bool report() {
        if (dwfl == nullptr) {
            callbacks.find_elf = dwfl_linux_proc_find_elf;
            callbacks.find_debuginfo = dwfl_standard_find_debuginfo;
            dwfl = dwfl_begin(&callbacks);
            if (dwfl == nullptr)
                return false;
        }
        dwfl_report_begin(dwfl);
        const int err = dwfl_linux_proc_report(dwfl, ::getpid());
        dwfl_report_end(dwfl, nullptr, nullptr);
        return err == 0;
    }

    Dwfl_Module* module_of(Dwarf_Addr pc) {
        return dwfl != nullptr ? dwfl_addrmodule(dwfl, pc) : nullptr;
    }
};

GODEFER_DETAIL_SHARED inline dwarf_session& the_dwarf_session() {
    static dwarf_session* s = new dwarf_session;  // never destroyed: used by reports at exit
    return *s;
}

inline const char* dwarf_linkage_name(Dwarf_Die* die) {
    Dwarf_Attribute a;
    Dwarf_Attribute* p = dwarf_attr_integrate(die, DW_AT_linkage_name, &a);
    if (p == nullptr)
        p = dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &a);
    return p != nullptr ? dwarf_formstring(p) : nullptr;
}

// The DIE that declares the function a subprogram or inlined call runs (its abstract origin,
// then its specification).
inline Dwarf_Die dwarf_declaration(Dwarf_Die die) {
    for (int i = 0; i < 4; ++i) {
        Dwarf_Attribute a;
        Dwarf_Die next;
        if (dwarf_attr(&die, DW_AT_abstract_origin, &a) == nullptr &&
            dwarf_attr(&die, DW_AT_specification, &a) == nullptr)
            break;
        if (dwarf_formref_die(&a, &next) == nullptr)
            break;
        die = next;
    }
    return die;
}

// A function's name with its namespaces and classes, built from the scopes around its declaration
// when the debug information has no linkage name (an inlined static function, a lambda): a
// lambda's call operator reads "enclosing()::{lambda}".
inline std::string dwarf_qualified_name(Dwarf_Die die, int depth = 0) {
    Dwarf_Die decl = dwarf_declaration(die);
    const char* own = dwarf_diename(&decl);
    std::string name = own != nullptr ? own : "";
    Dwarf_Die* scopes = nullptr;
    const int n = depth < 4 ? dwarf_getscopes_die(&decl, &scopes) : 0;
    struct free_after {  // libdw's array, freed also when a name below cannot be allocated
        Dwarf_Die*& p;
        ~free_after() { std::free(p); }
    } free_scopes{scopes};
    for (int i = 1; i < n; ++i) {
        const int tag = dwarf_tag(&scopes[i]);
        const char* scope = dwarf_diename(&scopes[i]);
        if (tag == DW_TAG_namespace) {
            name = std::string(scope != nullptr ? scope : "(anonymous namespace)") + "::" + name;
        } else if (tag == DW_TAG_class_type || tag == DW_TAG_structure_type ||
                   tag == DW_TAG_union_type) {
            if ((scope != nullptr && std::strncmp(scope, "<lambda", 7) == 0) ||
                (scope == nullptr && name == "operator()"))
                name = "{lambda}";
            else if (scope != nullptr)
                name = std::string(scope) + "::" + name;
        } else if (tag == DW_TAG_subprogram) {  // a lambda or local class inside a function
            name = dwarf_qualified_name(scopes[i], depth + 1) + "()::" + name;
            break;
        }
    }
    return name;
}

inline std::string dwarf_function_name(Dwarf_Die* die) {
    if (const char* l = dwarf_linkage_name(die))
        return simplify_function_name(demangle(l));
    return dwarf_qualified_name(*die);
}

inline const char* dwarf_declaration_file(Dwarf_Die* die) {
    Dwarf_Attribute a;
    Dwarf_Die origin;
    for (int i = 0; i < 4; ++i) {  // the definition's abstract origin or specification
        if (dwarf_attr(die, DW_AT_decl_file, &a) != nullptr)
            return dwarf_decl_file(die);
        if (dwarf_attr(die, DW_AT_abstract_origin, &a) == nullptr &&
            dwarf_attr(die, DW_AT_specification, &a) == nullptr)
            return nullptr;
        if (dwarf_formref_die(&a, &origin) == nullptr)
            return nullptr;
        die = &origin;
    }
    return nullptr;
}

// The function DIE that contains pc (searched through the whole compilation unit: functions
// nested in classes and lambdas included), then the inlined calls inside it that contain pc,
// outermost first.
inline bool find_code_scopes(Dwarf_Die* parent, Dwarf_Addr pc, std::vector<Dwarf_Die>& chain) {
    Dwarf_Die child;
    if (dwarf_child(parent, &child) != 0)
        return false;
    do {
        const int tag = dwarf_tag(&child);
        const bool code = tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
                          tag == DW_TAG_lexical_block;
        if (code && dwarf_haspc(&child, pc) == 1) {
            if (tag != DW_TAG_lexical_block)
                chain.push_back(child);
            find_code_scopes(&child, pc, chain);
            return true;
        }
        // Functions defined inside other scopes: lambdas and local classes live in the blocks
        // of the function that declares them.
        if ((tag == DW_TAG_namespace || tag == DW_TAG_class_type || tag == DW_TAG_structure_type ||
             tag == DW_TAG_union_type || tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block ||
             tag == DW_TAG_inlined_subroutine) &&
            find_code_scopes(&child, pc, chain))
            return true;
    } while (dwarf_siblingof(&child, &child) == 0);
    return false;
}

inline void symbolize_one(dwarf_session& s, const void* address, bool return_address,
                          std::vector<source_frame>& out) {
    // A return address points after the call: look up the call instruction itself.
    const Dwarf_Addr pc = reinterpret_cast<std::uintptr_t>(address) - (return_address ? 1 : 0);
    Dwfl_Module* mod = s.module_of(pc);
    source_frame innermost;
    if (mod == nullptr) {
        out.push_back(innermost);
        return;
    }
    const char* module =
        dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    const char* symbol = dwfl_module_addrname(mod, pc);
    if (is_system_module(module) || (symbol != nullptr && std::strcmp(symbol, "_start") == 0)) {
        innermost.system_entry = true;
        out.push_back(innermost);
        return;
    }
    Dwarf_Addr bias = 0;
    Dwarf_Die* cu = dwfl_module_addrdie(mod, pc, &bias);
    if (cu == nullptr) {  // no .debug_aranges (Clang's default): look through the units' ranges
        while ((cu = dwfl_module_nextcu(mod, cu, &bias)) != nullptr)
            if (dwarf_haspc(cu, pc - bias) == 1)
                break;
    }
    if (cu != nullptr) {
        if (Dwarf_Line* l = dwarf_getsrc_die(cu, pc - bias)) {
            int line = 0;
            if (const char* f = dwarf_linesrc(l, nullptr, nullptr))
                innermost.file = normalize_path(f);
            if (dwarf_lineno(l, &line) == 0)
                innermost.line = static_cast<unsigned>(line);
        }
    }
    std::vector<Dwarf_Die> chain;
    if (cu != nullptr)
        find_code_scopes(cu, pc - bias, chain);
    if (chain.empty()) {  // no debug information for this function: its ELF symbol
        innermost.function = symbol != nullptr ? simplify_function_name(demangle(symbol)) : "";
        // Without the function's debug information the line's file may be that of a call
        // inlined into it: only a frame with no name of its own is taken for machinery by it.
        innermost.machinery = symbol == nullptr && is_machinery_file(innermost.file.c_str());
        if (innermost.file.empty() && module != nullptr) {
            Dwarf_Addr start = 0;
            dwfl_module_info(mod, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr);
            innermost.module = module;
            innermost.offset = static_cast<std::uintptr_t>(pc + (return_address ? 1 : 0) - start);
        }
        out.push_back(innermost);
        return;
    }
    Dwarf_Files* files = nullptr;
    std::size_t nfiles = 0;
    if (cu != nullptr && dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
        files = nullptr;
    source_frame f = innermost;
    for (std::size_t i = chain.size(); i-- > 0;) {
        Dwarf_Die* die = &chain[i];
        const bool inlined = dwarf_tag(die) == DW_TAG_inlined_subroutine;
        f.function = dwarf_function_name(die);
        if (!inlined && symbol != nullptr)  // the symbol table names the real function exactly
            f.function = simplify_function_name(demangle(symbol));
        // Machinery is told by where the frame's code is (its line's file; for an inlined call,
        // the place inside the inlined function), else by where the function is declared.
        const char* where = f.file.empty() ? dwarf_declaration_file(die) : f.file.c_str();
        f.machinery = is_machinery_file(where);
        f.inlined = inlined;
        out.push_back(f);
        if (!inlined)
            break;
        // The frame around an inlined call is at the call's place.
        Dwarf_Attribute a;
        Dwarf_Word w = 0;
        f = source_frame{};
        if (files != nullptr && dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &a), &w) == 0)
            if (const char* name = dwarf_filesrc(files, w, nullptr, nullptr))
                f.file = normalize_path(name);
        if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &a), &w) == 0)
            f.line = static_cast<unsigned>(w);
    }
}

#endif  // GODEFER_DETAIL_LIBDW

// Resolves pcs[0..n) (pcs[0] may be the exact place, the others are return addresses when
// `first_is_return_address` says so for the first). Appends one or more frames per address,
// innermost first. Returns false when no symbolizer is built in.
inline bool symbolize([[maybe_unused]] void* const* pcs, [[maybe_unused]] int n,
                      [[maybe_unused]] std::vector<source_frame>& out) {
#if GODEFER_DETAIL_LIBDW
    dwarf_session& s = the_dwarf_session();
    std::lock_guard<std::mutex> hold(s.lock);
    if (!s.refresh())
        return false;
    for (int i = 0; i < n; ++i) symbolize_one(s, pcs[i], true, out);
    return true;
#else
    return false;
#endif
}

}  // namespace godefer::detail

#endif  // GODEFER_DETAIL_SYMBOLIZER_HPP
