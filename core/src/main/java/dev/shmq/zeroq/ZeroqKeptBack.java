package dev.shmq.zeroq;

import dev.shmq.core.ControlledMessageHandler;
import dev.shmq.core.MessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

/**
 * Elements that a {@link ZeroqQueue#drain} handler never saw because it threw part way through a claimed run, or
 * that a {@link ZeroqQueue#controlledDrain} handler left unconsumed. A zeroq claim cannot be undone, so they are
 * copied out of the queue, their cells are freed for every other process, and this instance delivers them, oldest
 * first, before anything else.
 *
 * <p>Only the exceptional path allocates or locks; the hot paths read one volatile int ({@link #isEmpty()}).
 */
final class ZeroqKeptBack
{
    /** One element kept back, with the queue position it was claimed at. */
    private record Kept(long position, byte[] bytes)
    {
    }

    private final int elementSize;
    private final ArrayDeque<Kept> elements = new ArrayDeque<>();
    private volatile int size;

    ZeroqKeptBack(final int elementSize)
    {
        this.elementSize = elementSize;
    }

    /** @return true when nothing is kept back: one volatile read, which pairs with the store in every mutator. */
    boolean isEmpty()
    {
        return 0 == size;
    }

    /**
     * Copies one element out of the queue's memory, behind those already kept.
     *
     * @param buffer   the queue's buffer.
     * @param offset   the element's offset there.
     * @param position the position it was claimed at.
     */
    synchronized void add(final DirectBuffer buffer, final int offset, final long position)
    {
        final byte[] element = new byte[elementSize];
        buffer.getBytes(offset, element);
        elements.addLast(new Kept(position, element));
        size = elements.size();
    }

    private synchronized void addFirst(final Kept kept)
    {
        elements.addFirst(kept);
        size = elements.size();
    }

    private Kept pollKept()
    {
        if (isEmpty())
        {
            return null;
        }
        synchronized (this)
        {
            final Kept kept = elements.pollFirst();
            size = elements.size();
            return kept;
        }
    }

    /**
     * Copies the oldest element kept back into {@code dst}.
     *
     * @return true if there was one.
     */
    boolean pollInto(final MutableDirectBuffer dst, final int offset)
    {
        final Kept kept = pollKept();
        if (null == kept)
        {
            return false;
        }
        dst.putBytes(offset, kept.bytes());
        return true;
    }

    /**
     * Hands up to {@code limit} elements to {@code handler}, outside the lock. An element counts as delivered once
     * it is handed over, also when the handler throws on it; the others stay.
     *
     * @return how many were handed over.
     */
    int drain(final MessageHandler handler, final int limit)
    {
        int handed = 0;
        while (handed < limit)
        {
            final Kept kept = pollKept();
            if (null == kept)
            {
                break;
            }
            handed++;
            handler.onMessage(new UnsafeBuffer(kept.bytes()), 0, elementSize, kept.position());
        }
        return handed;
    }

    /**
     * Hands up to {@code limit} elements to a controlled handler: one it aborts goes back to the front and the drain
     * stops; one it breaks on is consumed and the drain stops.
     *
     * @return how many were consumed.
     */
    int controlledDrain(final ControlledMessageHandler handler, final int limit)
    {
        int consumed = 0;
        while (consumed < limit)
        {
            final Kept kept = pollKept();
            if (null == kept)
            {
                break;
            }
            final ControlledMessageHandler.Action action =
                handler.onMessage(new UnsafeBuffer(kept.bytes()), 0, elementSize, kept.position());
            if (ControlledMessageHandler.Action.ABORT == action)
            {
                addFirst(kept);
                break;
            }
            consumed++;
            if (ControlledMessageHandler.Action.BREAK == action)
            {
                break;
            }
        }
        return consumed;
    }

    /** Drops everything kept back (the queue is closing). */
    synchronized void clear()
    {
        elements.clear();
        size = 0;
    }
}
