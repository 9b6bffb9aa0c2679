package dev.shmq.zeroq;

import dev.shmq.core.ControlledMessageHandler;
import dev.shmq.core.MessageHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A zeroq queue's consuming in runs: claims up to k committed elements with one CAS and hands each to a handler in
 * place, and keeps in this instance, in {@link ZeroqKeptBack}, the elements of a run the handler did not consume
 * (it threw, or a controlled handler stopped early), since a claim cannot be given back to the queue. Kept-back
 * elements come before anything else on every consuming call of the queue. Safe from any thread.
 */
final class ZeroqDrain
{
    private final ZeroqCells cells;
    private final ZeroqKeptBack keptBack;
    private final ThreadLocal<ZeroqRange> ranges = ThreadLocal.withInitial(ZeroqRange::new);

    ZeroqDrain(final ZeroqCells cells)
    {
        this.cells = cells;
        this.keptBack = new ZeroqKeptBack(cells.elementSize());
    }

    /** @return true if a kept-back element was copied to {@code dst}: one volatile read when there is none. */
    boolean pollKeptInto(final MutableDirectBuffer dst, final int offset)
    {
        return keptBack.pollInto(dst, offset);
    }

    /** Drops every kept-back element (the queue is closing). */
    void clear()
    {
        keptBack.clear();
    }

    /** See {@link ZeroqQueue#drain(MessageHandler, int)}. */
    int drain(final MessageHandler handler, final int limit)
    {
        if (!keptBack.isEmpty())
        {
            return keptBack.drain(handler, limit);
        }
        final ZeroqRange range = ranges.get();
        final int claimed = cells.claimCommittedRun(limit, range);
        final long first = range.position();
        final AtomicBuffer buffer = cells.buffer();
        final int elementSize = cells.elementSize();
        int handed = 0;
        try
        {
            while (handed < claimed)
            {
                final long position = first + handed;
                handed++;
                handler.onMessage(buffer, cells.offset(position), elementSize, position);
            }
        }
        finally
        {
            keepBackAndRelease(first, handed, claimed);
        }
        return claimed;
    }

    /** See {@link ZeroqQueue#controlledDrain(ControlledMessageHandler, int)}. */
    int controlledDrain(final ControlledMessageHandler handler, final int limit)
    {
        if (!keptBack.isEmpty())
        {
            return keptBack.controlledDrain(handler, limit);
        }
        final ZeroqRange range = ranges.get();
        final int claimed = cells.claimCommittedRun(limit, range);
        final AtomicBuffer buffer = cells.buffer();
        final int elementSize = cells.elementSize();
        final long first = range.position();
        final long end = first + claimed;
        long released = first;
        long next = first;
        try
        {
            while (next < end)
            {
                final long position = next;
                final ControlledMessageHandler.Action action =
                    handler.onMessage(buffer, cells.offset(position), elementSize, position);
                if (ControlledMessageHandler.Action.ABORT == action)
                {
                    break;
                }
                next++;
                if (ControlledMessageHandler.Action.BREAK == action)
                {
                    break;
                }
                if (ControlledMessageHandler.Action.COMMIT == action)
                {
                    cells.releaseRun(released, (int)(next - released));
                    released = next;
                }
            }
        }
        finally
        {
            keepBackAndRelease(released, (int)(next - released), (int)(end - released));
        }
        return (int)(next - first);
    }

    /**
     * Ends a drain of the run of {@code claimed} elements from {@code first}, of which the first {@code handed} were
     * consumed: the others are copied out and kept back before every cell of the run is freed.
     */
    private void keepBackAndRelease(final long first, final int handed, final int claimed)
    {
        for (int i = handed; i < claimed; i++)
        {
            keptBack.add(cells.buffer(), cells.offset(first + i), first + i);
        }
        cells.releaseRun(first, claimed);
    }
}
