// The C++ side's own declaration of an order, the single source of truth: FlyweightOrderInteropTest imports it
// with dev.shmq.layout.HeaderImporter and reads it through the flyweight FlyweightGenerator writes from that.
#pragma once

#include <cstdint>

namespace md
{

constexpr int SYMBOL_LENGTH = 8;

struct Order
{
    std::uint64_t order_id;
    std::int64_t price_ticks;
    std::uint32_t quantity;
    char symbol[SYMBOL_LENGTH]; // ASCII, NUL-padded
    std::uint8_t side;          // 'B' or 'S'
};

} // namespace md
