// Physical limits of this machine for shmq's perf table (dev.shmq.perf.BenchMain):
//   limits cacheline ROUNDS SAMPLES  one 64-byte cache line bounced between two threads pinned to CPUs 0 and 1 (when
//                            there are two): RESULT with the round-trip p50/p90/p99/max in nanoseconds, and the
//                            measured round trips (raw little-endian int64 nanoseconds) written to SAMPLES
//   limits memcpy MIB ROUNDS single-thread memcpy of a MIB-MiB block: RESULT bytesPerSec (best of ROUNDS)
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

static int copy(const long mib)
{
    const size_t length = (size_t)mib << 20;
    char* source = aligned_alloc(64, length);
    char* target = aligned_alloc(64, length);
    memset(source, 7, length);
    memset(target, 1, length);
    double best = 0;
    for (long i = 0; i < rounds; i++)
    {
        const int64_t start = now_nanos();
        memcpy(target, source, length);
        const int64_t nanos = now_nanos() - start;
        const double rate = (double)length * 1e9 / (double)nanos;
        best = rate > best ? rate : best;
        source[i % length] = target[(i * 7) % length];
    }
    printf("RESULT bytesPerSec=%.0f bytes=%zu check=%d\n", best, length, target[length / 2]);
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
    if (argc == 4 && strcmp(argv[1], "memcpy") == 0)
    {
        rounds = atol(argv[3]);
        return copy(atol(argv[2]));
    }
    fprintf(stderr, "usage: limits cacheline ROUNDS SAMPLES | limits memcpy MIB ROUNDS | limits probe ROUNDS\n");
    return 2;
}
