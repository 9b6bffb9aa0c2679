// Benchmark peer for shmq's perf module: the C++ SlickQueue (slick_queue.hpp) in the roles dev.shmq.perf.BenchWorker
// plays for the Java systems, with the same key=value arguments, READY/GO handshake and RESULT line, and the same
// bench control object (dev.shmq.perf.BenchControl):
//   0 + 64p: u64 sent by producer p, 8 + 64p: u64 done flag (release); 512 + 64c: u64 received by consumer c.
// One element of `payload` bytes per message, written in place at element(reserve(1)) and read in place, as the
// Java SlickQueue rows do. SlickQueue is lossy: in throughput runs the producer keeps at most half the ring ahead of
// what the consumers reported (as the Java producer does), so the rows count delivered messages.
// Roles: send, recv (throughput; consumers=2 share an atomic cursor in NAME-cur), ping, pong (round trip over
// NAME-a and NAME-b; ping writes its samples, raw little-endian int64 nanoseconds, to samples=PATH).
#include "bench_common.hpp"
#include "slick_queue.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace
{
using namespace shmq_peer;

struct Queue
{
    explicit Queue(shmq_peer::SlickQueue slick) : queue(std::move(slick))
    {
    }

    shmq_peer::SlickQueue queue;
    shmq_peer::Mapping shared_cursor_mapping;  // NAME-cur, when consumers share a cursor
    std::atomic<uint64_t>* shared_cursor = nullptr;
    uint64_t cursor = 0;
    shmq_peer::Entry entry;
};

shmq_peer::SlickQueue slick_queue_of(const std::string& name, const bool creator, const uint32_t element_size)
{
    if (creator)
    {
        const uint32_t size = static_cast<uint32_t>(arg_long("slots", 1024));
        return shmq_peer::create(name, size, element_size, shmq_peer::Initialiser::THIS_PROCESS).queue;
    }
    return shmq_peer::attach(name, element_size);
}

Queue queue_of(const std::string& name, const bool creator, const bool shared)
{
    const uint32_t element_size = static_cast<uint32_t>(arg_long("payload", 8));
    Queue q{slick_queue_of(name, creator, element_size)};
    if (shared)
    {
        q.shared_cursor_mapping = shmq_peer::map_object(name + "-cur", shmq_peer::Open::CREATE_OR_OPEN,
            sizeof(uint64_t), shmq_peer::INIT_TIMEOUT);
        q.shared_cursor = q.shared_cursor_mapping.as<std::atomic<uint64_t>>();
    }
    return q;
}

inline bool read(Queue& q)
{
    return q.shared_cursor != nullptr ? q.queue.read(*q.shared_cursor, q.entry) : q.queue.read(q.cursor, q.entry);
}


void send()
{
    ready_and_await_go();
    const Control control = control_of(arg("ctl"));
    Queue q = queue_of(arg("name"), false, false);
    shmq_peer::SlickQueue& queue = q.queue;
    std::vector<uint8_t> message = message_of(queue.element_size());
    const size_t payload = message.size();
    const bool frame = payload == FRAME;
    const int consumers = static_cast<int>(arg_long("consumers", 1));
    const uint64_t window = queue.size() / 2;
    const int64_t count = arg_long("count", 0);
    const int64_t duration = (arg_long("durationMs", 1000) + arg_long("warmupMs", 300)) * 1'000'000;
    const int64_t start = now_nanos();
    uint64_t sent = 0;
    const uint64_t check_interval = check_interval_of(static_cast<uint64_t>(arg_long("slots", 1024)));
    uint64_t next_check = check_interval;
    uint64_t reserved_end = 0;
    uint64_t consumed = 0;
    uint64_t written_off = 0;
    int64_t held_since = 0;
    while (count == 0 || sent < static_cast<uint64_t>(count))
    {
        if (reserved_end + 1 - consumed > window)
        {
            // as dev.shmq.perf.SlickWindow: held back by the window; when the consumers report nothing for the loss
            // timeout, what is outstanding was lost (a lossy queue), so a run of a fixed count still ends
            const uint64_t reported = control.total_received(consumers) + written_off;
            const int64_t now = now_nanos();
            if (reported != consumed || held_since == 0)
            {
                consumed = reported;
                held_since = now;
            }
            else if (now - held_since > LOSS_TIMEOUT_NANOS)
            {
                written_off += reserved_end - consumed;
                consumed = reserved_end;
                held_since = 0;
            }
            if (reserved_end + 1 - consumed > window)
            {
                if (count == 0 && now - start >= duration)
                {
                    break;
                }
                continue;
            }
        }
        // as shmq's sender: a small message is stamped before the reserve and copied in one memcpy; a frame is
        // written in place
        if (!frame)
        {
            std::memcpy(message.data(), &sent, sizeof(sent));
        }
        const uint64_t index = queue.reserve(1);
        uint8_t* element = queue.element(index);
        if (frame)
        {
            write_frame(element, payload, sent);
        }
        else
        {
            std::memcpy(element, message.data(), payload);
        }
        queue.publish(index, 1);
        reserved_end = index + 1;
        sent++;
        if (sent >= next_check)
        {
            next_check = sent + check_interval;
            if (count == 0 && now_nanos() - start >= duration)
            {
                break;
            }
        }
    }
    const int64_t end = now_nanos();
    control.producer_done(static_cast<int>(arg_long("index", 0)), sent);
    std::printf("RESULT sent=%llu nanos=%lld\n", static_cast<unsigned long long>(sent), static_cast<long long>(end - start));
}

void receive()
{
    const Control control = control_of(arg("ctl"));
    Queue q = queue_of(arg("name"), arg("creator", "false") == "true", arg_long("consumers", 1) > 1);
    const size_t payload = q.queue.element_size();
    const bool frame = payload == FRAME;
    uint64_t stamp = 0;
    uint64_t corrupt = 0;
    const ReceiveResult result = receive_loop(control, q.queue.size(), [&]
    {
        int taken = 0;
        while (taken < POLL_LIMIT && read(q))
        {
            if (frame)
            {
                stamp = read_frame(q.entry.data, payload, corrupt);
            }
            else
            {
                std::memcpy(&stamp, q.entry.data, sizeof(stamp));
            }
            taken++;
        }
        return taken;
    }, [&]
    {
        // relaxed, both: a snapshot of the reserved index (the producers' cache line, the extra touch, once per
        // progress check) minus this reader's cursor, or the cursor the consumers share; over the ring size
        const uint64_t reserved =
            q.queue.header()->reserved.load(std::memory_order_relaxed) >> sq::RESERVED_INDEX_SHIFT;
        const uint64_t cursor =
            q.shared_cursor != nullptr ? q.shared_cursor->load(std::memory_order_relaxed) : q.cursor;
        return fill_fraction(reserved, cursor, q.queue.size());
    });
    std::printf("RESULT received=%llu warmReceived=%lld warmNanos=%lld lastNanos=%lld lastStamp=%llu corrupt=%llu%s\n",
        static_cast<unsigned long long>(result.received), static_cast<long long>(result.warm_received),
        static_cast<long long>(result.warm_nanos), static_cast<long long>(result.last),
        static_cast<unsigned long long>(stamp), static_cast<unsigned long long>(corrupt), result.fill_field().c_str());
}

void write_one(shmq_peer::SlickQueue& queue, const std::vector<uint8_t>& message, const int64_t stamp)
{
    const uint64_t index = queue.reserve(1);
    uint8_t* element = queue.element(index);
    std::memcpy(element, message.data(), message.size());
    std::memcpy(element, &stamp, sizeof(stamp));
    queue.publish(index, 1);
}

void ping()
{
    const std::string name = arg("name");
    Queue in = queue_of(name + "-b", true, false);
    ready_and_await_go();
    Queue out = queue_of(name + "-a", false, false);
    const std::vector<uint8_t> message = message_of(out.queue.element_size());
    const int64_t count = arg_long("count", 100'000);
    const int64_t warmup = count / 5;
    std::vector<int64_t> samples;
    samples.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < warmup + count; i++)
    {
        const int64_t start = now_nanos();
        write_one(out.queue, message, start);
        while (!read(in))
        {
        }
        const int64_t rtt = now_nanos() - start;
        if (i >= warmup)
        {
            samples.push_back(rtt);
        }
    }
    write_samples(samples);
}

void pong()
{
    const std::string name = arg("name");
    Queue in = queue_of(name + "-a", true, false);
    ready_and_await_go();
    Queue out = queue_of(name + "-b", false, false);
    const std::vector<uint8_t> message = message_of(out.queue.element_size());
    const int64_t count = arg_long("count", 100'000);
    const int64_t total = count + count / 5;
    for (int64_t i = 0; i < total; i++)
    {
        while (!read(in))
        {
        }
        int64_t stamp = 0;
        std::memcpy(&stamp, in.entry.data, sizeof(stamp));
        write_one(out.queue, message, stamp);
    }
    std::printf("RESULT echoed=%lld\n", static_cast<long long>(total));
}
}

int main(int argc, char** argv)
{
    return shmq_peer::run_role(argc, argv, send, receive, ping, pong);
}
