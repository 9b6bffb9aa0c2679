package dev.shmq.zeroq;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

/**
 * Elements that a {@link ZeroqQueue#drain} handler never saw because it threw part way through a claimed run. A
 * zeroq claim cannot be undone, so they are copied out of the queue, their cells are freed for every other process,
 * and this instance delivers them, oldest first, before anything else.
 *
 * <p>Only the exceptional path allocates or locks; the hot paths read one volatile int ({@link #isEmpty()}).
 */
final class ZeroqKeptBack
{
    private final int elementSize;
    private final ArrayDeque<byte[]> elements = new ArrayDeque<>();
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
     * Copies one element out of the queue's memory.
     *
     * @param buffer the queue's buffer.
     * @param offset the element's offset there.
     */
    synchronized void add(final DirectBuffer buffer, final int offset)
    {
        final byte[] element = new byte[elementSize];
        buffer.getBytes(offset, element);
        elements.addLast(element);
        size = elements.size();
    }

    /** @return the oldest element kept back, or null. */
    byte[] poll()
    {
        if (isEmpty())
        {
            return null;
        }
        synchronized (this)
        {
            final byte[] element = elements.pollFirst();
            size = elements.size();
            return element;
        }
    }

    /**
     * Copies the oldest element kept back into {@code dst}.
     *
     * @return true if there was one.
     */
    boolean pollInto(final MutableDirectBuffer dst, final int offset)
    {
        if (isEmpty())
        {
            return false;
        }
        final byte[] element = poll();
        if (null == element)
        {
            return false;
        }
        dst.putBytes(offset, element);
        return true;
    }

    /**
     * Hands up to {@code limit} elements to {@code handler}, outside the lock. An element counts as delivered once
     * it is handed over, also when the handler throws on it; the others stay.
     *
     * @return how many were handed over.
     */
    int drain(final ZeroqElementHandler handler, final int limit)
    {
        int handed = 0;
        while (handed < limit)
        {
            final byte[] element = poll();
            if (null == element)
            {
                break;
            }
            handed++;
            handler.onElement(new UnsafeBuffer(element), 0, elementSize);
        }
        return handed;
    }

    /** Drops everything kept back (the queue is closing). */
    synchronized void clear()
    {
        elements.clear();
        size = 0;
    }
}
