// SlickQueue v1.4.0 peer written from PROTOCOLS.md section 1 (C++ slick::SlickQueue<T> over shared memory).
// A real native process for shmq's interop tests: it shares no code with the Java side, only the struct
// definitions in shmq/slick_queue_layout.h, which the layout tests check against the Java declarations.
// It behaves as C++ SlickQueue v1.4.0 does on the wire (same atomic operations, same memory orders), except that
// read_last masks the slot index (v1.4.0 does not, which reads out of bounds once last_published >= size).
//
// Usage:
//   slick_peer create NAME SIZE ESIZE               create-or-open with the init_state handshake, print READY,
//                                                   wait for a line on stdin, unlink if this process initialised
//   slick_peer hold-init NAME SIZE ESIZE            create the object, take init_state 0 -> 2, print READY, wait
//                                                   for a line on stdin, finish initialising (init_state = 3),
//                                                   print INITIALISED, wait for a line (or EOF), unlink
//   slick_peer produce NAME ESIZE COUNT PRODUCER_ID [N]
//                                                   publish COUNT checked entries of N elements (default 1:
//                                                   reserve(); N > 1: reserve(N), the CAS path with wrap markers)
//   slick_peer stop NAME ESIZE COUNT                publish COUNT stop entries (one element each)
//   slick_peer consume NAME ESIZE COUNT [START]     read with an own cursor (from START, default 0) until COUNT
//                                                   checked entries arrived; stop entries are skipped; verify
//                                                   content and per-producer order (strictly +1 unless entries
//                                                   were lost to lapping, then strictly increasing)
//   slick_peer steal NAME CURSOR_NAME ESIZE         claim entries through a shared 8-byte atomic cursor object
//                                                   until a stop entry is claimed; print "FIRST index" at the
//                                                   first claim, and count, sum and sum of squares (mod 2^64) of
//                                                   the indexes claimed in DONE
//   slick_peer cursor-create CURSOR_NAME            create an 8-byte cursor object at 0, print READY, wait for a
//                                                   line on stdin, unlink
//   slick_peer read-last NAME ESIZE                 print "LAST index producer sequence count" or "LAST none"
// Reliability modes (dev.shmq.reliability tests):
//   slick_peer produce-paced NAME ESIZE COUNT PRODUCER_ID N WINDOW CURSOR_NAME...
//                                                   as produce, but before each reserve wait while the write index
//                                                   is more than WINDOW elements ahead of the slowest of the
//                                                   8-byte cursor objects named (so no reader is ever lapped)
//   slick_peer steal-tally NAME CURSOR_NAME ESIZE PRODUCERS
//                                                   as steal, but verify each producer's order (strictly
//                                                   increasing) and print "DONE claimed=C lost=L p0=count/sum/sumsq
//                                                   ..." over the sequences claimed (sums modulo 2^64)
//   slick_peer watch NAME ESIZE PROGRESS_NAME STOPS PRODUCERS
//                                                   broadcast reader with its own cursor from 0: after each entry
//                                                   store the cursor in the 8-byte object PROGRESS_NAME (release);
//                                                   stop after STOPS stop entries; print "DONE read=R lost=L
//                                                   p0=count/sum/sumsq ..." (order strictly +1 while nothing lost)
//   slick_peer race-create NAME SIZE ESIZE          print WAITING, wait for a line, then create-or-open as
//                                                   create does and check the header (ready, magic, size,
//                                                   element_size, every slot empty if it initialised); print
//                                                   "ATTACHED pid initialiser=0|1", wait for a line; never unlinks
//   slick_peer reserve-hold NAME ESIZE PRODUCER_ID COUNT
//                                                   publish COUNT checked entries, reserve one more and write half
//                                                   of it, print "RESERVED index", then block on stdin (to be
//                                                   killed): a producer dead between reserve and publish
// Entry payload (over the entry's N * ESIZE bytes, ESIZE * N >= 16): u64 producer id, u64 sequence, then byte i =
// (producer * 31 + sequence + i) & 0xFF. Stop entry: producer id = ~0.
// Every mode prints READY once attached and DONE ... at the end; a failure prints FAIL ... and exits 1
// (2 for bad usage).
#include "slick_queue.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <map>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <algorithm>
#include <vector>
namespace
{
using namespace shmq_peer;

constexpr uint64_t STOP = ~0ULL;
constexpr uint64_t PATTERN_MULTIPLIER = 31;
constexpr std::size_t PAYLOAD_MIN_LENGTH = 16;
constexpr auto NO_PROGRESS_TIMEOUT = std::chrono::seconds(30);


[[noreturn]] void usage()
{
    std::fprintf(stderr,
        "usage: slick_peer create NAME SIZE ESIZE | hold-init NAME SIZE ESIZE | "
        "produce NAME ESIZE COUNT PRODUCER_ID [N] | stop NAME ESIZE COUNT | consume NAME ESIZE COUNT [START] | "
        "steal NAME CURSOR_NAME ESIZE | cursor-create CURSOR_NAME | read-last NAME ESIZE | "
        "produce-paced NAME ESIZE COUNT PRODUCER_ID N WINDOW CURSOR_NAME... | "
        "steal-tally NAME CURSOR_NAME ESIZE PRODUCERS | watch NAME ESIZE PROGRESS_NAME STOPS PRODUCERS | "
        "race-create NAME SIZE ESIZE | reserve-hold NAME ESIZE PRODUCER_ID COUNT\n");
    std::exit(2);
}

uint8_t pattern_byte(const uint64_t producer, const uint64_t sequence, const std::size_t i)
{
    return static_cast<uint8_t>(producer * PATTERN_MULTIPLIER + sequence + i);
}

void fill(uint8_t* payload, const std::size_t length, const uint64_t producer, const uint64_t sequence)
{
    std::memcpy(payload, &producer, sizeof(producer));
    std::memcpy(payload + sizeof(producer), &sequence, sizeof(sequence));
    for (std::size_t i = PAYLOAD_MIN_LENGTH; i < length; i++)
    {
        payload[i] = pattern_byte(producer, sequence, i);
    }
}

void payload_ids(const uint8_t* payload, uint64_t& producer, uint64_t& sequence)
{
    std::memcpy(&producer, payload, sizeof(producer));
    std::memcpy(&sequence, payload + sizeof(producer), sizeof(sequence));
}

void verify(const uint8_t* payload, const std::size_t length, const uint64_t index)
{
    uint64_t producer = 0;
    uint64_t sequence = 0;
    payload_ids(payload, producer, sequence);
    if (producer == STOP)
    {
        return;
    }
    for (std::size_t i = PAYLOAD_MIN_LENGTH; i < length; i++)
    {
        if (payload[i] != pattern_byte(producer, sequence, i))
        {
            die("corrupt payload index=" + std::to_string(index) + " producer=" + std::to_string(producer) +
                " sequence=" + std::to_string(sequence) + ": byte " + std::to_string(i) + "=" +
                std::to_string(payload[i]) + " (expected " + std::to_string(pattern_byte(producer, sequence, i)) + ")");
        }
    }
}

void check_payload_fits(const uint32_t element_size, const uint32_t n)
{
    if (static_cast<uint64_t>(element_size) * n < PAYLOAD_MIN_LENGTH)
    {
        die("ESIZE*N=" + std::to_string(static_cast<uint64_t>(element_size) * n) + " (expected at least " +
            std::to_string(PAYLOAD_MIN_LENGTH) + " for a checked payload)");
    }
}

// ------------------------------------------------------------------------------------------------------------
// Modes.
// ------------------------------------------------------------------------------------------------------------

int run_create(const std::string& name, const uint32_t size, const uint32_t element_size)
{
    if (!is_power_of_two(size))
    {
        die("size=" + std::to_string(size) + " (expected a power of two)");
    }
    const Mapping mapping = create_or_open(name, sq::total_length(size, element_size));
    auto* header = static_cast<shmq::SlickQueueHeader*>(mapping.base);
    uint32_t expected = sq::INIT_STATE_UNINITIALISED;
    const bool initialiser = header->init_state.compare_exchange_strong(expected, sq::INIT_STATE_INITIALISING,
        std::memory_order_acq_rel);
    if (initialiser)
    {
        initialise(header, size, element_size);
    }
    else
    {
        await_ready(header, name);
        if (header->size != size || header->element_size != element_size)
        {
            die("size=" + std::to_string(header->size) + " element_size=" + std::to_string(header->element_size) +
                " of " + name + " (expected size=" + std::to_string(size) + " element_size=" +
                std::to_string(element_size) + ")");
        }
    }
    std::printf("READY %d initialiser=%d\n", static_cast<int>(getpid()), initialiser ? 1 : 0);
    std::fflush(stdout);
    await_line();
    if (initialiser)
    {
        shm_unlink(name.c_str());
    }
    say(initialiser ? "DONE unlinked" : "DONE");
    return 0;
}

int run_hold_init(const std::string& name, const uint32_t size, const uint32_t element_size)
{
    if (!is_power_of_two(size))
    {
        die("size=" + std::to_string(size) + " (expected a power of two)");
    }
    const Mapping mapping = create_or_open(name, sq::total_length(size, element_size));
    auto* header = static_cast<shmq::SlickQueueHeader*>(mapping.base);
    uint32_t expected = sq::INIT_STATE_UNINITIALISED;
    if (!header->init_state.compare_exchange_strong(expected, sq::INIT_STATE_INITIALISING, std::memory_order_acq_rel))
    {
        die("init_state=" + std::to_string(expected) + " of " + name + " (expected 0: hold-init must initialise)");
    }
    std::printf("READY %d holding init_state=2\n", static_cast<int>(getpid()));
    std::fflush(stdout);
    await_line();
    initialise(header, size, element_size);
    say("INITIALISED");
    await_line();
    shm_unlink(name.c_str());
    say("DONE unlinked");
    return 0;
}

int run_produce(const std::string& name, const uint32_t element_size, const uint64_t count, const uint64_t producer,
    const uint32_t n)
{
    check_payload_fits(element_size, n);
    const Attached attached = attach(name, element_size);
    SlickQueue queue(attached.mapping, attached.has_last_published);
    say("READY");
    for (uint64_t sequence = 0; sequence < count; sequence++)
    {
        const uint64_t index = queue.reserve(n);
        fill(queue.element(index), static_cast<std::size_t>(n) * element_size, producer, sequence);
        queue.publish(index, n);
    }
    std::printf("DONE produced=%llu\n", static_cast<unsigned long long>(count));
    std::fflush(stdout);
    return 0;
}

int run_stop(const std::string& name, const uint32_t element_size, const uint64_t count)
{
    check_payload_fits(element_size, 1);
    const Attached attached = attach(name, element_size);
    SlickQueue queue(attached.mapping, attached.has_last_published);
    say("READY");
    for (uint64_t i = 0; i < count; i++)
    {
        const uint64_t index = queue.reserve(1);
        fill(queue.element(index), element_size, STOP, i);
        queue.publish(index, 1);
    }
    std::printf("DONE stop=%llu\n", static_cast<unsigned long long>(count));
    std::fflush(stdout);
    return 0;
}

int run_consume(const std::string& name, const uint32_t element_size, const uint64_t count, const uint64_t start)
{
    check_payload_fits(element_size, 1);
    const Attached attached = attach(name, element_size);
    SlickQueue queue(attached.mapping, attached.has_last_published);
    say("READY");
    uint64_t cursor = start;
    Entry entry;
    std::map<uint64_t, uint64_t> next_sequence;
    std::map<uint64_t, uint64_t> received;
    uint64_t total = 0;
    uint64_t stops = 0;
    auto last_progress = std::chrono::steady_clock::now();
    while (total < count)
    {
        const uint64_t lost_before = queue.loss_count();
        if (!queue.read(cursor, entry))
        {
            if (std::chrono::steady_clock::now() - last_progress > NO_PROGRESS_TIMEOUT)
            {
                die("no entry for 30 s after " + std::to_string(total) + " of " + std::to_string(count) +
                    " at cursor=" + std::to_string(cursor));
            }
            std::this_thread::yield();
            continue;
        }
        last_progress = std::chrono::steady_clock::now();
        const std::size_t length = static_cast<std::size_t>(entry.count) * element_size;
        if (length < PAYLOAD_MIN_LENGTH)
        {
            die("entry index=" + std::to_string(entry.index) + " count=" + std::to_string(entry.count) +
                " (expected a checked payload)");
        }
        verify(entry.data, length, entry.index);
        uint64_t producer = 0;
        uint64_t sequence = 0;
        payload_ids(entry.data, producer, sequence);
        if (producer == STOP)
        {
            stops++;
            continue;
        }
        const auto found = next_sequence.find(producer);
        const uint64_t expected = found == next_sequence.end() ? 0 : found->second;
        // A reader that starts mid-stream (START > 0) or was lapped cannot know a producer's next sequence.
        const bool lapped = queue.loss_count() != lost_before || (start != 0 && found == next_sequence.end());
        if (lapped ? sequence < expected : sequence != expected)
        {
            die("producer=" + std::to_string(producer) + " sequence=" + std::to_string(sequence) + " at index=" +
                std::to_string(entry.index) + " (expected " + (lapped ? "at least " : "") + std::to_string(expected) +
                ")");
        }
        next_sequence[producer] = sequence + 1;
        received[producer]++;
        total++;
    }
    std::printf("DONE read=%llu lost=%llu stops=%llu", static_cast<unsigned long long>(total),
        static_cast<unsigned long long>(queue.loss_count()), static_cast<unsigned long long>(stops));
    for (const auto& [producer, n] : received)
    {
        std::printf(" p%llu=%llu/%llu", static_cast<unsigned long long>(producer), static_cast<unsigned long long>(n),
            static_cast<unsigned long long>(next_sequence[producer]));
    }
    std::printf("\n");
    std::fflush(stdout);
    return 0;
}

std::atomic<uint64_t>* map_cursor(const std::string& cursor_name)
{
    const Mapping mapping = open_existing(cursor_name, sizeof(uint64_t));
    static_assert(sizeof(std::atomic<uint64_t>) == sizeof(uint64_t));
    return static_cast<std::atomic<uint64_t>*>(mapping.base);
}

// Claims entries through a shared atomic cursor until a stop entry, verifying each, and hands every other entry to
// on_entry(entry, producer, sequence). Returns how many it handed over.
template <typename OnEntry>
uint64_t steal_until_stop(SlickQueue& queue, std::atomic<uint64_t>& cursor, const uint32_t element_size,
    OnEntry on_entry)
{
    Entry entry;
    uint64_t claimed = 0;
    auto last_progress = std::chrono::steady_clock::now();
    for (;;)
    {
        if (!queue.read(cursor, entry))
        {
            if (std::chrono::steady_clock::now() - last_progress > NO_PROGRESS_TIMEOUT)
            {
                die("no entry for 30 s after claiming " + std::to_string(claimed));
            }
            std::this_thread::yield();
            continue;
        }
        last_progress = std::chrono::steady_clock::now();
        verify(entry.data, static_cast<std::size_t>(entry.count) * element_size, entry.index);
        uint64_t producer = 0;
        uint64_t sequence = 0;
        payload_ids(entry.data, producer, sequence);
        if (producer == STOP)
        {
            return claimed;
        }
        on_entry(entry, producer, sequence);
        claimed++;
    }
}

int run_steal(const std::string& name, const std::string& cursor_name, const uint32_t element_size)
{
    check_payload_fits(element_size, 1);
    const Attached attached = attach(name, element_size);
    SlickQueue queue(attached.mapping, attached.has_last_published);
    std::atomic<uint64_t>* cursor = map_cursor(cursor_name);
    say("READY");
    bool first = true;
    uint64_t index_sum = 0;
    uint64_t index_square_sum = 0;  // modulo 2^64, as Java's long arithmetic
    const uint64_t claimed = steal_until_stop(queue, *cursor, element_size,
        [&](const Entry& entry, uint64_t, uint64_t)
        {
            if (first)
            {
                first = false;
                std::printf("FIRST %llu\n", static_cast<unsigned long long>(entry.index));
                std::fflush(stdout);
            }
            index_sum += entry.index;
            index_square_sum += entry.index * entry.index;
        });
    std::printf("DONE claimed=%llu lost=%llu sum=%llu sumsq=%llu\n", static_cast<unsigned long long>(claimed),
        static_cast<unsigned long long>(queue.loss_count()), static_cast<unsigned long long>(index_sum),
        static_cast<unsigned long long>(index_square_sum));
    std::fflush(stdout);
    return 0;
}

int run_cursor_create(const std::string& cursor_name)
{
    const int fd = shm_open(cursor_name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0)
    {
        die("shm_open " + cursor_name + ": " + std::strerror(errno));
    }
    if (ftruncate(fd, sizeof(uint64_t)) != 0)
    {
        die("ftruncate " + cursor_name + ": " + std::strerror(errno));
    }
    const Mapping mapping = map_fd(fd, sizeof(uint64_t), cursor_name);
    static_cast<std::atomic<uint64_t>*>(mapping.base)->store(0, std::memory_order_release);
    std::printf("READY %d\n", static_cast<int>(getpid()));
    std::fflush(stdout);
    await_line();
    shm_unlink(cursor_name.c_str());
    say("DONE unlinked");
    return 0;
}

int run_read_last(const std::string& name, const uint32_t element_size)
{
    check_payload_fits(element_size, 1);
    const Attached attached = attach(name, element_size);
    const SlickQueue queue(attached.mapping, attached.has_last_published);
    say("READY");
    Entry entry;
    if (queue.read_last(entry))
    {
        uint64_t producer = 0;
        uint64_t sequence = 0;
        payload_ids(entry.data, producer, sequence);
        std::printf("LAST %llu %llu %llu %u\n", static_cast<unsigned long long>(entry.index),
            static_cast<unsigned long long>(producer), static_cast<unsigned long long>(sequence), entry.count);
    }
    else
    {
        say("LAST none");
    }
    say("DONE");
    return 0;
}

// ------------------------------------------------------------------------------------------------------------
// Reliability modes.
// ------------------------------------------------------------------------------------------------------------

struct Tally
{
    uint64_t count = 0;
    uint64_t sum = 0;
    uint64_t squares = 0;  // modulo 2^64, as Java's long arithmetic
    uint64_t next = 0;
};

void print_tallies(const std::vector<Tally>& tallies)
{
    for (std::size_t p = 0; p < tallies.size(); p++)
    {
        std::printf(" p%zu=%llu/%llu/%llu", p, static_cast<unsigned long long>(tallies[p].count),
            static_cast<unsigned long long>(tallies[p].sum), static_cast<unsigned long long>(tallies[p].squares));
    }
    std::printf("\n");
    std::fflush(stdout);
}

int run_produce_paced(const std::string& name, const uint32_t element_size, const uint64_t count,
    const uint64_t producer, const uint32_t n, const uint64_t window, const std::vector<std::string>& cursor_names)
{
    check_payload_fits(element_size, n);
    const Attached attached = attach(name, element_size);
    SlickQueue queue(attached.mapping, attached.has_last_published);
    auto* header = static_cast<shmq::SlickQueueHeader*>(attached.mapping.base);
    std::vector<std::atomic<uint64_t>*> cursors;
    for (const std::string& cursor_name : cursor_names)
    {
        cursors.push_back(map_cursor(cursor_name));
    }
    say("READY");
    uint64_t waits = 0;
    auto last_progress = std::chrono::steady_clock::now();
    for (uint64_t sequence = 0; sequence < count; sequence++)
    {
        for (;;)
        {
            const uint64_t write_index = header->reserved.load(std::memory_order_relaxed) >> sq::RESERVED_INDEX_SHIFT;
            uint64_t slowest = UINT64_MAX;
            for (std::atomic<uint64_t>* cursor : cursors)
            {
                slowest = std::min(slowest, cursor->load(std::memory_order_acquire));
            }
            if (write_index < slowest || write_index - slowest <= window)
            {
                break;
            }
            if (std::chrono::steady_clock::now() - last_progress > NO_PROGRESS_TIMEOUT)
            {
                die("readers made no progress for 30 s: write index=" + std::to_string(write_index) +
                    " slowest cursor=" + std::to_string(slowest));
            }
            waits++;
            std::this_thread::yield();
        }
        last_progress = std::chrono::steady_clock::now();
        const uint64_t index = queue.reserve(n);
        fill(queue.element(index), static_cast<std::size_t>(n) * element_size, producer, sequence);
        queue.publish(index, n);
    }
    std::printf("DONE produced=%llu waits=%llu\n", static_cast<unsigned long long>(count),
        static_cast<unsigned long long>(waits));
    std::fflush(stdout);
    return 0;
}

void record(std::vector<Tally>& tallies, const uint64_t producer, const uint64_t sequence, const uint64_t index,
    const bool strictly_next)
{
    if (producer >= tallies.size())
    {
        die("producer=" + std::to_string(producer) + " at index=" + std::to_string(index) + " (expected below " +
            std::to_string(tallies.size()) + ")");
    }
    Tally& tally = tallies[producer];
    if (strictly_next ? sequence != tally.next : sequence < tally.next)
    {
        die("producer=" + std::to_string(producer) + " sequence=" + std::to_string(sequence) + " at index=" +
            std::to_string(index) + " (expected " + (strictly_next ? "" : "at least ") + std::to_string(tally.next) +
            ")");
    }
    tally.next = sequence + 1;
    tally.count++;
    tally.sum += sequence;
    tally.squares += sequence * sequence;
}

int run_steal_tally(const std::string& name, const std::string& cursor_name, const uint32_t element_size,
    const uint64_t producers)
{
    check_payload_fits(element_size, 1);
    const Attached attached = attach(name, element_size);
    SlickQueue queue(attached.mapping, attached.has_last_published);
    std::atomic<uint64_t>* cursor = map_cursor(cursor_name);
    say("READY");
    std::vector<Tally> tallies(producers);
    // Claims come in index order, so each producer's sequences arrive increasing (not +1: others take some).
    const uint64_t claimed = steal_until_stop(queue, *cursor, element_size,
        [&](const Entry& entry, const uint64_t producer, const uint64_t sequence)
        {
            record(tallies, producer, sequence, entry.index, false);
        });
    std::printf("DONE claimed=%llu lost=%llu", static_cast<unsigned long long>(claimed),
        static_cast<unsigned long long>(queue.loss_count()));
    print_tallies(tallies);
    return 0;
}

int run_watch(const std::string& name, const uint32_t element_size, const std::string& progress_name,
    const uint64_t stops_expected, const uint64_t producers)
{
    check_payload_fits(element_size, 1);
    const Attached attached = attach(name, element_size);
    SlickQueue queue(attached.mapping, attached.has_last_published);
    std::atomic<uint64_t>* progress = map_cursor(progress_name);
    say("READY");
    uint64_t cursor = 0;
    Entry entry;
    std::vector<Tally> tallies(producers);
    uint64_t read = 0;
    uint64_t stops = 0;
    auto last_progress = std::chrono::steady_clock::now();
    while (stops < stops_expected)
    {
        const uint64_t lost_before = queue.loss_count();
        if (!queue.read(cursor, entry))
        {
            if (std::chrono::steady_clock::now() - last_progress > NO_PROGRESS_TIMEOUT)
            {
                die("no entry for 30 s after " + std::to_string(read) + " at cursor=" + std::to_string(cursor));
            }
            std::this_thread::yield();
            continue;
        }
        last_progress = std::chrono::steady_clock::now();
        verify(entry.data, static_cast<std::size_t>(entry.count) * element_size, entry.index);
        uint64_t producer = 0;
        uint64_t sequence = 0;
        payload_ids(entry.data, producer, sequence);
        // release: the entry was read before producers may reuse its slot.
        progress->store(cursor, std::memory_order_release);
        if (producer == STOP)
        {
            stops++;
            continue;
        }
        record(tallies, producer, sequence, entry.index, queue.loss_count() == lost_before);
        read++;
    }
    std::printf("DONE read=%llu lost=%llu stops=%llu", static_cast<unsigned long long>(read),
        static_cast<unsigned long long>(queue.loss_count()), static_cast<unsigned long long>(stops));
    print_tallies(tallies);
    return 0;
}

int run_race_create(const std::string& name, const uint32_t size, const uint32_t element_size)
{
    if (!is_power_of_two(size))
    {
        die("size=" + std::to_string(size) + " (expected a power of two)");
    }
    say("WAITING");
    await_line();
    const Mapping mapping = create_or_open(name, sq::total_length(size, element_size));
    auto* header = static_cast<shmq::SlickQueueHeader*>(mapping.base);
    uint32_t expected = sq::INIT_STATE_UNINITIALISED;
    const bool initialiser = header->init_state.compare_exchange_strong(expected, sq::INIT_STATE_INITIALISING,
        std::memory_order_acq_rel);
    if (initialiser)
    {
        initialise(header, size, element_size);
    }
    else if (!await_ready(header, name))
    {
        die("header_magic=" + std::to_string(header->header_magic.load()) + " of " + name + " (expected SLQ1)");
    }
    if (header->size != size || header->element_size != element_size ||
        header->init_state.load(std::memory_order_acquire) != sq::INIT_STATE_READY)
    {
        die("size=" + std::to_string(header->size) + " element_size=" + std::to_string(header->element_size) +
            " init_state=" + std::to_string(header->init_state.load()) + " of " + name + " (expected size=" +
            std::to_string(size) + " element_size=" + std::to_string(element_size) + " init_state=3)");
    }
    std::printf("ATTACHED %d initialiser=%d\n", static_cast<int>(getpid()), initialiser ? 1 : 0);
    std::fflush(stdout);
    await_line();
    say("DONE");
    return 0;
}

int run_reserve_hold(const std::string& name, const uint32_t element_size, const uint64_t producer,
    const uint64_t count)
{
    check_payload_fits(element_size, 1);
    const Attached attached = attach(name, element_size);
    SlickQueue queue(attached.mapping, attached.has_last_published);
    for (uint64_t sequence = 0; sequence < count; sequence++)
    {
        const uint64_t index = queue.reserve(1);
        fill(queue.element(index), element_size, producer, sequence);
        queue.publish(index, 1);
    }
    const uint64_t held = queue.reserve(1);
    std::vector<uint8_t> half(element_size);
    fill(half.data(), element_size, producer, count);
    std::memcpy(queue.element(held), half.data(), element_size / 2);
    std::printf("RESERVED %llu\n", static_cast<unsigned long long>(held));
    std::fflush(stdout);
    await_line();
    die("reserve-hold was told to go on (expected to be killed)");
}

uint32_t parse_u32(const char* text, const char* what)
{
    const uint64_t value = parse(text, what);
    if (value == 0 || value > UINT32_MAX)
    {
        die(std::string(what) + "=" + text + " (expected 1 to " + std::to_string(UINT32_MAX) + ")");
    }
    return static_cast<uint32_t>(value);
}
} // namespace

int main(const int argc, char** argv)
{
    if (argc < 3)
    {
        usage();
    }
    const std::string mode = argv[1];
    const std::string name = argv[2];
    if ((mode == "create" || mode == "hold-init") && argc == 5)
    {
        const uint32_t size = parse_u32(argv[3], "SIZE");
        const uint32_t element_size = parse_u32(argv[4], "ESIZE");
        return mode == "create" ? run_create(name, size, element_size) : run_hold_init(name, size, element_size);
    }
    if (mode == "produce" && (argc == 6 || argc == 7))
    {
        const uint32_t n = argc == 7 ? parse_u32(argv[6], "N") : 1;
        if (n > sq::RESERVED_SIZE_MASK)
        {
            die("N=" + std::to_string(n) + " (expected at most " + std::to_string(sq::RESERVED_SIZE_MASK) + ")");
        }
        return run_produce(name, parse_u32(argv[3], "ESIZE"), parse(argv[4], "COUNT"), parse(argv[5], "PRODUCER_ID"), n);
    }
    if (mode == "stop" && argc == 5)
    {
        return run_stop(name, parse_u32(argv[3], "ESIZE"), parse(argv[4], "COUNT"));
    }
    if (mode == "consume" && (argc == 5 || argc == 6))
    {
        return run_consume(name, parse_u32(argv[3], "ESIZE"), parse(argv[4], "COUNT"),
            argc == 6 ? parse(argv[5], "START") : 0);
    }
    if (mode == "steal" && argc == 5)
    {
        return run_steal(name, argv[3], parse_u32(argv[4], "ESIZE"));
    }
    if (mode == "cursor-create" && argc == 3)
    {
        return run_cursor_create(name);
    }
    if (mode == "read-last" && argc == 4)
    {
        return run_read_last(name, parse_u32(argv[3], "ESIZE"));
    }
    if (mode == "produce-paced" && argc >= 9)
    {
        const uint32_t n = parse_u32(argv[6], "N");
        if (n > sq::RESERVED_SIZE_MASK)
        {
            die("N=" + std::to_string(n) + " (expected at most " + std::to_string(sq::RESERVED_SIZE_MASK) + ")");
        }
        const std::vector<std::string> cursors(argv + 8, argv + argc);
        return run_produce_paced(name, parse_u32(argv[3], "ESIZE"), parse(argv[4], "COUNT"),
            parse(argv[5], "PRODUCER_ID"), n, parse(argv[7], "WINDOW"), cursors);
    }
    if (mode == "steal-tally" && argc == 6)
    {
        return run_steal_tally(name, argv[3], parse_u32(argv[4], "ESIZE"), parse(argv[5], "PRODUCERS"));
    }
    if (mode == "watch" && argc == 7)
    {
        return run_watch(name, parse_u32(argv[3], "ESIZE"), argv[4], parse(argv[5], "STOPS"),
            parse(argv[6], "PRODUCERS"));
    }
    if (mode == "race-create" && argc == 5)
    {
        return run_race_create(name, parse_u32(argv[3], "SIZE"), parse_u32(argv[4], "ESIZE"));
    }
    if (mode == "reserve-hold" && argc == 6)
    {
        return run_reserve_hold(name, parse_u32(argv[3], "ESIZE"), parse(argv[4], "PRODUCER_ID"),
            parse(argv[5], "COUNT"));
    }
    usage();
}
