// zeroq 0.1.0 peer written from docs/PROTOCOLS.md section 2 (Vyukov bounded MPMC over shared memory).
// A real native process for shmq's interop tests: it shares no code with the Java side, only the struct
// definitions in shmq/zeroq_layout.h, which the layout tests check against the Java declarations.
//
// Usage:
//   zeroq_peer create NAME CAPACITY ELEMENT_SIZE      create the object (O_EXCL, 0600), print READY, then
//                                                    wait for a line on stdin and unlink it
//   zeroq_peer put NAME PRODUCER_ID COUNT             put COUNT checked elements (retry while Full)
//   zeroq_peer get NAME PRODUCERS                     take elements until one stop element arrives;
//                                                    verify content and per-producer order; print
//                                                    "DONE p0=count/sum/sumsq ..." (sums of the sequences taken,
//                                                    modulo 2^64)
//   zeroq_peer stop NAME COUNT                        put COUNT stop elements
// Reliability modes (dev.shmq.reliability tests):
//   zeroq_peer acquire-hold NAME                      take one element's position (CAS on dequeue_pos), print
//                                                    "ACQUIRED position producer sequence", never release it and
//                                                    block on stdin (to be killed): a consumer dead mid-read
//   zeroq_peer claim-hold NAME PRODUCER_ID COUNT      put COUNT checked elements, claim one more position (CAS on
//                                                    enqueue_pos), write half of it, print "CLAIMED position",
//                                                    never commit and block on stdin (to be killed)
// Element: u64 producer id, u64 sequence, then bytes (producer * 31 + sequence + i) & 0xFF.
// Stop element: producer id = ~0. Every mode prints READY once attached and DONE ... at the end;
// a verification failure prints FAIL ... and exits 1.
#include "peer_common.hpp"
#include "zeroq_queue.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sched.h>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace
{
constexpr uint64_t STOP = ~0ULL;

using namespace shmq_peer;

// Maps an existing queue (at least a header, not waited for) into queue, which then owns the mapping.
void map_existing(const std::string& name, shmq_peer::ZeroqQueue& queue)
{
    queue.bind(map_object(name, Open::EXISTING, sizeof(shmq::ZeroqHeader)));
    const size_t length = queue.mapping.length();
    if (shmq_peer::zeroq_total_length(queue.mask + 1, queue.element_size) != length)
    {
        die("header does not match object length " + std::to_string(length));
    }
}

void fill(std::vector<uint8_t>& element, uint64_t producer, uint64_t seq)
{
    std::memcpy(element.data(), &producer, 8);
    std::memcpy(element.data() + 8, &seq, 8);
    for (size_t i = 16; i < element.size(); i++)
    {
        element[i] = static_cast<uint8_t>((producer * 31 + seq + i) & 0xFF);
    }
}

void ready()
{
    std::printf("READY %d\n", static_cast<int>(getpid()));
    std::fflush(stdout);
}

int create(const std::string& name, uint64_t capacity, uint64_t element_size)
{
    const Mapping mapping = map_object(name, Open::NEW, shmq_peer::zeroq_total_length(capacity, element_size));
    shmq_peer::ZeroqQueue::initialise(mapping.base(), capacity, element_size);
    ready();
    std::string line;
    std::getline(std::cin, line);
    shm_unlink(name.c_str());
    std::printf("DONE unlinked\n");
    return 0;
}

int put(const std::string& name, uint64_t producer, uint64_t count)
{
    shmq_peer::ZeroqQueue queue;
    map_existing(name, queue);
    ready();
    std::vector<uint8_t> element(queue.element_size);
    uint64_t full = 0;
    for (uint64_t seq = 0; seq < count; seq++)
    {
        fill(element, producer, seq);
        while (!queue.enqueue(element.data()))
        {
            full++;
            sched_yield();
        }
    }
    std::printf("DONE put=%llu full=%llu\n", static_cast<unsigned long long>(count), static_cast<unsigned long long>(full));
    return 0;
}

int stop(const std::string& name, uint64_t count)
{
    shmq_peer::ZeroqQueue queue;
    map_existing(name, queue);
    std::vector<uint8_t> element(queue.element_size);
    fill(element, STOP, 0);
    for (uint64_t i = 0; i < count; i++)
    {
        while (!queue.enqueue(element.data()))
        {
            sched_yield();
        }
    }
    std::printf("DONE stop=%llu\n", static_cast<unsigned long long>(count));
    return 0;
}

int get(const std::string& name, uint64_t producers)
{
    shmq_peer::ZeroqQueue queue;
    map_existing(name, queue);
    ready();
    std::vector<uint8_t> element(queue.element_size);
    std::vector<uint8_t> expected(queue.element_size);
    std::vector<uint64_t> counts(producers, 0);
    std::vector<uint64_t> sums(producers, 0);
    std::vector<uint64_t> squares(producers, 0);
    std::vector<int64_t> last(producers, -1);
    for (;;)
    {
        if (!queue.dequeue(element.data()))
        {
            sched_yield();
            continue;
        }
        uint64_t producer;
        uint64_t seq;
        std::memcpy(&producer, element.data(), 8);
        std::memcpy(&seq, element.data() + 8, 8);
        if (producer == STOP)
        {
            break;
        }
        if (producer >= producers)
        {
            die("producer id " + std::to_string(producer) + " out of range");
        }
        fill(expected, producer, seq);
        if (expected != element)
        {
            die("corrupt element producer=" + std::to_string(producer) + " seq=" + std::to_string(seq));
        }
        if (static_cast<int64_t>(seq) <= last[producer])
        {
            die("order: producer=" + std::to_string(producer) + " seq=" + std::to_string(seq) +
                " after " + std::to_string(last[producer]));
        }
        last[producer] = static_cast<int64_t>(seq);
        counts[producer]++;
        sums[producer] += seq;
        squares[producer] += seq * seq;
    }
    std::printf("DONE");
    for (uint64_t p = 0; p < producers; p++)
    {
        std::printf(" p%llu=%llu/%llu/%llu", static_cast<unsigned long long>(p),
            static_cast<unsigned long long>(counts[p]), static_cast<unsigned long long>(sums[p]),
            static_cast<unsigned long long>(squares[p]));
    }
    std::printf("\n");
    return 0;
}

int acquire_hold(const std::string& name)
{
    shmq_peer::ZeroqQueue queue;
    map_existing(name, queue);
    // dequeue up to the copy-out, without the release store that would free the cell.
    uint64_t pos = queue.header->dequeue_pos.load(std::memory_order_relaxed);
    for (;;)
    {
        const uint64_t seq = queue.cells[pos & queue.mask].sequence.load(std::memory_order_acquire);
        const int64_t dif = static_cast<int64_t>(seq - (pos + 1));
        if (dif == 0 && queue.header->dequeue_pos.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed))
        {
            break;
        }
        if (dif < 0)
        {
            die("acquire-hold: queue empty at position " + std::to_string(pos) + " (expected an element)");
        }
        if (dif > 0)
        {
            pos = queue.header->dequeue_pos.load(std::memory_order_relaxed);
        }
    }
    uint64_t producer;
    uint64_t seq;
    std::memcpy(&producer, queue.data + (pos & queue.mask) * queue.element_size, 8);
    std::memcpy(&seq, queue.data + (pos & queue.mask) * queue.element_size + 8, 8);
    std::printf("ACQUIRED %llu %llu %llu\n", static_cast<unsigned long long>(pos),
        static_cast<unsigned long long>(producer), static_cast<unsigned long long>(seq));
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line);
    die("acquire-hold was told to go on (expected to be killed)");
}

int claim_hold(const std::string& name, uint64_t producer, uint64_t count)
{
    shmq_peer::ZeroqQueue queue;
    map_existing(name, queue);
    std::vector<uint8_t> element(queue.element_size);
    for (uint64_t seq = 0; seq < count; seq++)
    {
        fill(element, producer, seq);
        while (!queue.enqueue(element.data()))
        {
            sched_yield();
        }
    }
    // enqueue up to the copy, without the release store that would commit the cell.
    uint64_t pos = queue.header->enqueue_pos.load(std::memory_order_relaxed);
    for (;;)
    {
        const uint64_t seq = queue.cells[pos & queue.mask].sequence.load(std::memory_order_acquire);
        const int64_t dif = static_cast<int64_t>(seq - pos);
        if (dif == 0 && queue.header->enqueue_pos.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed))
        {
            break;
        }
        if (dif < 0)
        {
            die("claim-hold: queue full at position " + std::to_string(pos) + " (expected a free cell)");
        }
        if (dif > 0)
        {
            pos = queue.header->enqueue_pos.load(std::memory_order_relaxed);
        }
    }
    fill(element, producer, count);
    std::memcpy(queue.data + (pos & queue.mask) * queue.element_size, element.data(), queue.element_size / 2);
    std::printf("CLAIMED %llu\n", static_cast<unsigned long long>(pos));
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line);
    die("claim-hold was told to go on (expected to be killed)");
}
}

int main(int argc, char** argv)
{
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "acquire-hold" && argc == 3)
    {
        return acquire_hold(argv[2]);
    }
    if (mode == "claim-hold" && argc == 5)
    {
        return claim_hold(argv[2], std::strtoull(argv[3], nullptr, 10), std::strtoull(argv[4], nullptr, 10));
    }
    if (mode == "create" && argc == 5)
    {
        return create(argv[2], std::strtoull(argv[3], nullptr, 10), std::strtoull(argv[4], nullptr, 10));
    }
    if (mode == "put" && argc == 5)
    {
        return put(argv[2], std::strtoull(argv[3], nullptr, 10), std::strtoull(argv[4], nullptr, 10));
    }
    if (mode == "get" && argc == 4)
    {
        return get(argv[2], std::strtoull(argv[3], nullptr, 10));
    }
    if (mode == "stop" && argc == 4)
    {
        return stop(argv[2], std::strtoull(argv[3], nullptr, 10));
    }
    std::fprintf(stderr, "usage: zeroq_peer create NAME CAPACITY ELEMENT_SIZE | put NAME PRODUCER_ID COUNT | "
                         "get NAME PRODUCERS | stop NAME COUNT | acquire-hold NAME | "
                         "claim-hold NAME PRODUCER_ID COUNT\n");
    return 2;
}
