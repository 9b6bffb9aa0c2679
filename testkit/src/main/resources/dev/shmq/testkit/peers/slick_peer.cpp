// SlickQueue v1.4.0 peer written from docs/PROTOCOLS.md section 1 (C++ slick::SlickQueue<T> over shared memory).
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
//   slick_peer produce-mixed NAME COUNT PRODUCER_ID MAXN
//                                                   print READY, wait for a line, then publish COUNT stamped entries
//                                                   (ESIZE 16) of n = 1 + (sequence * 3 + producer) % MAXN elements
//                                                   (reserve() for n = 1, else reserve(n): wrap markers), flat out;
//                                                   print "DONE produced=COUNT elements=E lapped=L" (L: entries whose
//                                                   writing other producers lapped, so that some of the stores may
//                                                   have landed on a newer lap's entry)
//   slick_peer lapped-read NAME END_NAME MAXN PRODUCERS copy|inplace PAUSE_EVERY
//                                                   broadcast reader of stamped entries (of producers 0 to
//                                                   PRODUCERS - 1, and 127: one-element entries) from cursor 0, lapped:
//                                                   copy = read_copy (validated), inplace = read with read_last every
//                                                   16 entries; an entry is clean, torn (not clean, is_overwritten
//                                                   after use), or late (not clean otherwise: a producer lapped
//                                                   mid-write); bytes of a later reservation with none a lap ahead
//                                                   fail; each producer's sequences must increase over clean entries;
//                                                   sleeps 50 us after every PAUSE_EVERY entries (0: never); once the
//                                                   8-byte object END_NAME holds the final reserved index (0 before),
//                                                   reads up to it; prints "DONE delivered=D lost=L position=P
//                                                   entries=N clean=C torn=T late=Z lasts=K lastsNone=Y lastsClean=X
//                                                   firstLate=[stamps of the first late entry]"
// Entry payload (over the entry's N * ESIZE bytes, ESIZE * N >= 16): u64 producer id, u64 sequence, then byte i =
// (producer * 31 + sequence + i) & 0xFF. Stop entry: producer id = ~0.
// Stamped entry (produce-mixed, lapped-read; ESIZE 16), as dev.shmq.reliability.SlickStamp: element j of an
// n-element entry reserved at index, position = index + j, holds u64 word = producer << 56 | n << 48 | (sequence &
// (2^32 - 1)) << 16 | (position & 0xFFFF), then u64 place = position << 16 | (mix(word ^ position * golden) >> 48)
// (mix: splitmix64's finaliser), so an element names the position it was written for and checks itself.
// Every mode prints READY once attached and DONE ... at the end; a failure prints FAIL ... and exits 1
// (2 for bad usage).
#include "slick_queue.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>
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
        "race-create NAME SIZE ESIZE | reserve-hold NAME ESIZE PRODUCER_ID COUNT | "
        "produce-mixed NAME COUNT PRODUCER_ID MAXN | "
        "lapped-read NAME END_NAME MAXN PRODUCERS copy|inplace PAUSE_EVERY\n");
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
    const Created created = create(name, size, element_size);
    const bool initialiser = created.initialiser;
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
    // Holds init_state at 2 until told to go on, then initialises.
    const Created created = create(name, size, element_size, Initialiser::THIS_PROCESS, []
    {
        std::printf("READY %d holding init_state=2\n", static_cast<int>(getpid()));
        std::fflush(stdout);
        await_line();
    });
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
    SlickQueue queue = attach(name, element_size);
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
    SlickQueue queue = attach(name, element_size);
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
    SlickQueue queue = attach(name, element_size);
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

// An 8-byte atomic cursor object (a shared cursor, a reader's progress, an end index), mapped while it lives.
struct Cursor
{
    Mapping mapping;

    std::atomic<uint64_t>& operator*() const { return *mapping.as<std::atomic<uint64_t>>(); }
    std::atomic<uint64_t>* operator->() const { return mapping.as<std::atomic<uint64_t>>(); }
};

static_assert(sizeof(std::atomic<uint64_t>) == sizeof(uint64_t));

Cursor map_cursor(const std::string& cursor_name)
{
    return Cursor{map_object(cursor_name, Open::EXISTING, sizeof(uint64_t), INIT_TIMEOUT)};
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
    SlickQueue queue = attach(name, element_size);
    const Cursor cursor = map_cursor(cursor_name);
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
    const Cursor cursor{map_object(cursor_name, Open::NEW, sizeof(uint64_t))};
    // release: the cursor starts at 0 (ftruncate zero-filled it already), stored before READY says it exists.
    cursor->store(0, std::memory_order_release);
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
    const SlickQueue queue = attach(name, element_size);
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
    SlickQueue queue = attach(name, element_size);
    auto* header = queue.header();
    std::vector<Cursor> cursors;
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
            for (const Cursor& cursor : cursors)
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
    SlickQueue queue = attach(name, element_size);
    const Cursor cursor = map_cursor(cursor_name);
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
    SlickQueue queue = attach(name, element_size);
    const Cursor progress = map_cursor(progress_name);
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
    const Created created = create(name, size, element_size);
    const bool initialiser = created.initialiser;
    auto* header = created.queue.header();
    if (!initialiser && !created.queue.has_last_published())
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
    SlickQueue queue = attach(name, element_size);
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

// ------------------------------------------------------------------------------------------------------------
// Stamped entries of mixed sizes, read by lapped readers.
// ------------------------------------------------------------------------------------------------------------

constexpr uint32_t STAMP_ELEMENT_SIZE = 16;
constexpr uint64_t STAMP_MAX_N = 0xFF;
constexpr uint64_t STAMP_MAX_PRODUCERS = 0x7F;
constexpr uint64_t STAMP_FLUSH_PRODUCER = STAMP_MAX_PRODUCERS;  // one-element entries the test publishes at the end
constexpr uint64_t STAMP_SEQUENCE_MASK = 0xFFFFFFFFULL;
constexpr uint64_t STAMP_POSITION_MASK = (1ULL << 48) - 1;
constexpr uint64_t STAMP_LOW_MASK = 0xFFFF;
constexpr uint64_t STAMP_GOLDEN = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t READ_LAST_EVERY = 16;
constexpr auto DRAIN_TIMEOUT = std::chrono::seconds(5);

enum class Stamped
{
    CLEAN,       // every element is the one written for its position, all of one entry of the size handed out
    NEWER,       // an intact element written for a later position: a producer lapping the reader overwrote it
    INTERFERED   // anything else: torn, written for an earlier position (a producer lapped mid-write), other size
};

uint64_t stamp_place(const uint64_t word, const uint64_t position)
{
    uint64_t z = word ^ (position * STAMP_GOLDEN);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return ((position & STAMP_POSITION_MASK) << 16) | ((z >> 48) & STAMP_LOW_MASK);
}

// An element whose two words are of one write: the place checks the word, and both name the same position.
bool stamp_intact(const uint64_t word, const uint64_t place)
{
    const uint64_t position = place >> 16;
    return stamp_place(word, position) == place && (word & STAMP_LOW_MASK) == (position & STAMP_LOW_MASK);
}

uint32_t stamp_elements(const uint64_t producer, const uint64_t sequence, const uint32_t max_n)
{
    return producer == STAMP_FLUSH_PRODUCER ? 1 : 1 + static_cast<uint32_t>((sequence * 3 + producer) % max_n);
}

void stamp(uint8_t* data, const uint64_t index, const uint32_t n, const uint64_t producer, const uint64_t sequence)
{
    const uint64_t entry_word = (producer << 56) | (static_cast<uint64_t>(n) << 48) |
        ((sequence & STAMP_SEQUENCE_MASK) << 16);
    for (uint32_t j = 0; j < n; j++)
    {
        const uint64_t position = index + j;
        const uint64_t word = entry_word | (position & STAMP_LOW_MASK);
        const uint64_t place = stamp_place(word, position);
        std::memcpy(data + static_cast<std::size_t>(j) * STAMP_ELEMENT_SIZE, &word, sizeof(word));
        std::memcpy(data + static_cast<std::size_t>(j) * STAMP_ELEMENT_SIZE + sizeof(word), &place, sizeof(place));
    }
}

// Classifies the n elements of an entry handed out at index, as dev.shmq.reliability.SlickStamp.check; first gets
// element 0's word (producer = first >> 56, sequence = (first >> 16) & 0xFFFFFFFF).
Stamped check_stamps(const uint8_t* data, const uint64_t index, const uint32_t n, const uint64_t producers,
    const uint32_t max_n, uint64_t& first)
{
    std::memcpy(&first, data, sizeof(first));
    const uint64_t producer = first >> 56;
    const bool sized = ((first >> 48) & STAMP_MAX_N) == n &&
        stamp_elements(producer, (first >> 16) & STAMP_SEQUENCE_MASK, max_n) == n;
    Stamped verdict = (producer < producers || producer == STAMP_FLUSH_PRODUCER) && sized ? Stamped::CLEAN :
        Stamped::INTERFERED;
    for (uint32_t j = 0; j < n; j++)
    {
        uint64_t word = 0;
        uint64_t place = 0;
        std::memcpy(&word, data + static_cast<std::size_t>(j) * STAMP_ELEMENT_SIZE, sizeof(word));
        std::memcpy(&place, data + static_cast<std::size_t>(j) * STAMP_ELEMENT_SIZE + sizeof(word), sizeof(place));
        const uint64_t position = place >> 16;
        const uint64_t expected = (index + j) & STAMP_POSITION_MASK;
        const bool intact = stamp_intact(word, place);
        if (intact && position > expected)
        {
            return Stamped::NEWER;
        }
        if (!intact || position != expected || (word & ~STAMP_LOW_MASK) != (first & ~STAMP_LOW_MASK))
        {
            verdict = Stamped::INTERFERED;
        }
    }
    return verdict;
}

std::string describe_stamps(const uint8_t* data, const uint64_t index, const uint32_t n)
{
    std::string text = "index=" + std::to_string(index) + " count=" + std::to_string(n);
    for (uint32_t j = 0; j < n; j++)
    {
        uint64_t word = 0;
        uint64_t place = 0;
        std::memcpy(&word, data + static_cast<std::size_t>(j) * STAMP_ELEMENT_SIZE, sizeof(word));
        std::memcpy(&place, data + static_cast<std::size_t>(j) * STAMP_ELEMENT_SIZE + sizeof(word), sizeof(place));
        text += " [" + std::to_string(j) + ": producer=" + std::to_string(word >> 56) + " n=" +
            std::to_string((word >> 48) & STAMP_MAX_N) + " sequence=" +
            std::to_string((word >> 16) & STAMP_SEQUENCE_MASK) + " position=" + std::to_string(place >> 16) +
            (stamp_intact(word, place) ? " intact]" : " TORN]");
    }
    return text;
}

// The elements in short, without name=value pairs so that it can follow them on the DONE line.
std::string brief_stamps(const uint8_t* data, const uint64_t index, const uint32_t n)
{
    std::string text = "[at " + std::to_string(index) + ":";
    for (uint32_t j = 0; j < n; j++)
    {
        uint64_t word = 0;
        uint64_t place = 0;
        std::memcpy(&word, data + static_cast<std::size_t>(j) * STAMP_ELEMENT_SIZE, sizeof(word));
        std::memcpy(&place, data + static_cast<std::size_t>(j) * STAMP_ELEMENT_SIZE + sizeof(word), sizeof(place));
        text += std::string(j == 0 ? " p" : ", p") + std::to_string(word >> 56) + " n" +
            std::to_string((word >> 48) & STAMP_MAX_N) + " s" + std::to_string((word >> 16) & STAMP_SEQUENCE_MASK) +
            " @" + std::to_string(place >> 16) + (stamp_intact(word, place) ? " ok" : " torn");
    }
    return text + "]";
}

int run_produce_mixed(const std::string& name, const uint64_t count, const uint64_t producer, const uint32_t max_n)
{
    SlickQueue queue = attach(name, STAMP_ELEMENT_SIZE);
    auto* header = queue.header();
    if (max_n > std::min<uint64_t>(queue.size(), STAMP_MAX_N) || producer >= STAMP_FLUSH_PRODUCER)
    {
        die("MAXN=" + std::to_string(max_n) + " PRODUCER_ID=" + std::to_string(producer) + " (expected at most " +
            std::to_string(std::min<uint64_t>(queue.size(), STAMP_MAX_N)) + " and below " +
            std::to_string(STAMP_FLUSH_PRODUCER) + ")");
    }
    say("READY");
    await_line();
    uint64_t elements = 0;
    uint64_t lapped = 0;
    for (uint64_t sequence = 0; sequence < count; sequence++)
    {
        const uint32_t n = stamp_elements(producer, sequence, max_n);
        const uint64_t index = queue.reserve(n);
        stamp(queue.element(index), index, n, producer, sequence);
        queue.publish(index, n);
        elements += n;
        // Were we lapped while writing (some of our stores may have landed on a newer lap's entry)? The fence keeps
        // the load of reserved after our stores.
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if ((header->reserved.load(std::memory_order_relaxed) >> sq::RESERVED_INDEX_SHIFT) - index > queue.size())
        {
            lapped++;
        }
    }
    std::printf("DONE produced=%llu elements=%llu lapped=%llu\n", static_cast<unsigned long long>(count),
        static_cast<unsigned long long>(elements), static_cast<unsigned long long>(lapped));
    std::fflush(stdout);
    return 0;
}

int run_lapped_read(const std::string& name, const std::string& end_name, const uint32_t max_n,
    const uint64_t producers, const bool copy, const uint64_t pause_every)
{
    SlickQueue queue = attach(name, STAMP_ELEMENT_SIZE);
    const Cursor end = map_cursor(end_name);
    say("READY");
    std::vector<uint8_t> copied(static_cast<std::size_t>(queue.size()) * STAMP_ELEMENT_SIZE);
    std::vector<uint64_t> next(producers, 0);
    uint64_t cursor = 0;
    uint64_t delivered = 0;
    uint64_t entries = 0;
    uint64_t clean = 0;
    uint64_t torn = 0;
    uint64_t late = 0;
    uint64_t lasts = 0;
    uint64_t lasts_none = 0;
    uint64_t lasts_clean = 0;
    uint64_t end_index = 0;
    std::string first_late = "[]";
    Entry entry;
    auto idle_since = std::chrono::steady_clock::now();
    bool idle = false;
    for (;;)
    {
        bool got = false;
        uint64_t index = 0;
        uint32_t n = 0;
        const uint8_t* data = nullptr;
        if (copy)
        {
            const int64_t length = queue.read_copy(cursor, copied.data());
            got = length >= 0;
            n = static_cast<uint32_t>(length / STAMP_ELEMENT_SIZE);
            // read_copy leaves the cursor just past the entry it copied.
            index = cursor - n;
            data = copied.data();
        }
        else if (queue.read(cursor, entry))
        {
            got = true;
            index = entry.index;
            n = entry.count;
            data = entry.data;
        }
        if (got)
        {
            idle = false;
            uint64_t first = 0;
            const Stamped stamped = check_stamps(data, index, n, producers, max_n, first);
            // Only after the bytes were used: may a lapping producer have rewritten them meanwhile?
            const bool overwritten = !copy && queue.is_overwritten(index);
            if (stamped == Stamped::NEWER && !overwritten)
            {
                die(std::string(copy ? "read_copy handed out" : "read found") + " bytes of a later reservation " +
                    "with none a lap ahead: " + (copy ? describe_stamps(data, index, n) : "index=" +
                    std::to_string(index) + " count=" + std::to_string(n)));
            }
            if (stamped == Stamped::CLEAN && (first >> 56) == STAMP_FLUSH_PRODUCER)
            {
                clean++;
            }
            else if (stamped == Stamped::CLEAN)
            {
                const uint64_t producer = first >> 56;
                const uint64_t sequence = (first >> 16) & STAMP_SEQUENCE_MASK;
                if (sequence < next[producer])
                {
                    die("producer=" + std::to_string(producer) + " sequence=" + std::to_string(sequence) +
                        " at index=" + std::to_string(index) + " (expected at least " +
                        std::to_string(next[producer]) + ": each producer's sequences increase)");
                }
                next[producer] = sequence + 1;
                clean++;
            }
            else if (overwritten)
            {
                torn++;
            }
            else if (++late == 1)
            {
                first_late = brief_stamps(data, index, n);
            }
            delivered += n;
            entries++;
            if (!copy && entries % READ_LAST_EVERY == 0)
            {
                Entry last;
                if (queue.read_last(last))
                {
                    lasts++;
                    uint64_t last_first = 0;
                    const Stamped last_stamped = check_stamps(last.data, last.index, last.count, producers, max_n,
                        last_first);
                    if (last_stamped == Stamped::NEWER && !queue.is_overwritten(last.index))
                    {
                        die("read_last found bytes of a later reservation with none a lap ahead: index=" +
                            std::to_string(last.index) + " count=" + std::to_string(last.count));
                    }
                    lasts_clean += last_stamped == Stamped::CLEAN ? 1 : 0;
                }
                else
                {
                    lasts_none++;
                }
            }
            if (pause_every != 0 && entries % pause_every == 0)
            {
                std::this_thread::sleep_for(std::chrono::microseconds(50));
            }
            continue;
        }
        const auto now = std::chrono::steady_clock::now();
        if (!idle)
        {
            idle = true;
            idle_since = now;
        }
        if (end_index == 0)
        {
            // acquire: stored once every producer is done.
            end_index = end->load(std::memory_order_acquire);
        }
        if (end_index != 0 && (cursor == end_index || now - idle_since > DRAIN_TIMEOUT))
        {
            break;
        }
        if (now - idle_since > NO_PROGRESS_TIMEOUT)
        {
            die("no entry for 30 s after " + std::to_string(entries) + " entries at cursor=" + std::to_string(cursor));
        }
        std::this_thread::yield();
    }
    std::printf("DONE delivered=%llu lost=%llu position=%llu entries=%llu clean=%llu torn=%llu late=%llu "
        "lasts=%llu lastsNone=%llu lastsClean=%llu firstLate=%s\n", static_cast<unsigned long long>(delivered),
        static_cast<unsigned long long>(queue.loss_count()), static_cast<unsigned long long>(cursor),
        static_cast<unsigned long long>(entries), static_cast<unsigned long long>(clean),
        static_cast<unsigned long long>(torn), static_cast<unsigned long long>(late),
        static_cast<unsigned long long>(lasts), static_cast<unsigned long long>(lasts_none),
        static_cast<unsigned long long>(lasts_clean), first_late.c_str());
    std::fflush(stdout);
    return 0;
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
    if (mode == "produce-mixed" && argc == 6)
    {
        return run_produce_mixed(name, parse(argv[3], "COUNT"), parse(argv[4], "PRODUCER_ID"),
            parse_u32(argv[5], "MAXN"));
    }
    if (mode == "lapped-read" && argc == 8)
    {
        const std::string how = argv[6];
        if (how != "copy" && how != "inplace")
        {
            usage();
        }
        return run_lapped_read(name, argv[3], parse_u32(argv[4], "MAXN"), parse_u32(argv[5], "PRODUCERS"),
            how == "copy", parse(argv[7], "PAUSE_EVERY"));
    }
    usage();
}
