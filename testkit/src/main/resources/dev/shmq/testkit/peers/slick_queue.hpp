// SlickQueue v1.4.0 in C++, written from docs/PROTOCOLS.md section 1 (C++ slick::SlickQueue<T> over shared memory):
// the one native implementation of the protocol that shmq's interop peers and benchmark peers share. It shares no
// code with the Java side, only the struct definitions of shmq/slick_queue_layout.h, which the layout tests check
// against the Java declarations. It behaves as C++ SlickQueue v1.4.0 does on the wire (same atomic operations, same
// memory orders), except that read_last masks the slot index (v1.4.0 does not, which reads out of bounds once
// last_published >= size).
//
// The readers differ from v1.4.0 as shmq's Java readers do, invisibly on the wire (loads only, no new stores):
// - a slot whose size no entry can have while it still holds the index being read (a wrapping producer rewriting it
//   as a wrap marker: size first, data_index second) is "no data now", never an entry that crosses the end of the
//   data array;
// - loss is exact on the wrap-marker path: a reader at position p in slot s = p & mask that finds a marker pointing
//   at q started by a reservation at origin R = q - (size - s) (positions [R, q) were never used) lost R - p when
//   R > p, i.e. when it was lapped; v1.4.0 counts nothing there;
// - read_last returns false, instead of an entry with another entry's size, when the slot of last_published was
//   retaken by a later reservation that is not published yet;
// - read_copy copies an entry and then validates it (reserved index - entry index > size means a lapping producer
//   may have overwritten it): such an entry is counted as lost, never handed out. What no reader can see: a producer
//   that the other producers lap between its reserve and its publish writes its (older) entry over a newer one.
// One difference of shmq's Java readers is deliberately left out: a Java reader remembers the last reserved index it
// loaded and skips the load of reserved (the reset check) while the slot holds the index it expects, where v1.4.0
// loads reserved on every read of a non-empty slot. This peer loads it every time, as v1.4.0 does, so that the
// benchmark's C++ SlickQueue reads as upstream's does. That load takes line 0 (reserved and last_published) to the
// reader's core once per entry, and the producer's CAS of last_published then waits for it: most of the benchmark's
// gap between shmq's SlickQueue and this peer (see README "Performance").
#pragma once

#include "peer_common.hpp"
#include "shmq/slick_queue_layout.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

namespace shmq_peer
{
namespace sq = shmq::slick_queue;

constexpr auto INIT_POLL = std::chrono::milliseconds(1);
constexpr auto INIT_TIMEOUT = std::chrono::seconds(2);
constexpr auto LEGACY_GRACE = std::chrono::milliseconds(5);

inline bool is_power_of_two(const uint64_t value)
{
    return value != 0 && (value & (value - 1)) == 0;
}

// ------------------------------------------------------------------------------------------------------------
// The queue.
// ------------------------------------------------------------------------------------------------------------

struct Entry
{
    uint64_t index = 0;
    uint8_t* data = nullptr;
    uint32_t count = 0;
};

// A queue over a mapping it owns, of a header that is ready (see create and attach below).
class SlickQueue
{
public:
    SlickQueue(Mapping mapping, const bool has_last_published)
        : mapping_(std::move(mapping)),
          header_(mapping_.as<shmq::SlickQueueHeader>()),
          slots_(reinterpret_cast<shmq::SlickQueueSlot*>(mapping_.as<uint8_t>() + sq::HEADER_LENGTH)),
          size_(header_->size),
          mask_(size_ - 1),
          element_size_(header_->element_size),
          data_(mapping_.as<uint8_t>() + sq::data_offset(size_)),
          has_last_published_(has_last_published)
    {
    }

    shmq::SlickQueueHeader* header() const { return header_; }
    // Whether last_published is valid (init_state 3 and magic SLQ1), so that publish updates it.
    bool has_last_published() const { return has_last_published_; }
    uint32_t size() const { return size_; }
    uint32_t element_size() const { return element_size_; }
    uint64_t loss_count() const { return loss_count_; }

    uint8_t* element(const uint64_t index) const
    {
        return data_ + static_cast<std::size_t>(index & mask_) * element_size_;
    }

    uint64_t reserve(const uint32_t n)
    {
        if (n == 0 || n > size_)
        {
            die("reserve n=" + std::to_string(n) + " (expected 1 to " + std::to_string(size_) + ")");
        }
        if (n == 1)
        {
            const uint64_t prev = header_->reserved.fetch_add(1ULL << sq::RESERVED_INDEX_SHIFT,
                std::memory_order_release);
            const uint64_t index = prev >> sq::RESERVED_INDEX_SHIFT;
            const uint64_t prev_size = prev & sq::RESERVED_SIZE_MASK;
            if (prev_size != 1)
            {
                uint64_t expected = sq::pack_reserved(index + 1, prev_size);
                header_->reserved.compare_exchange_strong(expected, sq::pack_reserved(index + 1, 1),
                    std::memory_order_release, std::memory_order_relaxed);
            }
            return index;
        }
        uint64_t reserved = header_->reserved.load(std::memory_order_relaxed);
        uint64_t index = 0;
        bool wrapped = false;
        for (;;)
        {
            index = reserved >> sq::RESERVED_INDEX_SHIFT;
            const uint64_t idx = index & mask_;
            wrapped = idx + n > size_;
            if (wrapped)
            {
                index += size_ - idx;
            }
            if (header_->reserved.compare_exchange_weak(reserved, sq::pack_reserved(index + n, n),
                std::memory_order_release, std::memory_order_relaxed))
            {
                break;
            }
            cpu_relax();
        }
        if (wrapped)
        {
            shmq::SlickQueueSlot& marker = slots_[(reserved >> sq::RESERVED_INDEX_SHIFT) & mask_];
            marker.size = n;
            marker.data_index.store(index, std::memory_order_release);
        }
        return index;
    }

    void publish(const uint64_t index, const uint32_t n)
    {
        shmq::SlickQueueSlot& slot = slots_[index & mask_];
        slot.size = n;
        slot.data_index.store(index, std::memory_order_release);
        if (has_last_published_)
        {
            uint64_t current = header_->last_published.load(std::memory_order_relaxed);
            while ((current == sq::NONE || current < index) &&
                !header_->last_published.compare_exchange_weak(current, index, std::memory_order_release,
                    std::memory_order_relaxed))
            {
            }
        }
    }

    // Reads the next entry for a reader that owns its cursor (broadcast), as C++ read(uint64_t&), with exact loss.
    bool read(uint64_t& cursor, Entry& entry)
    {
        for (;;)
        {
            const uint64_t idx = cursor & mask_;
            shmq::SlickQueueSlot& slot = slots_[idx];
            // acquire: pairs with the producer's release of data_index, so the size and the bytes are complete.
            const uint64_t index = slot.data_index.load(std::memory_order_acquire);
            if (index != sq::NONE &&
                (header_->reserved.load(std::memory_order_relaxed) >> sq::RESERVED_INDEX_SHIFT) < index)
            {
                cursor = 0;
                continue;
            }
            if (index == sq::NONE || index < cursor)
            {
                return false;
            }
            if ((index & mask_) != idx)
            {
                // Wrap marker (index > cursor here): a reader short of the marker's origin was lapped as well.
                loss_count_ += marker_origin(cursor, index) - cursor;
                cursor = index;
                continue;
            }
            const int64_t n = entry_count(slot, index);
            if (n == SLOT_OVERWRITTEN)
            {
                continue;
            }
            if (n == SLOT_UNSETTLED)
            {
                return false;
            }
            if (index > cursor)
            {
                // Lapped: the producers overwrote index - cursor elements before we read them.
                loss_count_ += index - cursor;
            }
            entry = Entry{index, element(index), static_cast<uint32_t>(n)};
            cursor = index + static_cast<uint64_t>(n);
            return true;
        }
    }

    // Reads the next entry and copies its count * element_size bytes to destination (at least size() * element_size()
    // bytes long), then validates the copy: an entry a lapping producer may have overwritten while it was copied is
    // counted as lost and the next one is read instead. Returns the bytes copied, or -1 if no entry is ready.
    int64_t read_copy(uint64_t& cursor, uint8_t* destination)
    {
        Entry entry;
        while (read(cursor, entry))
        {
            const std::size_t length = static_cast<std::size_t>(entry.count) * element_size_;
            std::memcpy(destination, entry.data, length);
            if (!is_overwritten(entry.index))
            {
                return static_cast<int64_t>(length);
            }
            loss_count_ += entry.count;
        }
        return -1;
    }

    // True once a producer may have overwritten the entry at index: a position a lap beyond it was reserved. Call it
    // after using the bytes: false proves no reservation after the entry's touched them (a producer lapped while it
    // wrote an older entry is beyond what reserved can show).
    bool is_overwritten(const uint64_t index) const
    {
        // acquire fence: the reads of the entry's bytes complete before the load of reserved. A producer reserves
        // (a locked read-modify-write) before it writes, so a byte it already overwrote implies its reservation.
        std::atomic_thread_fence(std::memory_order_acquire);
        const uint64_t reserved_index = header_->reserved.load(std::memory_order_acquire) >> sq::RESERVED_INDEX_SHIFT;
        return reserved_index - index > size_;
    }

    // Claims the next entry for one of several readers sharing an atomic cursor (work-stealing), as C++
    // read(std::atomic<uint64_t>&), with exact loss counted by the reader whose CAS moves the cursor.
    bool read(std::atomic<uint64_t>& cursor, Entry& entry)
    {
        for (;;)
        {
            uint64_t current = cursor.load(std::memory_order_acquire);
            const uint64_t idx = current & mask_;
            shmq::SlickQueueSlot& slot = slots_[idx];
            const uint64_t index = slot.data_index.load(std::memory_order_acquire);
            if (index != sq::NONE &&
                (header_->reserved.load(std::memory_order_relaxed) >> sq::RESERVED_INDEX_SHIFT) < index)
            {
                cursor.store(0, std::memory_order_release);
                continue;
            }
            if (index == sq::NONE || index < current)
            {
                return false;
            }
            if ((index & mask_) != idx)
            {
                const uint64_t from = current;
                if (cursor.compare_exchange_weak(current, index, std::memory_order_release,
                    std::memory_order_relaxed))
                {
                    loss_count_ += marker_origin(from, index) - from;
                }
                continue;
            }
            const int64_t n = entry_count(slot, index);
            if (n == SLOT_OVERWRITTEN)
            {
                continue;
            }
            if (n == SLOT_UNSETTLED)
            {
                return false;
            }
            if (cursor.compare_exchange_weak(current, index + static_cast<uint64_t>(n), std::memory_order_release,
                std::memory_order_relaxed))
            {
                if (index > current)
                {
                    loss_count_ += index - current;
                }
                entry = Entry{index, element(index), static_cast<uint32_t>(n)};
                return true;
            }
            cpu_relax();
        }
    }

    // The most recently published entry, as C++ read_last() but with the slot index masked. False when nothing was
    // published, or when the slot of last_published was retaken by a later reservation not published yet.
    bool read_last(Entry& entry) const
    {
        if (has_last_published_)
        {
            // acquire: pairs with the publishing CAS, so the slot and the bytes of that entry are complete.
            uint64_t last = header_->last_published.load(std::memory_order_acquire);
            while (last != sq::NONE)
            {
                const shmq::SlickQueueSlot& slot = slots_[last & mask_];
                const uint32_t n = slot_size(slot);
                // acquire fence: the size is read before the check that the slot still holds this entry.
                std::atomic_thread_fence(std::memory_order_acquire);
                if (fits(last, n) && slot.data_index.load(std::memory_order_acquire) == last)
                {
                    entry = Entry{last, element(last), n};
                    return true;
                }
                // The slot was taken by a later reservation (a wrap marker, or a newer lap): if last_published has
                // not moved on, its entry is gone and nothing newer is readable yet.
                const uint64_t again = header_->last_published.load(std::memory_order_acquire);
                if (again == last)
                {
                    return false;
                }
                last = again;
            }
            return false;
        }
        const uint64_t reserved = header_->reserved.load(std::memory_order_relaxed);
        const uint64_t index = reserved >> sq::RESERVED_INDEX_SHIFT;
        if (index == 0)
        {
            return false;
        }
        const uint64_t n = reserved & sq::RESERVED_SIZE_MASK;
        entry = Entry{index - n, element(index - n), static_cast<uint32_t>(n)};
        return true;
    }

private:
    static constexpr int64_t SLOT_OVERWRITTEN = -1;
    static constexpr int64_t SLOT_UNSETTLED = -2;

    // relaxed: producers store the size plainly before their release of data_index (or of last_published).
    static uint32_t slot_size(const shmq::SlickQueueSlot& slot)
    {
        return __atomic_load_n(&slot.size, __ATOMIC_RELAXED);
    }

    bool fits(const uint64_t index, const uint32_t n) const
    {
        return n >= 1 && (index & mask_) + n <= size_;
    }

    // The element count of the entry at index whose data_index was just acquired, checked against the ring (an
    // entry never crosses the end of the data array). SLOT_OVERWRITTEN: a producer reused the slot while we read it,
    // look again. SLOT_UNSETTLED: a size no entry can have while the slot still holds index, which is what a reader
    // sees while a wrapping producer rewrites the slot as a marker (size first, index second): no data now.
    int64_t entry_count(const shmq::SlickQueueSlot& slot, const uint64_t index) const
    {
        const uint32_t n = slot_size(slot);
        if (fits(index, n))
        {
            return n;
        }
        // acquire fence: the size is read before data_index is read again.
        std::atomic_thread_fence(std::memory_order_acquire);
        return slot.data_index.load(std::memory_order_acquire) != index ? SLOT_OVERWRITTEN : SLOT_UNSETTLED;
    }

    // Where the reservation that left a wrap marker pointing at index in the slot of position started: the marker's
    // slot, in the lap before index; clamped to [position, index] for a marker no producer could have written.
    uint64_t marker_origin(const uint64_t position, const uint64_t index) const
    {
        const uint64_t skipped = size_ - (position & mask_);
        const uint64_t origin = index >= skipped ? index - skipped : 0;
        return std::max(position, std::min(origin, index));
    }

    static void cpu_relax()
    {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#else
        std::this_thread::yield();
#endif
    }

    Mapping mapping_;
    shmq::SlickQueueHeader* header_;
    shmq::SlickQueueSlot* slots_;
    uint32_t size_;
    uint64_t mask_;
    uint32_t element_size_;
    uint8_t* data_;
    bool has_last_published_;
    uint64_t loss_count_ = 0;
};

// ------------------------------------------------------------------------------------------------------------
// Creating and attaching: the init_state handshake (docs/PROTOCOLS.md section 1), written once for every peer.
// ------------------------------------------------------------------------------------------------------------

// Everything the initialiser writes after winning init_state 0 -> 2, in C++ v1.4.0's order and memory orders,
// ending with init_state = 3 (release), the store that publishes all the others.
inline void initialise(shmq::SlickQueueHeader* header, const uint32_t size, const uint32_t element_size)
{
    // release, as docs/PROTOCOLS.md gives it (readers rely on the release of init_state = 3 below, not on this one).
    header->header_magic.store(sq::MAGIC, std::memory_order_release);
    // relaxed, and plain stores for size, element_size and the slot sizes: published by init_state = 3.
    header->reserved.store(0, std::memory_order_relaxed);
    header->last_published.store(sq::NONE, std::memory_order_relaxed);
    header->size = size;
    header->element_size = element_size;
    auto* slots = reinterpret_cast<shmq::SlickQueueSlot*>(reinterpret_cast<uint8_t*>(header) + sq::HEADER_LENGTH);
    for (uint32_t i = 0; i < size; i++)
    {
        slots[i].data_index.store(sq::NONE, std::memory_order_relaxed);
        slots[i].size = 1;
    }
    // release: pairs with the acquire in await_ready, so a process that sees 3 sees the header and slots above.
    header->init_state.store(sq::INIT_STATE_READY, std::memory_order_release);
}

// Readiness: poll init_state every millisecond for up to 2 s; 3 is ready, and so is 1 (legacy) with non-zero size
// and element_size after a 5 ms grace; anything else at the deadline fails. Returns whether last_published is valid
// (state 3 and magic SLQ1).
inline bool await_ready(shmq::SlickQueueHeader* header, const std::string& name)
{
    const auto start = std::chrono::steady_clock::now();
    for (;;)
    {
        // acquire: pairs with the initialiser's release of init_state = 3, so its stores are visible once we see 3.
        const uint32_t state = header->init_state.load(std::memory_order_acquire);
        const auto waited = std::chrono::steady_clock::now() - start;
        if (state == sq::INIT_STATE_READY)
        {
            // acquire (ordered after the acquire of init_state = 3 already): SLQ1 says last_published is valid.
            return header->header_magic.load(std::memory_order_acquire) == sq::MAGIC;
        }
        // plain loads of size and element_size: a legacy header has no ready state to pair with, so the grace
        // gives its writer time to finish.
        if (state == sq::INIT_STATE_LEGACY && header->size != 0 && header->element_size != 0 &&
            waited >= LEGACY_GRACE)
        {
            return false;
        }
        if (waited >= INIT_TIMEOUT)
        {
            die("timed out waiting for initialisation of " + name + ": init_state=" + std::to_string(state));
        }
        std::this_thread::sleep_for(INIT_POLL);
    }
}

// Which creator create requires to initialise.
enum class Initialiser
{
    ANY_CREATOR,   // whichever wins init_state 0 -> 2; the others wait for it (C++ SlickQueue(size, name))
    THIS_PROCESS,  // this process must win: it makes a new queue (hold-init, the bench peers' creators)
};

struct Created
{
    SlickQueue queue;
    bool initialiser;  // this process won init_state 0 -> 2 and initialised (so it unlinks the name, as C++ does)
};

// The creator, as C++ SlickQueue(size, name): create-or-open the object at total_length(size, element_size) (sized
// if new or of 0 bytes), then init_state 0 -> 2. The winner runs hold, if given (a test holding init_state at 2),
// and initialises; a loser waits for readiness and requires size and element_size equal to its own.
inline Created create(const std::string& name, const uint32_t size, const uint32_t element_size,
    const Initialiser initialiser = Initialiser::ANY_CREATOR, void (*const hold)() = nullptr)
{
    if (!is_power_of_two(size))
    {
        die("size=" + std::to_string(size) + " (expected a power of two)");
    }
    Mapping mapping = map_object(name, Open::CREATE_OR_OPEN, sq::total_length(size, element_size), INIT_TIMEOUT);
    auto* header = mapping.as<shmq::SlickQueueHeader>();
    uint32_t expected = sq::INIT_STATE_UNINITIALISED;
    // acq_rel: of the creators racing on one object exactly one moves init_state from 0; a loser learns what the
    // winner wrote from await_ready's acquire, not from this CAS.
    const bool won = header->init_state.compare_exchange_strong(expected, sq::INIT_STATE_INITIALISING,
        std::memory_order_acq_rel);
    if (!won && initialiser == Initialiser::THIS_PROCESS)
    {
        die("init_state=" + std::to_string(expected) + " of " + name + " (expected 0: this process must initialise)");
    }
    bool has_last_published = true;
    if (won)
    {
        if (hold != nullptr)
        {
            hold();
        }
        initialise(header, size, element_size);
    }
    else
    {
        has_last_published = await_ready(header, name);
        if (header->size != size || header->element_size != element_size)
        {
            die("size=" + std::to_string(header->size) + " element_size=" + std::to_string(header->element_size) +
                " of " + name + " (expected size=" + std::to_string(size) + " element_size=" +
                std::to_string(element_size) + ")");
        }
    }
    return Created{SlickQueue(std::move(mapping), has_last_published), won};
}

// The opener, as C++ SlickQueue(name): an existing object, readiness, size a power of two, element_size equal to
// ours, length enough.
inline SlickQueue attach(const std::string& name, const uint32_t element_size)
{
    Mapping mapping = map_object(name, Open::EXISTING, sq::HEADER_LENGTH, INIT_TIMEOUT);
    auto* header = mapping.as<shmq::SlickQueueHeader>();
    const bool has_last_published = await_ready(header, name);
    const uint32_t size = header->size;
    if (!is_power_of_two(size))
    {
        die("size=" + std::to_string(size) + " of " + name + " (expected a power of two)");
    }
    if (header->element_size != element_size)
    {
        die("element_size=" + std::to_string(header->element_size) + " of " + name + " (expected " +
            std::to_string(element_size) + ")");
    }
    if (sq::total_length(size, element_size) > mapping.length())
    {
        die("length=" + std::to_string(mapping.length()) + " of " + name + " (expected at least " +
            std::to_string(sq::total_length(size, element_size)) + ")");
    }
    return SlickQueue(std::move(mapping), has_last_published);
}
}
