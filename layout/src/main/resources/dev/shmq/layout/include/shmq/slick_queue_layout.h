// SlickQueue v1.4.0 shared-memory layout (C++ slick::SlickQueue<T>), written by hand from shmq's docs/PROTOCOLS.md
// the way a C++ peer declares it. shmq's layout tests check the Java declarations (SlickQueueDescriptor) against
// these structs with g++, member by member: keep the member names equal to the Java ones.
//
// Segment: [SlickQueueHeader: 64][SlickQueueSlot x size: 16 each][element x size: element_size each]
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace shmq
{

struct SlickQueueHeader
{
    std::atomic<uint64_t> reserved;       // (write index << 16) | (size of the last reservation & 0xFFFF)
    uint32_t size;                        // capacity, a power of two
    uint32_t element_size;                // sizeof(T) of the creator
    std::atomic<uint64_t> last_published; // highest published index, NONE when nothing was published
    std::atomic<uint32_t> header_magic;   // MAGIC once a v1.4.0 creator has initialised the segment
    uint8_t padding1[20];
    std::atomic<uint32_t> init_state;     // INIT_STATE_*
    uint8_t padding2[12];
};

struct SlickQueueSlot
{
    std::atomic<uint64_t> data_index;     // index of the entry in this slot, NONE when empty
    uint32_t size;                        // number of elements in the entry
    uint8_t padding[4];
};

namespace slick_queue
{

constexpr uint32_t MAGIC = 0x534C5131u;   // hex digits spell "SLQ1"; stored little-endian the bytes are "1QLS"
constexpr uint64_t NONE = ~0ull;          // no index: empty data_index, nothing in last_published

constexpr uint32_t INIT_STATE_UNINITIALISED = 0;
constexpr uint32_t INIT_STATE_LEGACY = 1;
constexpr uint32_t INIT_STATE_INITIALISING = 2;
constexpr uint32_t INIT_STATE_READY = 3;

constexpr unsigned RESERVED_INDEX_SHIFT = 16;
constexpr uint64_t RESERVED_SIZE_MASK = 0xFFFFull;

constexpr std::size_t HEADER_LENGTH = 64;
constexpr std::size_t SLOT_LENGTH = 16;

constexpr uint64_t pack_reserved(const uint64_t index, const uint64_t n) noexcept
{
    return (index << RESERVED_INDEX_SHIFT) | (n & RESERVED_SIZE_MASK);
}

constexpr std::size_t slot_offset(const std::size_t slot) noexcept
{
    return HEADER_LENGTH + slot * SLOT_LENGTH;
}

constexpr std::size_t data_offset(const std::size_t capacity) noexcept
{
    return HEADER_LENGTH + capacity * SLOT_LENGTH;
}

constexpr std::size_t element_offset(
    const std::size_t capacity, const std::size_t element_size, const uint64_t index) noexcept
{
    return data_offset(capacity) + static_cast<std::size_t>(index & (capacity - 1)) * element_size;
}

constexpr std::size_t total_length(const std::size_t capacity, const std::size_t element_size) noexcept
{
    return HEADER_LENGTH + capacity * (SLOT_LENGTH + element_size);
}

} // namespace slick_queue

static_assert(std::atomic<uint64_t>::is_always_lock_free, "atomics in shared memory must be lock-free");
static_assert(std::atomic<uint32_t>::is_always_lock_free, "atomics in shared memory must be lock-free");
static_assert(sizeof(SlickQueueHeader) == slick_queue::HEADER_LENGTH);
static_assert(alignof(SlickQueueHeader) == 8);
static_assert(offsetof(SlickQueueHeader, reserved) == 0);
static_assert(offsetof(SlickQueueHeader, size) == 8);
static_assert(offsetof(SlickQueueHeader, element_size) == 12);
static_assert(offsetof(SlickQueueHeader, last_published) == 16);
static_assert(offsetof(SlickQueueHeader, header_magic) == 24);
static_assert(offsetof(SlickQueueHeader, init_state) == 48);
static_assert(sizeof(SlickQueueSlot) == slick_queue::SLOT_LENGTH);
static_assert(offsetof(SlickQueueSlot, data_index) == 0);
static_assert(offsetof(SlickQueueSlot, size) == 8);
static_assert(slick_queue::total_length(1024, 8) == 64 + 16 * 1024 + 8 * 1024);

} // namespace shmq
