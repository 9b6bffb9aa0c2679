package dev.shmq.bridge;

import dev.shmq.zeroq.ZeroqQueue;
import dev.shmq.zeroq.ZeroqRange;
import io.aeron.Publication;

import java.util.concurrent.TimeUnit;

/**
 * Takes elements from a local zeroq queue and publishes each as one Aeron message, losslessly: a run of up to
 * {@link #BURST} elements is acquired in place with one CAS, and each element's cell is released only once
 * {@link Publication#offer} has accepted it. While Aeron pushes back (a slow far side, or nobody connected) the run
 * stays held and the queue fills behind it, so its producers feel the back-pressure; nothing is buffered here.
 */
final class ZeroqOutAgent implements BridgeAgent
{
    /** The most elements held at once: what a killed bridge can lose, and what one duty cycle can move. */
    static final int BURST = 64;

    /** How long {@link #onClose()} keeps offering elements still held before it gives them up. */
    static final long CLOSE_LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ZeroqQueue queue;
    private final Publication publication;
    private final BridgeCounters counters = new BridgeCounters();
    private final ZeroqRange range = new ZeroqRange();
    private final int elementSize;
    private long next;
    private long end;

    ZeroqOutAgent(final ZeroqQueue queue, final Publication publication)
    {
        BridgeChecks.checkFits(queue.elementSize(), publication);
        this.queue = queue;
        this.publication = publication;
        this.elementSize = queue.elementSize();
    }

    @Override
    public int doWork()
    {
        if (next == end)
        {
            final int acquired = queue.tryAcquire(BURST, range);
            if (0 == acquired)
            {
                return 0;
            }
            next = range.position();
            end = next + acquired;
        }
        return sendHeld();
    }

    private int sendHeld()
    {
        int sent = 0;
        while (next < end)
        {
            // The element is read in place: its cell is ours until released, so no producer can overwrite it.
            final long result = publication.offer(queue.buffer(), queue.offset(next), elementSize);
            if (result <= 0)
            {
                PublicationResults.onRefused(result, counters, publication);
                break;
            }
            queue.release(next);
            next++;
            sent++;
            counters.moved(elementSize);
        }
        return sent;
    }

    /**
     * Offers what is still held for up to {@link #CLOSE_LINGER_NANOS}, then releases the rest of the run and counts
     * it as lost: the claim cannot be given back to the queue.
     */
    @Override
    public void onClose()
    {
        final long deadline = System.nanoTime() + CLOSE_LINGER_NANOS;
        while (next < end && !publication.isClosed() && System.nanoTime() - deadline < 0)
        {
            if (0 == sendHeld())
            {
                Thread.onSpinWait();
            }
        }
        if (next < end)
        {
            counters.countLost(end - next);
            while (next < end)
            {
                queue.release(next++);
            }
        }
    }

    @Override
    public String roleName()
    {
        return "shmq-bridge-out-zeroq-" + queue.name();
    }

    @Override
    public BridgeCounters counters()
    {
        return counters;
    }
}
