package dev.shmq.perf;

import dev.shmq.layout.BundledHeaders;
import dev.shmq.testkit.NativePeer;

import java.nio.file.Path;

/**
 * Builds (once per content, cached under {@code target/native-peers}) the C/C++ programs the bench runs: the C++ zeroq
 * peer, the C++ SlickQueue peer when its header exists, and the physical-limits program.
 */
final class BenchPeers
{
    static final String PEERS = "/dev/shmq/testkit/peers/";
    static final String SLICK_HEADER = "slick_queue.hpp";
    static final String SLICK_BENCH = "slick_bench.cpp";
    static final String PEER_COMMON = "peer_common.hpp";

    private final Path buildDirectory;
    private NativePeer zeroq;
    private NativePeer slick;
    private NativePeer limits;
    private RuntimeException slickFailure;

    BenchPeers(final Path buildDirectory)
    {
        this.buildDirectory = buildDirectory;
    }

    static boolean hasSlickPeer()
    {
        return null != BenchPeers.class.getResource(PEERS + SLICK_HEADER) &&
            null != BenchPeers.class.getResource(PEERS + PEER_COMMON) &&
            null != BenchPeers.class.getResource(PEERS + SLICK_BENCH);
    }

    NativePeer zeroq()
    {
        if (null == zeroq)
        {
            zeroq = NativePeer.builder("zeroq_bench")
                .sourceResource(PEERS + "zeroq_bench.cpp")
                .sourceResource(PEERS + "zeroq_queue.hpp")
                .includeDir(BundledHeaders.extract(buildDirectory.resolve("shmq-layout-headers")))
                .addFlags("-O3", "-march=native")
                .buildDirectory(buildDirectory)
                .build();
        }
        return zeroq;
    }

    NativePeer slick()
    {
        if (null != slickFailure)
        {
            throw slickFailure;
        }
        if (null == slick)
        {
            try
            {
                slick = buildSlick();
            }
            catch (final RuntimeException ex)
            {
                slickFailure = ex;
                throw ex;
            }
        }
        return slick;
    }

    private NativePeer buildSlick()
    {
        return NativePeer.builder("slick_bench")
            .sourceResource(PEERS + SLICK_BENCH)
            .sourceResource(PEERS + SLICK_HEADER)
            .sourceResource(PEERS + PEER_COMMON)
            .includeDir(BundledHeaders.extract(buildDirectory.resolve("shmq-layout-headers")))
            .addFlags("-O3", "-march=native")
            .buildDirectory(buildDirectory)
            .build();
    }

    NativePeer limits()
    {
        if (null == limits)
        {
            limits = NativePeer.builder("limits")
                .sourceResource(PEERS + "limits.c")
                .addFlags("-O3", "-march=native")
                .buildDirectory(buildDirectory)
                .build();
        }
        return limits;
    }
}
