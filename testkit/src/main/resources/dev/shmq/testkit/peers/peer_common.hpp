// Helpers shared by shmq's native peers (interop and benchmark programs): failure reporting, handshake lines, and
// the one way they map shared memory (map_object).
#pragma once

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace shmq_peer
{
// Prints "FAIL message" on stdout (where the Java harness reads) and exits 1.
[[noreturn]] inline void die(const std::string& message)
{
    std::printf("FAIL %s\n", message.c_str());
    std::fflush(stdout);
    std::exit(1);
}

inline uint64_t parse(const char* text, const char* what)
{
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
    {
        die(std::string(what) + "=" + text + " (expected an unsigned decimal number)");
    }
    return value;
}

// Prints one handshake line and flushes, so the harness sees it at once.
inline void say(const char* line)
{
    std::printf("%s\n", line);
    std::fflush(stdout);
}

inline void await_line()
{
    std::string line;
    std::getline(std::cin, line);
}

// ------------------------------------------------------------------------------------------------------------
// Shared memory.
// ------------------------------------------------------------------------------------------------------------

// How map_object finds the object.
enum class Open
{
    EXISTING,        // the object must exist (O_RDWR)
    NEW,             // this process creates it: O_CREAT | O_EXCL, mode 0600, sized to the length
    CREATE_OR_OPEN,  // as the C++ SlickQueue creator: O_CREAT | O_EXCL, mode 0600, sized if new; open when it exists
};

// Where the name is looked up: shm_open's namespace (/dev/shm on Linux), or the file system (a path: the bench
// peers' objects under shmdir=).
enum class Namespace
{
    SHM,
    PATH,
};

// A shared read-write mapping of a whole object; unmapped when destroyed. Move-only: the queues own theirs.
class [[nodiscard]] Mapping
{
public:
    Mapping() = default;

    Mapping(void* const base, const std::size_t length) : base_(base), length_(length)
    {
    }

    Mapping(Mapping&& other) noexcept : base_(other.base_), length_(other.length_)
    {
        other.base_ = nullptr;
        other.length_ = 0;
    }

    Mapping& operator=(Mapping&& other) noexcept
    {
        if (this != &other)
        {
            unmap();
            base_ = other.base_;
            length_ = other.length_;
            other.base_ = nullptr;
            other.length_ = 0;
        }
        return *this;
    }

    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    ~Mapping()
    {
        unmap();
    }

    void* base() const { return base_; }
    std::size_t length() const { return length_; }

    template <typename T>
    T* as() const
    {
        return static_cast<T*>(base_);
    }

private:
    void unmap()
    {
        if (base_ != nullptr)
        {
            munmap(base_, length_);
            base_ = nullptr;
        }
    }

    void* base_ = nullptr;
    std::size_t length_ = 0;
};

// A file descriptor, closed when destroyed: the mapping keeps the object, not the descriptor.
class FileDescriptor
{
public:
    explicit FileDescriptor(const int fd) : fd_(fd)
    {
    }

    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    ~FileDescriptor()
    {
        if (fd_ >= 0)
        {
            close(fd_);
        }
    }

    int get() const { return fd_; }

private:
    int fd_;
};

constexpr auto MAP_POLL = std::chrono::milliseconds(1);

// Opens the object `name` as `how` says and maps all of it, as fstat reports its length; every failure dies naming
// the call, the object and errno's text.
// - NEW and CREATE_OR_OPEN size an object they create to `length` (ftruncate: zero-filled).
// - An existing object must have at least `length` bytes. Its creator sizes it right after creating it, so a
//   shorter one is polled every millisecond for up to `wait` (none by default). CREATE_OR_OPEN then sizes an object
//   still of 0 bytes, as C++ slick-shm does with any 0-byte object it finds (a creator died before ftruncate).
inline Mapping map_object(const std::string& name, const Open how, const std::size_t length,
    const std::chrono::milliseconds wait = std::chrono::milliseconds(0), const Namespace where = Namespace::SHM)
{
    const char* const call = where == Namespace::SHM ? "shm_open " : "open ";
    const auto open_object = [&](const int flags, const mode_t mode)
    {
        return where == Namespace::SHM ? shm_open(name.c_str(), flags, mode) : open(name.c_str(), flags, mode);
    };
    const auto size_to = [&](const int fd)
    {
        if (ftruncate(fd, static_cast<off_t>(length)) != 0)
        {
            die("ftruncate " + name + ": " + std::strerror(errno));
        }
    };
    const auto length_of = [&](const int fd)
    {
        struct stat st{};
        if (fstat(fd, &st) != 0)
        {
            die("fstat " + name + ": " + std::strerror(errno));
        }
        return static_cast<std::size_t>(st.st_size);
    };

    bool created = false;
    int fd = -1;
    if (how == Open::EXISTING)
    {
        fd = open_object(O_RDWR, 0);
    }
    else
    {
        fd = open_object(O_CREAT | O_EXCL | O_RDWR, 0600);
        created = fd >= 0;
        if (fd < 0 && errno == EEXIST && how == Open::CREATE_OR_OPEN)
        {
            fd = open_object(O_RDWR, 0);
        }
    }
    if (fd < 0)
    {
        die(call + name + ": " + std::strerror(errno));
    }
    const FileDescriptor descriptor(fd);

    if (created)
    {
        size_to(fd);
    }
    std::size_t actual = length_of(fd);
    if (!created)
    {
        const auto deadline = std::chrono::steady_clock::now() + wait;
        while (actual < length && std::chrono::steady_clock::now() < deadline)
        {
            std::this_thread::sleep_for(MAP_POLL);
            actual = length_of(fd);
        }
        if (actual == 0 && how == Open::CREATE_OR_OPEN)
        {
            size_to(fd);
            actual = length_of(fd);
        }
        if (actual < length)
        {
            die("length=" + std::to_string(actual) + " of " + name + " (expected at least " +
                std::to_string(length) + ")");
        }
    }

    void* const base = mmap(nullptr, actual, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED)
    {
        die("mmap " + name + ": " + std::strerror(errno));
    }
    return Mapping(base, actual);
}
}
