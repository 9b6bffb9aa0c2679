// The C++ side of the README example: a market-data tick a C++ feed handler writes into shared memory.
#pragma once

#include <atomic>
#include <cstdint>

namespace md
{

struct alignas(64) MarketDataTick // one tick per cache line: no false sharing between ticks
{
    std::atomic<uint64_t> sequence; // seqlock: odd while the writer updates the tick
    int64_t timestamp_nanos;
    char symbol[12];
    int32_t price_ticks;
    uint32_t quantity;
    uint8_t side;                   // 'B' or 'S'
    int64_t exchange_nanos;
};

} // namespace md
