package dev.shmq.perf;

import java.util.Locale;

/**
 * The systems the bench compares. Java systems run in child JVMs ({@link BenchWorker}); native ones are C/C++ peers.
 */
enum BenchSystem
{
    SLICK("shmq-slick", "shmq SlickQueue, one message per reserve/publish/read", true, true, false),
    SLICK_BATCH("shmq-slick-batch", "shmq SlickQueue, reserveBatch/publishBatch/drain", true, true, false),
    ZEROQ_SPIN("shmq-zeroq-spin", "shmq zeroq, tryClaim/commit, tryAcquire/release, busy-spin", true, true, false),
    ZEROQ("shmq-zeroq", "shmq zeroq, claim/acquire waiting with QueueConfig.defaultIdleStrategy()", true, true, false),
    ZEROQ_BATCH("shmq-zeroq-batch", "shmq zeroq, tryClaim(k)/drain, busy-spin", true, true, false),
    AGRONA_O2O("agrona-o2o", "Agrona OneToOneRingBuffer over a mapped /dev/shm file", true, false, false),
    AGRONA_M2O("agrona-m2o", "Agrona ManyToOneRingBuffer over a mapped /dev/shm file", true, true, false),
    UNIX_SOCKET("unix-socket", "Unix-domain SocketChannel, blocking (multiprocessing.Queue's analogue)", false, true,
        false),
    CPP_ZEROQ("cpp-zeroq", "C++ zeroq peer (zeroq_queue.hpp), enqueue/dequeue, busy-spin", true, true, true),
    CPP_SLICK("cpp-slick", "C++ SlickQueue peer (slick_queue.hpp), reserve/publish/read, busy-spin", true, true,
        true);

    /** Ends the id of a row whose Java workers ran with Agrona's bounds checks off. */
    static final String NO_BOUNDS_CHECKS = "/nobc";

    private final String id;
    private final String description;
    private final boolean zeroCopy;
    private final boolean multiParty;
    private final boolean nativePeer;

    BenchSystem(
        final String id,
        final String description,
        final boolean zeroCopy,
        final boolean multiParty,
        final boolean nativePeer)
    {
        this.id = id;
        this.description = description;
        this.zeroCopy = zeroCopy;
        this.multiParty = multiParty;
        this.nativePeer = nativePeer;
    }

    String id()
    {
        return id;
    }

    String description()
    {
        return description;
    }

    /** @return true if large payloads can be written in place (no copy through a kernel or an intermediate). */
    boolean isZeroCopy()
    {
        return zeroCopy;
    }

    /** @return true if it takes part in the 2P2C rows. */
    boolean isMultiParty()
    {
        return multiParty;
    }

    boolean isNative()
    {
        return nativePeer;
    }

    boolean isShmq()
    {
        return id.startsWith("shmq-");
    }

    boolean isBatch()
    {
        return this == SLICK_BATCH || this == ZEROQ_BATCH;
    }

    static BenchSystem byId(final String id)
    {
        final String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (final BenchSystem system : values())
        {
            if (system.id.equals(wanted) || system.name().toLowerCase(Locale.ROOT).equals(wanted))
            {
                return system;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final BenchSystem system : values())
        {
            known.append(0 == known.length() ? "" : ", ").append(system.id);
        }
        throw new IllegalArgumentException("system=" + id + " (expected one of " + known + ")");
    }
}
