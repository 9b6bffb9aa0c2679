package dev.shmq.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a bridge has moved and met, for its log line and for callers that watch it: elements and bytes moved,
 * attempts refused by back-pressure (Aeron's, or a full far queue), attempts with no subscriber connected, elements
 * lost (a lapped SlickQueue reader; a held zeroq element a closing bridge could not send), positions skipped (a
 * killed predecessor's uncommitted claim), and errors. Written by
 * the bridge's one agent thread, read by any thread: each count is stored with release ({@code lazySet}) and read
 * with acquire, so a reader sees every count at least as new as the last one it saw.
 */
public final class BridgeCounters
{
    private final AtomicLong elements = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong backPressured = new AtomicLong();
    private final AtomicLong notConnected = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    /** @return elements moved across the bridge. */
    public long elements()
    {
        return elements.get();
    }

    /** @return bytes moved across the bridge. */
    public long bytes()
    {
        return bytes.get();
    }

    /** @return attempts refused because Aeron or the far queue pushed back. */
    public long backPressured()
    {
        return backPressured.get();
    }

    /** @return attempts to publish while no subscriber was connected. */
    public long notConnected()
    {
        return notConnected.get();
    }

    /** @return elements lost (a SlickQueue ring lapping the bridge, or held elements dropped on close). */
    public long lost()
    {
        return lost.get();
    }

    /** @return errors: Aeron's, and elements of a length the far queue cannot hold. */
    public long errors()
    {
        return errors.get();
    }

    /** @return positions skipped in the far queue: claims a killed predecessor left uncommitted. */
    public long skipped()
    {
        return skipped.get();
    }

    void moved(final int length)
    {
        // release (lazySet): single writer; a reader's acquire sees a count at least this new.
        elements.lazySet(elements.get() + 1);
        bytes.lazySet(bytes.get() + length);
    }

    void countBackPressured()
    {
        backPressured.lazySet(backPressured.get() + 1);
    }

    void countNotConnected()
    {
        notConnected.lazySet(notConnected.get() + 1);
    }

    void countLost(final long count)
    {
        lost.lazySet(lost.get() + count);
    }

    void countSkipped()
    {
        skipped.lazySet(skipped.get() + 1);
    }

    /** Counts an error; any thread (Aeron's error handlers run on the driver's and the client's threads). */
    void countError()
    {
        errors.incrementAndGet();
    }

    @Override
    public String toString()
    {
        return "elements=" + elements() + " bytes=" + bytes() + " back_pressured=" + backPressured() +
            " not_connected=" + notConnected() + " lost=" + lost() + " skipped=" + skipped() +
            " errors=" + errors();
    }
}
