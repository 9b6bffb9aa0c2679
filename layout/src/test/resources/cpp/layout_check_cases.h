// Structs for CppLayoutCheckerTest: one that matches its Java declaration, and deliberately wrong ones.
#pragma once

#include <atomic>
#include <cstdint>

namespace cases
{

struct Inner
{
    uint32_t x;
    uint8_t y;
};

struct Matching
{
    uint8_t flag;
    Inner items[2];
    std::atomic<uint64_t> seq;
    char symbol[5];
    long long total; // spelled differently from int64_t, same kind
};

struct WrongWidth
{
    uint32_t a;
    uint64_t b; // Java declares u32: offsetof b is 4 in Java, 8 here
};

struct MissingField
{
    uint32_t a; // Java also declares b
};

struct NotAtomic
{
    uint64_t a; // Java declares std::atomic<uint64_t>
};

constexpr uint32_t ANSWER = 42;

} // namespace cases
