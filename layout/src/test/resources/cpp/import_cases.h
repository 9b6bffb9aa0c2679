// Structs for HeaderImporterTest: md::Order is what the importer reads; the structs in namespace bad each hold
// one thing a CStruct cannot express.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace md
{
constexpr std::size_t SYMBOL_LENGTH = 12;

struct Level
{
    std::int64_t price;
    std::uint32_t quantity;
};

using Quantity = std::uint32_t;

/* One order per two cache lines. */
struct alignas(64) Order
{
    static constexpr int VERSION = 2;   // static: not part of the layout
    std::atomic<std::uint64_t> sequence;
    std::int64_t timestamp_nanos;
    char symbol[SYMBOL_LENGTH];
    Quantity quantity;
    unsigned char side;
    alignas(8) Level levels[2];
    long total;                          // LP64: 64 bits
    std::uint8_t reserved[3] = {};

    bool is_buy() const
    {
        return side == 'B';
    }
};

static_assert(sizeof(Order) == 128, "two cache lines");
}

namespace bad
{
struct WithBitField
{
    std::uint32_t flags : 3;
    std::uint32_t rest;
};

struct WithPointer
{
    std::uint64_t id;
    const char* name;
};

union Variant
{
    std::uint32_t u;
    std::int32_t i;
};

struct WithUnion
{
    Variant v;
};

template <typename T>
struct Box
{
    T value;
};

struct WithTemplate
{
    Box<int> box;
};

struct WithDouble
{
    double price;
};

struct Base
{
    std::uint32_t id;
};

struct WithBase : Base
{
    std::uint32_t more;
};

struct WithVirtual
{
    virtual ~WithVirtual() = default;
    std::uint32_t id;
};

struct WithPacked
{
    std::uint8_t a;
    std::uint64_t b;
} __attribute__((packed));
}

// The C spelling, as a C peer's header has it.
#include <stdint.h>

typedef struct
{
    uint32_t sequence;
    uint16_t flags;
    char tag[3];
} CTick;
