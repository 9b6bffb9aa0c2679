// zeroq 0.1.0 in C++, written from docs/PROTOCOLS.md section 2 (Vyukov's bounded MPMC queue over shared memory).
// The one native implementation of the protocol that shmq's interop peers and benchmark peers share. It shares no
// code with the Java side, only the struct definitions of shmq/zeroq_layout.h, which the layout tests check against
// the Java declarations.
#pragma once

#include "peer_common.hpp"
#include "shmq/zeroq_layout.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace shmq_peer
{
struct ZeroqQueue
{
    Mapping mapping;  // the object, owned: header, cells and data point into it
    shmq::ZeroqHeader* header = nullptr;
    shmq::ZeroqCell* cells = nullptr;
    uint8_t* data = nullptr;
    uint64_t mask = 0;
    uint64_t element_size = 0;

    // Takes the mapping of an initialised queue (element_size non-zero).
    void bind(Mapping mapped)
    {
        mapping = std::move(mapped);
        header = mapping.as<shmq::ZeroqHeader>();
        cells = reinterpret_cast<shmq::ZeroqCell*>(mapping.as<uint8_t>() + sizeof(shmq::ZeroqHeader));
        mask = header->buffer_mask;
        element_size = header->element_size;
        data = reinterpret_cast<uint8_t*>(cells + (mask + 1));
    }

    // Writes a fresh header and cells into zero-filled memory of zeroq_total_length(capacity, element_size) bytes,
    // element_size last (release), so an opener that sees it non-zero sees the rest.
    static void initialise(void* base, uint64_t capacity, uint64_t element_size)
    {
        auto* header = static_cast<shmq::ZeroqHeader*>(base);
        auto* cells = reinterpret_cast<shmq::ZeroqCell*>(static_cast<uint8_t*>(base) + sizeof(shmq::ZeroqHeader));
        for (uint64_t i = 0; i < capacity; i++)
        {
            cells[i].sequence.store(i, std::memory_order_relaxed);
        }
        header->enqueue_pos.store(0, std::memory_order_relaxed);
        header->dequeue_pos.store(0, std::memory_order_relaxed);
        header->buffer_mask = capacity - 1;
        std::atomic_thread_fence(std::memory_order_release);
        header->element_size = element_size;
    }

    bool enqueue(const uint8_t* src)
    {
        return enqueue_with([&](uint8_t* element) { std::memcpy(element, src, element_size); });
    }

    // enqueue, with the element written in place by write(uint8_t* element) between the claim and the commit
    template <typename Write>
    bool enqueue_with(Write write)
    {
        uint64_t pos = header->enqueue_pos.load(std::memory_order_relaxed);
        for (;;)
        {
            shmq::ZeroqCell& cell = cells[pos & mask];
            const uint64_t seq = cell.sequence.load(std::memory_order_acquire);
            const int64_t dif = static_cast<int64_t>(seq - pos);
            if (dif == 0)
            {
                if (header->enqueue_pos.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed))
                {
                    write(data + (pos & mask) * element_size);
                    cell.sequence.store(pos + 1, std::memory_order_release);
                    return true;
                }
            }
            else if (dif < 0)
            {
                return false;
            }
            else
            {
                pos = header->enqueue_pos.load(std::memory_order_relaxed);
            }
        }
    }

    bool dequeue(uint8_t* dst)
    {
        return dequeue_with([&](const uint8_t* element) { std::memcpy(dst, element, element_size); });
    }

    // dequeue, with the element read in place by read(const uint8_t* element) between the claim and the release
    template <typename Read>
    bool dequeue_with(Read read)
    {
        uint64_t pos = header->dequeue_pos.load(std::memory_order_relaxed);
        for (;;)
        {
            shmq::ZeroqCell& cell = cells[pos & mask];
            const uint64_t seq = cell.sequence.load(std::memory_order_acquire);
            const int64_t dif = static_cast<int64_t>(seq - (pos + 1));
            if (dif == 0)
            {
                if (header->dequeue_pos.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed))
                {
                    read(data + (pos & mask) * element_size);
                    cell.sequence.store(pos + mask + 1, std::memory_order_release);
                    return true;
                }
            }
            else if (dif < 0)
            {
                return false;
            }
            else
            {
                pos = header->dequeue_pos.load(std::memory_order_relaxed);
            }
        }
    }
};

inline size_t zeroq_total_length(uint64_t capacity, uint64_t element_size)
{
    return sizeof(shmq::ZeroqHeader) + capacity * sizeof(shmq::ZeroqCell) + capacity * element_size;
}

}
