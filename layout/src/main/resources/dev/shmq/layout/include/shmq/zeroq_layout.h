// zeroq 0.1.0 shared-memory layout (Vyukov's bounded MPMC queue, as the Rust core lays it out), written by hand
// from shmq's docs/PROTOCOLS.md the way a C++ peer declares it. shmq's layout tests check the Java declarations
// (ZeroqDescriptor) against these structs with g++, member by member: keep the member names equal to the Java ones.
//
// Segment: [ZeroqHeader: 32][ZeroqCell x capacity: 8 each][element x capacity: element_size each]
// No magic, no version, no cache-line padding.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace shmq
{

struct ZeroqHeader
{
    uint64_t element_size;             // bytes per element
    uint64_t buffer_mask;              // capacity - 1, capacity a power of two >= 2
    std::atomic<uint64_t> enqueue_pos; // next position a producer claims
    std::atomic<uint64_t> dequeue_pos; // next position a consumer claims
};

struct ZeroqCell
{
    std::atomic<uint64_t> sequence;    // cell i starts at i; pos + 1 when filled, pos + capacity when emptied
};

namespace zeroq
{

constexpr std::size_t HEADER_LENGTH = 32;
constexpr std::size_t CELL_LENGTH = 8;
constexpr std::size_t MIN_CAPACITY = 2;

constexpr std::size_t cell_offset(const std::size_t cell) noexcept
{
    return HEADER_LENGTH + cell * CELL_LENGTH;
}

constexpr std::size_t data_offset(const std::size_t capacity) noexcept
{
    return HEADER_LENGTH + capacity * CELL_LENGTH;
}

constexpr std::size_t element_offset(
    const std::size_t capacity, const std::size_t element_size, const uint64_t pos) noexcept
{
    return data_offset(capacity) + static_cast<std::size_t>(pos & (capacity - 1)) * element_size;
}

constexpr std::size_t total_length(const std::size_t capacity, const std::size_t element_size) noexcept
{
    return HEADER_LENGTH + capacity * (CELL_LENGTH + element_size);
}

} // namespace zeroq

static_assert(std::atomic<uint64_t>::is_always_lock_free, "atomics in shared memory must be lock-free");
static_assert(sizeof(ZeroqHeader) == zeroq::HEADER_LENGTH);
static_assert(alignof(ZeroqHeader) == 8);
static_assert(offsetof(ZeroqHeader, element_size) == 0);
static_assert(offsetof(ZeroqHeader, buffer_mask) == 8);
static_assert(offsetof(ZeroqHeader, enqueue_pos) == 16);
static_assert(offsetof(ZeroqHeader, dequeue_pos) == 24);
static_assert(sizeof(ZeroqCell) == zeroq::CELL_LENGTH);
static_assert(offsetof(ZeroqCell, sequence) == 0);
static_assert(zeroq::total_length(1024, 8) == 32 + 8 * 1024 + 8 * 1024);

} // namespace shmq
