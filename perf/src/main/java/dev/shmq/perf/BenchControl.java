package dev.shmq.perf;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own small shared-memory object through which the processes of one run coordinate: how many
 * messages each producer sent and whether it is done, and how many each consumer received (for completion and for
 * the flow control a lossy queue needs). Every counter sits alone on its cache line. The C++ bench peers map the same
 * layout.
 * <pre>
 *   0 + 64 * p   u64 sent by producer p (p &lt; {@link #MAX_PARTIES}), valid once done
 *   8 + 64 * p   u64 done flag of producer p (release after sent)
 * 512 + 64 * c   u64 received by consumer c (release, refreshed while running)
 * </pre>
 */
final class BenchControl implements AutoCloseable
{
    static final int MAX_PARTIES = 4;

    /**
     * How long a throughput run's consumers may report no progress before what is outstanding counts as lost: a
     * consumer then ends once every producer is done, and a SlickQueue producer held back by its window writes the
     * outstanding entries off ({@link SlickWindow}); {@code LOSS_TIMEOUT_NANOS} in {@code bench_common.hpp} too.
     */
    static final long LOSS_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final int LENGTH = 4096;
    private static final int LINE = 64;
    private static final int SENT_OFFSET = 0;
    private static final int DONE_OFFSET = 8;
    private static final int RECEIVED_OFFSET = 512;

    private final ShmSegment segment;
    private final AtomicBuffer buffer;

    private BenchControl(final ShmSegment segment)
    {
        this.segment = segment;
        this.buffer = segment.buffer();
    }

    static BenchControl create(final String name)
    {
        return new BenchControl(ShmSegment.create(ShmName.of(name), LENGTH));
    }

    static BenchControl open(final String name)
    {
        return new BenchControl(ShmSegment.open(ShmName.of(name), LENGTH, TimeUnit.SECONDS.toNanos(5)));
    }

    void producerDone(final int producer, final long sent)
    {
        buffer.putLong(SENT_OFFSET + LINE * producer, sent);
        // release: a consumer that acquires the flag sees the final count.
        buffer.putLongRelease(DONE_OFFSET + LINE * producer, 1);
    }

    /**
     * @param producers how many producers the run has.
     * @return the total they sent once all are done, or -1 while any still runs.
     */
    long totalSentIfDone(final int producers)
    {
        long total = 0;
        for (int p = 0; p < producers; p++)
        {
            // acquire: pairs with producerDone's release.
            if (0 == buffer.getLongAcquire(DONE_OFFSET + LINE * p))
            {
                return -1;
            }
            total += buffer.getLong(SENT_OFFSET + LINE * p);
        }
        return total;
    }

    void received(final int consumer, final long count)
    {
        // release: only progress, read by producers for flow control and by consumers for completion.
        buffer.putLongRelease(RECEIVED_OFFSET + LINE * consumer, count);
    }

    long totalReceived(final int consumers)
    {
        long total = 0;
        for (int c = 0; c < consumers; c++)
        {
            // acquire: pairs with received's release.
            total += buffer.getLongAcquire(RECEIVED_OFFSET + LINE * c);
        }
        return total;
    }

    @Override
    public void close()
    {
        segment.close();
    }
}
