// Helpers shared by shmq's native peers (interop and benchmark programs): failure reporting and handshake lines.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

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
}
