// A C++ producer of md::Order entries on a SlickQueue (one element of sizeof(md::Order) per entry), for
// FlyweightOrderInteropTest: the Java side reads them through a flyweight generated from order.h.
//
// Usage:
//   order_producer NAME COUNT   attach to the queue NAME (element size sizeof(md::Order)), print READY, publish
//                               COUNT orders, order i holding
//                                 order_id    = 2^63 + i              (above INT64_MAX: unsigned in Java)
//                                 price_ticks = -7 * i
//                                 quantity    = 4000000000 - i        (above INT32_MAX: widened in Java)
//                                 symbol      = "S" + i % 1000, NUL-padded
//                                 side        = 'B' for even i, 'S' for odd
//                               then print "DONE produced=COUNT"
#include "order.h"
#include "slick_queue.hpp"

#include <cstdio>
#include <cstring>
#include <new>
#include <string>

using namespace shmq_peer;

int main(int argc, char** argv)
{
    if (argc != 3)
    {
        std::fprintf(stderr, "usage: order_producer NAME COUNT\n");
        return 2;
    }
    const uint64_t count = parse(argv[2], "COUNT");
    SlickQueue queue = attach(argv[1], sizeof(md::Order));
    say("READY");
    for (uint64_t i = 0; i < count; i++)
    {
        const uint64_t index = queue.reserve(1);
        md::Order* order = new (queue.element(index)) md::Order{};
        order->order_id = (1ULL << 63) + i;
        order->price_ticks = -7 * static_cast<int64_t>(i);
        order->quantity = static_cast<uint32_t>(4000000000ULL - i);
        const std::string symbol = "S" + std::to_string(i % 1000);
        std::memcpy(order->symbol, symbol.data(), symbol.size());
        order->side = 0 == i % 2 ? 'B' : 'S';
        queue.publish(index, 1);
    }
    std::printf("DONE produced=%llu\n", static_cast<unsigned long long>(count));
    std::fflush(stdout);
    return 0;
}
