package dev.shmq.perf;

import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmqPeers;

import java.nio.file.Path;

/**
 * Builds (once per content, cached under {@code target/native-peers}) the C/C++ programs the bench runs: the C++
 * zeroq and SlickQueue peers (the same {@code zeroq_queue.hpp} and {@code slick_queue.hpp} as the interop tests) and
 * the physical-limits program.
 */
final class BenchPeers
{
    private static final String[] NATIVE_FLAGS = {"-O3", "-march=native"};

    private final Path buildDirectory;
    private NativePeer zeroq;
    private NativePeer slick;
    private NativePeer limits;

    BenchPeers(final Path buildDirectory)
    {
        this.buildDirectory = buildDirectory;
    }

    NativePeer zeroq()
    {
        if (null == zeroq)
        {
            zeroq = ShmqPeers.builder("zeroq_bench", "bench_common.hpp", "zeroq_queue.hpp")
                .addFlags(NATIVE_FLAGS)
                .buildDirectory(buildDirectory)
                .build();
        }
        return zeroq;
    }

    NativePeer slick()
    {
        if (null == slick)
        {
            slick = ShmqPeers.builder("slick_bench", "bench_common.hpp", "slick_queue.hpp")
                .addFlags(NATIVE_FLAGS)
                .buildDirectory(buildDirectory)
                .build();
        }
        return slick;
    }

    NativePeer limits()
    {
        if (null == limits)
        {
            limits = NativePeer.builder("limits")
                .sourceResource(ShmqPeers.RESOURCE_DIRECTORY + "limits.c")
                .addFlags(NATIVE_FLAGS)
                .buildDirectory(buildDirectory)
                .build();
        }
        return limits;
    }
}
