// What shmq's benchmark peers (zeroq_bench.cpp, slick_bench.cpp) share: key=value arguments, the READY/GO handshake,
// objects under shmdir=, and the bench control object of dev.shmq.perf.BenchControl:
//   0 + 64p: u64 sent by producer p, 8 + 64p: u64 done flag (release); 512 + 64c: u64 received by consumer c.
#pragma once

#include "peer_common.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace shmq_peer
{
inline constexpr int POLL_LIMIT = 256;
inline constexpr uint64_t CHECK_INTERVAL = 1024;

// As BenchWorker: look at the clock and report progress every 1024 messages, or every eighth of the ring for big
// messages (a few slots), so that short runs of big messages are timed right.
inline uint64_t check_interval_of(const uint64_t slots)
{
    return std::max<uint64_t>(1, std::min<uint64_t>(CHECK_INTERVAL, slots / 8));
}
inline constexpr int64_t LOSS_TIMEOUT_NANOS = 500'000'000;

// key=value command-line arguments, as dev.shmq.perf.BenchWorker takes them.
inline std::map<std::string, std::string> args;

inline std::string arg(const std::string& key, const std::string& fallback = "")
{
    const auto it = args.find(key);
    if (it == args.end())
    {
        if (fallback.empty())
        {
            die("missing argument " + key);
        }
        return fallback;
    }
    return it->second;
}

inline int64_t arg_long(const std::string& key, const int64_t fallback)
{
    const auto it = args.find(key);
    return it == args.end() ? fallback : std::stoll(it->second);
}

inline int64_t now_nanos()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline std::string path_of(const std::string& name)
{
    return arg("shmdir", "/dev/shm") + "/" + name;
}

// The object `name` under shmdir=: a new one of `length` bytes (O_EXCL, 0600), or an existing one of at least
// `length` bytes, not waited for (the harness creates it before it starts the peers that open it).
inline Mapping map_path(const std::string& name, const Open how, const size_t length)
{
    return map_object(path_of(name), how, length, std::chrono::milliseconds(0), Namespace::PATH);
}

inline constexpr size_t CONTROL_LENGTH = 4096;

struct Control
{
    Mapping mapping;
    uint8_t* base = nullptr;

    std::atomic_ref<uint64_t> word(const size_t offset) const
    {
        return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(base + offset));
    }

    void producer_done(const int producer, const uint64_t sent) const
    {
        word(64 * producer).store(sent, std::memory_order_relaxed);
        word(8 + 64 * producer).store(1, std::memory_order_release);
    }

    int64_t total_sent_if_done(const int producers) const
    {
        int64_t total = 0;
        for (int p = 0; p < producers; p++)
        {
            if (word(8 + 64 * p).load(std::memory_order_acquire) == 0)
            {
                return -1;
            }
            total += static_cast<int64_t>(word(64 * p).load(std::memory_order_relaxed));
        }
        return total;
    }

    void received(const int consumer, const uint64_t count) const
    {
        word(512 + 64 * consumer).store(count, std::memory_order_release);
    }

    uint64_t total_received(const int consumers) const
    {
        uint64_t total = 0;
        for (int c = 0; c < consumers; c++)
        {
            total += word(512 + 64 * c).load(std::memory_order_acquire);
        }
        return total;
    }
};

inline Control control_of(const std::string& name)
{
    Control control;
    control.mapping = map_path(name, Open::EXISTING, CONTROL_LENGTH);
    control.base = control.mapping.as<uint8_t>();
    return control;
}

inline void ready_and_await_go()
{
    std::printf("READY\n");
    std::fflush(stdout);
    std::string line;
    if (!std::getline(std::cin, line) || line != "GO")
    {
        die("stdin line=" + line + " (expected GO)");
    }
}

inline std::vector<uint8_t> message_of(const size_t payload)
{
    std::vector<uint8_t> message(payload);
    for (size_t i = 0; i < payload; i++)
    {
        message[i] = static_cast<uint8_t>(i * 31);
    }
    return message;
}

// A 1080p frame (dev.shmq.perf.Payloads.FRAME): produced and consumed in place, as dev.shmq.perf.FrameBody does.
inline constexpr size_t FRAME = 1920 * 1080 * 3;

// Writes word i (8 bytes, native order) of the frame at `to` as stamp + i: one pass of stores.
inline void write_frame(uint8_t* to, const size_t length, const uint64_t stamp)
{
    for (size_t i = 0; i < length / sizeof(uint64_t); i++)
    {
        const uint64_t word = stamp + i;
        std::memcpy(to + i * sizeof(uint64_t), &word, sizeof(word));
    }
}

// Sums every word of the frame at `from` (one pass of loads) and checks the sum against word 0, the stamp.
// Returns the stamp; counts a frame that does not check out in `corrupt`.
inline uint64_t read_frame(const uint8_t* from, const size_t length, uint64_t& corrupt)
{
    const uint64_t words = length / sizeof(uint64_t);
    uint64_t sum = 0;
    for (uint64_t i = 0; i < words; i++)
    {
        uint64_t word;
        std::memcpy(&word, from + i * sizeof(uint64_t), sizeof(word));
        sum += word;
    }
    uint64_t stamp;
    std::memcpy(&stamp, from, sizeof(stamp));
    corrupt += sum == words * stamp + words * (words - 1) / 2 ? 0 : 1;
    return stamp;
}

// (written and not yet read) / capacity, clamped to [0, 1]: a snapshot may be behind by either side, and a lossy
// ring's producers may lap the reader.
inline double fill_fraction(const uint64_t written, const uint64_t read, const uint64_t capacity)
{
    const int64_t ahead = static_cast<int64_t>(written - read);
    return static_cast<double>(std::clamp<int64_t>(ahead, 0, static_cast<int64_t>(capacity))) /
        static_cast<double>(capacity);
}

// How full the ring was at each progress check of the timed window, as dev.shmq.perf.FillHistogram: 1001 fixed
// buckets of 1/1000, the median printed as fill=0.123.
struct FillHistogram
{
    static constexpr int BUCKETS = 1001;
    uint64_t counts[BUCKETS] = {};
    uint64_t total = 0;

    void record(const double fraction)
    {
        const int bucket = std::clamp(static_cast<int>(fraction * (BUCKETS - 1) + 0.5), 0, BUCKETS - 1);
        counts[bucket]++;
        total++;
    }

    // The lower middle bucket for an even count; call only with samples.
    double median() const
    {
        const uint64_t rank = (total + 1) / 2;
        uint64_t seen = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++)
        {
            seen += counts[bucket];
            if (seen >= rank)
            {
                return bucket / static_cast<double>(BUCKETS - 1);
            }
        }
        return 1.0;
    }
};

// What a throughput run's consumer reports, as dev.shmq.perf.BenchWorker's recv role does.
struct ReceiveResult
{
    uint64_t received = 0;
    int64_t warm_received = 0;
    int64_t warm_nanos = 0;
    int64_t last = 0;
    FillHistogram fill;

    // " fill=0.123" for the RESULT line, or nothing when no check fell inside the window.
    std::string fill_field() const
    {
        if (fill.total == 0)
        {
            return "";
        }
        char text[32];
        std::snprintf(text, sizeof(text), " fill=%.3f", fill.median());
        return text;
    }
};

// The consumer side of a throughput run: take() takes up to POLL_LIMIT messages and returns how many; fill() is
// how full the ring is (fill_fraction), sampled at each progress check of the timed window only: it reads the
// producers' position, an extra cache line. Reports progress through the control object, and ends once every
// producer is done and the consumers together received what they sent, or nothing arrived for LOSS_TIMEOUT_NANOS
// (a lossy queue).
template <typename Take, typename Fill>
ReceiveResult receive_loop(const Control& control, const uint64_t slots, Take take, Fill fill)
{
    const int consumer = static_cast<int>(arg_long("index", 0));
    const int producers = static_cast<int>(arg_long("producers", 1));
    const int consumers = static_cast<int>(arg_long("consumers", 1));
    const int64_t warmup = arg_long("warmupMs", 300) * 1'000'000;
    const uint64_t check_interval = check_interval_of(slots);
    ready_and_await_go();
    ReceiveResult result;
    result.warm_received = -1;
    uint64_t next_check = check_interval;
    int64_t first = 0;
    int64_t last_progress = now_nanos();
    uint64_t stamped = 0;
    for (;;)
    {
        const int taken = take();
        if (taken > 0)
        {
            if (result.received == 0)
            {
                first = now_nanos();
            }
            result.received += static_cast<uint64_t>(taken);
            if (result.received >= next_check)
            {
                next_check = result.received + check_interval;
                control.received(consumer, result.received);
                if (result.warm_received < 0 && now_nanos() - first >= warmup)
                {
                    result.warm_received = static_cast<int64_t>(result.received);
                    result.warm_nanos = now_nanos();
                }
                if (result.warm_received >= 0)
                {
                    result.fill.record(fill());
                }
            }
            continue;
        }
        const int64_t now = now_nanos();
        if (result.received != stamped)
        {
            stamped = result.received;
            result.last = now;
            last_progress = now;
        }
        control.received(consumer, result.received);
        const int64_t total = control.total_sent_if_done(producers);
        if (total >= 0 && (control.total_received(consumers) >= static_cast<uint64_t>(total) ||
            now - last_progress > LOSS_TIMEOUT_NANOS))
        {
            break;
        }
    }
    if (result.warm_received < 0)
    {
        result.warm_received = 0;
        result.warm_nanos = first;
    }
    return result;
}

// Writes a ping role's round-trip samples (raw little-endian int64 nanoseconds) to samples=PATH.
inline void write_samples(const std::vector<int64_t>& samples)
{
    FILE* file = std::fopen(arg("samples").c_str(), "wb");
    if (file == nullptr)
    {
        die("cannot write samples " + arg("samples"));
    }
    std::fwrite(samples.data(), sizeof(int64_t), samples.size(), file);
    std::fclose(file);
    std::printf("RESULT count=%zu\n", samples.size());
}

// Reads key=value arguments into args.
inline void parse_args(const int argc, char** argv)
{
    for (int i = 1; i < argc; i++)
    {
        const std::string kv = argv[i];
        const size_t eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
        {
            die("arg=" + kv + " (expected key=value)");
        }
        args[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
}

// The main of a benchmark peer: reads key=value arguments and runs role=send|recv|ping|pong.
template <typename Send, typename Receive, typename Ping, typename Pong>
int run_role(const int argc, char** argv, Send send, Receive receive, Ping ping, Pong pong)
{
    parse_args(argc, argv);
    const std::string role = arg("role");
    if (role == "send")
    {
        send();
    }
    else if (role == "recv")
    {
        receive();
    }
    else if (role == "ping")
    {
        ping();
    }
    else if (role == "pong")
    {
        pong();
    }
    else
    {
        die("role=" + role + " (expected send, recv, ping or pong)");
    }
    std::fflush(stdout);
    return 0;
}
}
