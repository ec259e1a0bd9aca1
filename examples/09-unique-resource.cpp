// 09 — unique_resource around a POSIX file descriptor and a FILE*: the handle is closed exactly
// once, at the end of its block, unless it was never valid or was released.
//
//   Go:  f, err := os.Open(name)
//        if err != nil { return err }    // nothing to close
//        defer f.Close()                 // closed when the function returns
//
// make_unique_resource_checked(::open(...), -1, closer) owns the descriptor unless it is -1, so a
// failed open closes nothing. reset(r) closes the old handle and owns the new one; release()
// gives the handle up; a move hands it over (closed once, by the new owner). Unlike Go's defer,
// the handle is closed at the end of its *block*. The files live in a temporary directory that a
// scope_exit removes at the end of main.
#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <utility>

#include <godefer/godefer.hpp>

namespace {

std::map<int, std::string> fd_names;  // only to print which file a descriptor was

int open_fd(const std::filesystem::path& path, int flags) {
    int fd = ::open(path.c_str(), flags, 0600);
    std::cout << "  open(" << path.filename().string() << ") " << (fd == -1 ? "failed" : "ok")
              << '\n';
    if (fd != -1)
        fd_names[fd] = path.filename().string();
    return fd;
}

struct fd_closer {
    void operator()(int fd) const {
        std::cout << "  close(" << fd_names[fd] << ")\n";
        fd_names.erase(fd);
        ::close(fd);
    }
};

void write_text(int fd, const std::string& text) {
    ssize_t n = ::write(fd, text.data(), text.size());
    std::cout << "  write " << n << " bytes\n";
}

struct file_closer {
    std::string name;
    void operator()(std::FILE* f) const {
        std::cout << "  fclose(" << name << ")\n";
        std::fclose(f);
    }
};

}  // namespace

int main() {
    std::string pattern = (std::filesystem::temp_directory_path() / "godefer-09-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::filesystem::path dir = pattern;
    godefer::scope_exit remove_dir{[&] {
        std::filesystem::remove_all(dir);
        std::cout << "removed the temporary directory\n";
    }};
    std::cout << "created a temporary directory\n";

    std::cout << "1. a file descriptor, closed at the end of its block\n";
    {
        auto fd = godefer::make_unique_resource_checked(
            open_fd(dir / "a.txt", O_WRONLY | O_CREAT | O_TRUNC), -1, fd_closer{});
        write_text(fd.get(), "written through a descriptor\n");
        std::cout << "  end of block\n";
    }

    std::cout << "2. a failed open owns nothing: nothing is closed\n";
    {
        auto fd = godefer::make_unique_resource_checked(open_fd(dir / "missing.txt", O_RDONLY), -1,
                                                        fd_closer{});
        std::cout << "  fd.get() == -1: " << std::boolalpha << (fd.get() == -1) << '\n';
        std::cout << "  end of block\n";
    }

    std::cout << "3. reset(new) closes the old descriptor first; a move hands it over\n";
    {
        auto fd = godefer::make_unique_resource_checked(open_fd(dir / "a.txt", O_RDONLY), -1,
                                                        fd_closer{});
        fd.reset(open_fd(dir / "b.txt", O_WRONLY | O_CREAT | O_TRUNC));
        auto owner = std::move(fd);  // fd no longer owns anything
        write_text(owner.get(), "b\n");
        std::cout << "  end of block\n";
    }

    std::cout << "4. release() gives the descriptor up: the caller closes it\n";
    {
        auto fd = godefer::make_unique_resource_checked(open_fd(dir / "b.txt", O_RDONLY), -1,
                                                        fd_closer{});
        int raw = fd.get();
        fd.release();
        std::cout << "  released; end of block\n";
        fd_closer{}(raw);  // ours now
    }

    std::cout << "5. a FILE*: fclose flushes what fputs buffered\n";
    {
        auto out = godefer::make_unique_resource_checked(std::fopen((dir / "c.txt").c_str(), "w"),
                                                         nullptr, file_closer{"c.txt for writing"});
        if (out.get() == nullptr)
            return 1;  // nothing to fclose; remove_dir still runs
        std::fputs("line 1\n", out.get());
        std::fputs("line 2\n", out.get());
        std::cout << "  wrote 2 lines (still in the FILE* buffer); end of block\n";
    }
    {
        auto in = godefer::make_unique_resource_checked(std::fopen((dir / "c.txt").c_str(), "r"),
                                                        nullptr, file_closer{"c.txt for reading"});
        char line[64];
        while (in.get() != nullptr && std::fgets(line, sizeof line, in.get()) != nullptr)
            std::cout << "  read: " << line;
        std::cout << "  end of block\n";
    }
    std::cout << "end of main\n";
}
