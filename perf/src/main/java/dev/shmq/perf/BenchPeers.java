package dev.shmq.perf;

import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmqPeers;

import java.nio.file.Path;

/**
 * Builds (once per content, cached under {@code target/native-peers}) the C/C++ programs the bench runs: the C++
 * zeroq and SlickQueue bench peers and the physical-limits program, whose sources are this module's
 * ({@link #RESOURCE_DIRECTORY}). The bench peers run on the same protocol implementations as the interop tests:
 * {@code zeroq_queue.hpp}, {@code slick_queue.hpp} and {@code peer_common.hpp} come from testkit's jar
 * ({@link ShmqPeers#RESOURCE_DIRECTORY}), the layout headers from the layout module.
 */
final class BenchPeers
{
    /** Where the bench-only sources live on the classpath. */
    static final String RESOURCE_DIRECTORY = "dev/shmq/perf/peers/";

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
            zeroq = benchPeer("zeroq_bench", "zeroq_queue.hpp");
        }
        return zeroq;
    }

    NativePeer slick()
    {
        if (null == slick)
        {
            slick = benchPeer("slick_bench", "slick_queue.hpp");
        }
        return slick;
    }

    NativePeer limits()
    {
        if (null == limits)
        {
            limits = NativePeer.builder("limits")
                .sourceResource(RESOURCE_DIRECTORY + "limits.c")
                .addFlags(NATIVE_FLAGS)
                .buildDirectory(buildDirectory)
                .build();
        }
        return limits;
    }

    /**
     * @param program     {@code <program>.cpp} in {@link #RESOURCE_DIRECTORY}, which includes {@code bench_common.hpp}.
     * @param queueHeader the protocol implementation it includes, from testkit's peers.
     * @return the compiled peer.
     */
    private NativePeer benchPeer(final String program, final String queueHeader)
    {
        return NativePeer.builder(program)
            .sourceResource(RESOURCE_DIRECTORY + program + ".cpp")
            .sourceResource(RESOURCE_DIRECTORY + "bench_common.hpp")
            .sourceResource(ShmqPeers.RESOURCE_DIRECTORY + "peer_common.hpp")
            .sourceResource(ShmqPeers.RESOURCE_DIRECTORY + queueHeader)
            .shmqLayoutHeaders()
            .addFlags(NATIVE_FLAGS)
            .buildDirectory(buildDirectory)
            .build();
    }
}
