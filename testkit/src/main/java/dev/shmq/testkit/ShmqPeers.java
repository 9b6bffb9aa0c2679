package dev.shmq.testkit;

/**
 * shmq's own native peers, written in C++ from the protocol spec and shipped as sources in this jar
 * ({@code dev/shmq/testkit/peers/}): one C++ implementation per protocol ({@code slick_queue.hpp},
 * {@code zeroq_queue.hpp}) behind small command-line programs. Each is compiled with g++ on first use and cached by
 * content (see {@link NativePeer}).
 */
public final class ShmqPeers
{
    /** Where the peer sources live on the classpath. */
    public static final String RESOURCE_DIRECTORY = "dev/shmq/testkit/peers/";

    private ShmqPeers()
    {
    }

    /**
     * The SlickQueue v1.4.0 peer ({@code slick_peer.cpp}: create, hold-init, produce, stop, consume, steal,
     * cursor-create, read-last; see the usage at the top of the source).
     *
     * @return the compiled peer.
     */
    public static NativePeer slick()
    {
        return program("slick_peer", "slick_queue.hpp");
    }

    /**
     * The zeroq 0.1.0 peer ({@code zeroq_peer.cpp}: create, put, get, stop).
     *
     * @return the compiled peer.
     */
    public static NativePeer zeroq()
    {
        return program("zeroq_peer", "zeroq_queue.hpp");
    }

    /**
     * Compiles another program of the peer directory against the shared peer headers and the shmq layout headers.
     *
     * @param program the program's name: {@code <program>.cpp} in {@link #RESOURCE_DIRECTORY}.
     * @param headers the peer headers it includes besides {@code peer_common.hpp}.
     * @return the compiled peer.
     */
    public static NativePeer program(final String program, final String... headers)
    {
        return builder(program, headers).build();
    }

    /**
     * A builder for a program of the peer directory with its sources and headers added, for further options
     * (flags, build directory).
     *
     * @param program the program's name: {@code <program>.cpp} in {@link #RESOURCE_DIRECTORY}.
     * @param headers the peer headers it includes besides {@code peer_common.hpp}.
     * @return the builder.
     */
    public static NativePeer.Builder builder(final String program, final String... headers)
    {
        final NativePeer.Builder builder = NativePeer.builder(program)
            .sourceResource(RESOURCE_DIRECTORY + program + ".cpp")
            .sourceResource(RESOURCE_DIRECTORY + "peer_common.hpp")
            .shmqLayoutHeaders();
        for (final String header : headers)
        {
            builder.sourceResource(RESOURCE_DIRECTORY + header);
        }
        return builder;
    }
}
