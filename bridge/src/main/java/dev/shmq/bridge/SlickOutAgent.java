package dev.shmq.bridge;

import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import io.aeron.Publication;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads entries from a local SlickQueue, as one more reader, and publishes each entry whole (all its elements) as one
 * Aeron message. The ring stays lossy: producers never wait for the bridge, and what they overwrite before the
 * bridge reads it is counted in {@link BridgeCounters#lost()}. Each entry is copied out and validated first (the
 * copying read, or a zero-copy claim on a shared cursor checked with {@code isOverwritten}), so no torn entry is
 * sent; while Aeron pushes back the copy waits here, and the ring goes on without it.
 */
final class SlickOutAgent implements BridgeAgent
{
    /** The most entries one duty cycle sends. */
    static final int BURST = 64;

    private final SlickQueue queue;
    private final SlickCursor cursor;
    private final AtomicCursor sharedCursor;
    private final Publication publication;
    private final BridgeCounters counters = new BridgeCounters();
    private final SlickEntry entry = new SlickEntry();
    private final UnsafeBuffer copy;
    private int pendingLength;
    private long lossSeen;

    SlickOutAgent(
        final SlickQueue queue,
        final SlickCursor cursor,
        final AtomicCursor sharedCursor,
        final Publication publication)
    {
        // Every entry of one element must fit one message; longer entries that do not are skipped, counted.
        BridgeChecks.checkFits(queue.elementSize(), publication);
        // The longest entry is within the ring, so within an int.
        final int copyLength = Math.min(queue.maxEntryElements() * queue.elementSize(), publication.maxMessageLength());
        this.queue = queue;
        this.cursor = cursor;
        this.sharedCursor = sharedCursor;
        this.publication = publication;
        this.copy = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(BitUtil.align(copyLength, Long.BYTES), Long.BYTES));
    }

    @Override
    public int doWork()
    {
        int sent = 0;
        while (sent < BURST)
        {
            if (0 == pendingLength && 0 == (pendingLength = readNext()))
            {
                break;
            }
            final long result = publication.offer(copy, 0, pendingLength);
            if (result <= 0)
            {
                PublicationResults.onRefused(result, counters, publication);
                break;
            }
            counters.moved(pendingLength);
            pendingLength = 0;
            sent++;
        }
        return sent;
    }

    /** @return the length of the next entry, copied and validated into {@link #copy}; 0 if none is ready. */
    private int readNext()
    {
        if (null == sharedCursor)
        {
            int length;
            try
            {
                length = queue.read(cursor, copy, 0);
            }
            catch (final IllegalArgumentException tooLong)
            {
                // Longer than one Aeron message can be: skip it, counted, rather than stop every later entry.
                length = skipEntry();
            }
            countLoss(cursor.lossCount());
            return length;
        }
        while (queue.read(sharedCursor, entry))
        {
            if (entry.length() > copy.capacity())
            {
                counters.countError();
                counters.countLost(entry.count());
                continue;
            }
            // plain: the entry's bytes are ordered after the claim's acquire; validated by isOverwritten below.
            copy.putBytes(0, queue.buffer(), entry.offset(), entry.length());
            if (!queue.isOverwritten(entry))
            {
                return entry.length();
            }
            counters.countLost(entry.count());
        }
        return 0;
    }

    private int skipEntry()
    {
        if (queue.read(cursor, entry))
        {
            counters.countError();
            counters.countLost(entry.count());
        }
        return 0;
    }

    private void countLoss(final long cursorLoss)
    {
        if (cursorLoss != lossSeen)
        {
            counters.countLost(cursorLoss - lossSeen);
            lossSeen = cursorLoss;
        }
    }

    @Override
    public String roleName()
    {
        return "shmq-bridge-out-slick-" + queue.name();
    }

    @Override
    public BridgeCounters counters()
    {
        return counters;
    }
}
