// Benchmark peer for shmq's perf module: the C++ zeroq (zeroq_queue.hpp) in the roles dev.shmq.perf.BenchWorker
// plays for the Java systems, with the same key=value arguments, READY/GO handshake and RESULT line, and the same
// bench control object (dev.shmq.perf.BenchControl):
//   0 + 64p: u64 sent by producer p, 8 + 64p: u64 done flag (release); 512 + 64c: u64 received by consumer c.
// Roles: send, recv (throughput), ping, pong (round trip over NAME-a and NAME-b; ping writes its samples, raw
// little-endian int64 nanoseconds, to samples=PATH).
#include "bench_common.hpp"
#include "zeroq_queue.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace
{
using namespace shmq_peer;

shmq_peer::ZeroqQueue queue_of(const std::string& name, const bool creator)
{
    shmq_peer::ZeroqQueue queue;
    if (creator)
    {
        const uint64_t capacity = static_cast<uint64_t>(arg_long("slots", 1024));
        const uint64_t element_size = static_cast<uint64_t>(arg_long("payload", 8));
        shmq_peer::Mapping mapping = map_path(name, Open::NEW, shmq_peer::zeroq_total_length(capacity, element_size));
        shmq_peer::ZeroqQueue::initialise(mapping.base(), capacity, element_size);
        queue.bind(std::move(mapping));
        return queue;
    }
    shmq_peer::Mapping mapping = map_path(name, Open::EXISTING, sizeof(shmq::ZeroqHeader));
    auto* header = mapping.as<shmq::ZeroqHeader>();
    const int64_t deadline = now_nanos() + 5'000'000'000LL;
    while (std::atomic_ref<uint64_t>(header->element_size).load(std::memory_order_acquire) == 0)
    {
        if (now_nanos() > deadline)
        {
            die("zeroq header never initialised: " + name);
        }
        usleep(1000);
    }
    const size_t length = mapping.length();
    queue.bind(std::move(mapping));
    if (shmq_peer::zeroq_total_length(queue.mask + 1, queue.element_size) != length)
    {
        die("zeroq header does not match object length " + std::to_string(length));
    }
    return queue;
}


void send()
{
    ready_and_await_go();
    const Control control = control_of(arg("ctl"));
    shmq_peer::ZeroqQueue queue = queue_of(arg("name"), false);
    std::vector<uint8_t> message = message_of(queue.element_size);
    const int64_t count = arg_long("count", 0);
    const int64_t duration = (arg_long("durationMs", 1000) + arg_long("warmupMs", 300)) * 1'000'000;
    const int64_t start = now_nanos();
    uint64_t sent = 0;
    const uint64_t check_interval = check_interval_of(static_cast<uint64_t>(arg_long("slots", 1024)));
    uint64_t next_check = check_interval;
    const bool frame = queue.element_size == FRAME;
    while (count == 0 || sent < static_cast<uint64_t>(count))
    {
        // a small message is stamped before the claim and copied in; a frame is written in place (as shmq's sender)
        bool enqueued;
        if (frame)
        {
            enqueued = queue.enqueue_with([&](uint8_t* element) { write_frame(element, queue.element_size, sent); });
        }
        else
        {
            std::memcpy(message.data(), &sent, sizeof(sent));
            enqueued = queue.enqueue(message.data());
        }
        if (enqueued)
        {
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
    }
    const int64_t end = now_nanos();
    control.producer_done(static_cast<int>(arg_long("index", 0)), sent);
    std::printf("RESULT sent=%llu nanos=%lld\n", static_cast<unsigned long long>(sent), static_cast<long long>(end - start));
}

void receive()
{
    const Control control = control_of(arg("ctl"));
    shmq_peer::ZeroqQueue queue = queue_of(arg("name"), arg("creator", "false") == "true");
    std::vector<uint8_t> message(queue.element_size);
    // a small message is copied out, as the Rust core's get does; a frame is checksummed in place
    const bool frame = queue.element_size == FRAME;
    uint64_t corrupt = 0;
    const auto check = [&](const uint8_t* element) { read_frame(element, queue.element_size, corrupt); };
    const ReceiveResult result = receive_loop(control, queue.mask + 1, [&]
    {
        int taken = 0;
        while (taken < POLL_LIMIT && (frame ? queue.dequeue_with(check) : queue.dequeue(message.data())))
        {
            taken++;
        }
        return taken;
    }, [&]
    {
        // relaxed, both: a snapshot of enqueue_pos - dequeue_pos; enqueue_pos is the producers' cache line (the
        // extra touch, once per progress check), dequeue_pos this consumer's
        const uint64_t dequeue = queue.header->dequeue_pos.load(std::memory_order_relaxed);
        const uint64_t enqueue = queue.header->enqueue_pos.load(std::memory_order_relaxed);
        return fill_fraction(enqueue, dequeue, queue.mask + 1);
    });
    std::printf("RESULT received=%llu warmReceived=%lld warmNanos=%lld lastNanos=%lld corrupt=%llu%s\n",
        static_cast<unsigned long long>(result.received), static_cast<long long>(result.warm_received),
        static_cast<long long>(result.warm_nanos), static_cast<long long>(result.last),
        static_cast<unsigned long long>(corrupt), result.fill_field().c_str());
}

void ping()
{
    const std::string name = arg("name");
    shmq_peer::ZeroqQueue in = queue_of(name + "-b", true);
    ready_and_await_go();
    shmq_peer::ZeroqQueue out = queue_of(name + "-a", false);
    std::vector<uint8_t> message = message_of(out.element_size);
    std::vector<uint8_t> reply(in.element_size);
    const int64_t count = arg_long("count", 100'000);
    const int64_t warmup = count / 5;
    std::vector<int64_t> samples;
    samples.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < warmup + count; i++)
    {
        const int64_t start = now_nanos();
        std::memcpy(message.data(), &start, sizeof(start));
        while (!out.enqueue(message.data()))
        {
        }
        while (!in.dequeue(reply.data()))
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
    shmq_peer::ZeroqQueue in = queue_of(name + "-a", true);
    ready_and_await_go();
    shmq_peer::ZeroqQueue out = queue_of(name + "-b", false);
    std::vector<uint8_t> message(in.element_size);
    std::vector<uint8_t> reply = message_of(out.element_size);
    const int64_t count = arg_long("count", 100'000);
    const int64_t total = count + count / 5;
    for (int64_t i = 0; i < total; i++)
    {
        while (!in.dequeue(message.data()))
        {
        }
        std::memcpy(reply.data(), message.data(), sizeof(int64_t));
        while (!out.enqueue(reply.data()))
        {
        }
    }
    std::printf("RESULT echoed=%lld\n", static_cast<long long>(total));
}
}

int main(int argc, char** argv)
{
    return shmq_peer::run_role(argc, argv, send, receive, ping, pong);
}
