package dev.shmq.perf;

/**
 * How far a SlickQueue bench producer may run ahead of its consumers: at most {@code window} entries past what the
 * consumers reported through {@link BenchControl}, checked against a cached value (as Agrona's producers cache the
 * consumer position), so that a lossy queue's numbers are for delivered entries. Consumers that lose entries (a
 * lossy queue may) never report them; when their reports stand still for {@link BenchControl#LOSS_TIMEOUT_NANOS}
 * with the producer held back, the entries still outstanding are written off and the window reopens, so that a run
 * of a fixed count ends. The table then reports the loss (sent minus received).
 */
final class SlickWindow
{
    private final BenchControl control;
    private final int consumers;
    private final long window;
    private long reservedEnd;
    private long received;
    private long writtenOff;
    private long heldSinceNanos;

    /**
     * @param control   the run's control object, or null for no window (a round trip).
     * @param consumers how many consumers report.
     * @param window    the most entries reserved and not yet reported received.
     */
    SlickWindow(final BenchControl control, final int consumers, final long window)
    {
        this.control = control;
        this.consumers = consumers;
        this.window = window;
    }

    /**
     * @param count entries about to be reserved.
     * @return true if they fit in the window; false to try again later.
     */
    boolean mayReserve(final int count)
    {
        if (null == control || reservedEnd + count - received <= window)
        {
            return true;
        }
        final long reported = control.totalReceived(consumers) + writtenOff;
        final long now = System.nanoTime();
        if (reported != received || 0 == heldSinceNanos)
        {
            received = reported;
            heldSinceNanos = now;
        }
        else if (now - heldSinceNanos > BenchControl.LOSS_TIMEOUT_NANOS)
        {
            // no report for the timeout while held back: what is outstanding was lost
            writtenOff += reservedEnd - received;
            received = reservedEnd;
            heldSinceNanos = 0;
        }
        return reservedEnd + count - received <= window;
    }

    /** @param end one past the last entry reserved. */
    void reservedTo(final long end)
    {
        reservedEnd = end;
    }
}
