// Physical limits of this machine for shmq's perf table (dev.shmq.perf.BenchMain):
//   limits cacheline ROUNDS SAMPLES  one 64-byte cache line bounced between two threads pinned to CPUs 0 and 1 (when
//                            there are two): RESULT with the round-trip p50/p90/p99/max in nanoseconds, and the
//                            measured round trips (raw little-endian int64 nanoseconds) written to SAMPLES
//   limits frames BYTES SLOTS WARMUP_MS DURATION_MS
//                            memcpy of one BYTES frame into SLOTS targets in turn, one thread on CPU 0: the frame rows'
//                            yardstick (RESULT copies=N nanos=T over the DURATION_MS window)
//   limits probe ROUNDS      the cache-line bounce alone, short, without samples: the bench's CPU placement probe
//                            before and after every measurement (RESULT p50=... in nanoseconds)
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct
{
    alignas(64) _Atomic uint64_t value;
    char padding[56];
} line;

static long rounds;

static int64_t now_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void pin(const int cpu)
{
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
    {
        return;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void* echo(void* arg)
{
    (void)arg;
    pin(1);
    for (uint64_t expected = 1; expected <= (uint64_t)rounds * 2; expected += 2)
    {
        while (atomic_load_explicit(&line.value, memory_order_acquire) != expected)
        {
        }
        atomic_store_explicit(&line.value, expected + 1, memory_order_release);
    }
    return NULL;
}

static int compare(const void* a, const void* b)
{
    const int64_t x = *(const int64_t*)a;
    const int64_t y = *(const int64_t*)b;
    return (x > y) - (x < y);
}

static int cacheline(const char* samples_path)
{
    int64_t* samples = malloc(sizeof(int64_t) * (size_t)rounds);
    pthread_t thread;
    pin(0);
    pthread_create(&thread, NULL, echo, NULL);
    uint64_t value = 0;
    for (long i = 0; i < rounds; i++)
    {
        const int64_t start = now_nanos();
        atomic_store_explicit(&line.value, value + 1, memory_order_release);
        while (atomic_load_explicit(&line.value, memory_order_acquire) != value + 2)
        {
        }
        samples[i] = now_nanos() - start;
        value += 2;
    }
    pthread_join(thread, NULL);
    // the first half warms up; report the rest
    const long skip = rounds / 2;
    qsort(samples + skip, (size_t)(rounds - skip), sizeof(int64_t), compare);
    const int64_t* s = samples + skip;
    const long n = rounds - skip;
    if (samples_path != NULL)
    {
        FILE* file = fopen(samples_path, "wb");
        if (file == NULL)
        {
            fprintf(stderr, "cannot write %s\n", samples_path);
            return 1;
        }
        fwrite(s, sizeof(int64_t), (size_t)n, file);
        fclose(file);
    }
    printf("RESULT p50=%lld p90=%lld p99=%lld max=%lld count=%ld\n", (long long)s[n / 2], (long long)s[n * 9 / 10],
        (long long)s[n * 99 / 100], (long long)s[n - 1], n);
    free(samples);
    return 0;
}

// One frame of `length` bytes copied with memcpy into `slots` targets in turn (the footprint of a ring of frames),
// pinned to CPU 0, for warmup_ms and then a timed window of duration_ms: RESULT copies=N nanos=T, the window only.
static int frames(const size_t length, const long slots, const long warmup_ms, const long duration_ms)
{
    const size_t stride = (length + 63) & ~(size_t)63;
    char* source = aligned_alloc(64, stride);
    char* target = aligned_alloc(64, stride * (size_t)slots);
    if (source == NULL || target == NULL)
    {
        fprintf(stderr, "cannot allocate %zu bytes x %ld slots\n", length, slots);
        return 1;
    }
    memset(source, 7, stride);
    memset(target, 1, stride * (size_t)slots);
    pin(0);
    const int64_t start = now_nanos();
    const int64_t warm_end = start + warmup_ms * 1000000;
    const int64_t end = warm_end + duration_ms * 1000000;
    int64_t window_start = 0;
    long warm_copies = -1;
    long copies = 0;
    int64_t now = start;
    for (long i = 0; now < end; i++)
    {
        memcpy(target + (size_t)(i % slots) * stride, source, length);
        source[(size_t)i % length] = target[(size_t)(i % slots) * stride + (size_t)(i * 7) % length];
        now = now_nanos();
        if (warm_copies < 0 && now >= warm_end)
        {
            warm_copies = i + 1;
            window_start = now;
        }
        copies = i + 1;
    }
    printf("RESULT copies=%ld nanos=%lld check=%d\n", copies - warm_copies, (long long)(now - window_start),
        target[length / 2]);
    free(source);
    free(target);
    return 0;
}

int main(const int argc, char** argv)
{
    if (argc == 4 && strcmp(argv[1], "cacheline") == 0)
    {
        rounds = atol(argv[2]);
        return cacheline(argv[3]);
    }
    if (argc == 3 && strcmp(argv[1], "probe") == 0)
    {
        rounds = atol(argv[2]);
        return cacheline(NULL);
    }
    if (argc == 6 && strcmp(argv[1], "frames") == 0)
    {
        return frames((size_t)atol(argv[2]), atol(argv[3]), atol(argv[4]), atol(argv[5]));
    }
    fprintf(stderr, "usage: limits cacheline ROUNDS SAMPLES | limits probe ROUNDS | "
        "limits frames BYTES SLOTS WARMUP_MS DURATION_MS\n");
    return 2;
}
