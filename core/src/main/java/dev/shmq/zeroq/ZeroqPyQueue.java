package dev.shmq.zeroq;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * zeroq's Python dialect over a {@link ZeroqQueue}: {@code put}/{@code get} of byte arrays that wait, raise
 * {@link QueueFullException}/{@link QueueEmptyException} when a timeout passes or a {@code _nowait} call finds the
 * queue full or empty, and {@code qsize}/{@code empty}/{@code full}, as {@code zeroq.Queue} has them. For code ported
 * from Python, tools and tests: every call allocates (the array, and a buffer wrapping it). Hot paths use the
 * queue's allocation-free calls instead. Safe from any thread, as the queue.
 */
public final class ZeroqPyQueue
{
    private final ZeroqQueue queue;

    /**
     * @param queue the queue to speak to; closing it is the caller's business.
     */
    public ZeroqPyQueue(final ZeroqQueue queue)
    {
        if (null == queue)
        {
            throw new IllegalArgumentException("queue=null (expected a ZeroqQueue)");
        }
        this.queue = queue;
    }

    /** @return the queue this speaks to. */
    public ZeroqQueue queue()
    {
        return queue;
    }

    /**
     * Puts an element, waiting as long as it takes for a free cell ({@code put(item)}).
     *
     * @param item the element, exactly {@link ZeroqQueue#elementSize()} bytes.
     * @throws InterruptedException     if interrupted while waiting.
     * @throws IllegalArgumentException if {@code item} is null or has another length.
     */
    public void put(final byte[] item) throws InterruptedException
    {
        queue.put(wrap(item), 0, item.length);
    }

    /**
     * Puts an element, waiting up to a timeout for a free cell ({@code put(item, timeout=...)}).
     *
     * @param item    the element, exactly {@link ZeroqQueue#elementSize()} bytes.
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @throws QueueFullException       if no cell became free in time.
     * @throws InterruptedException     if interrupted while waiting.
     * @throws IllegalArgumentException if {@code item} is null or has another length.
     */
    public void put(final byte[] item, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (!queue.offer(wrap(item), 0, item.length, timeout, unit))
        {
            throw new QueueFullException("queue full after waiting " + timeout + " " + unit + ": capacity=" +
                queue.capacity());
        }
    }

    /**
     * Puts an element without waiting ({@code put_nowait}).
     *
     * @param item the element, exactly {@link ZeroqQueue#elementSize()} bytes.
     * @throws QueueFullException       if every cell is in use.
     * @throws IllegalArgumentException if {@code item} is null or has another length.
     */
    public void putNowait(final byte[] item)
    {
        if (!queue.offer(wrap(item), 0, item.length))
        {
            throw new QueueFullException("queue full: capacity=" + queue.capacity());
        }
    }

    /**
     * Gets an element, waiting as long as it takes for one ({@code get()}).
     *
     * @return a new array with the element.
     * @throws InterruptedException if interrupted while waiting.
     */
    public byte[] get() throws InterruptedException
    {
        final byte[] item = new byte[queue.elementSize()];
        queue.take(new UnsafeBuffer(item), 0);
        return item;
    }

    /**
     * Gets an element, waiting up to a timeout ({@code get(timeout=...)}).
     *
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @return a new array with the element.
     * @throws QueueEmptyException  if no element became ready in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public byte[] get(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final byte[] item = new byte[queue.elementSize()];
        if (!queue.poll(new UnsafeBuffer(item), 0, timeout, unit))
        {
            throw new QueueEmptyException("queue empty after waiting " + timeout + " " + unit);
        }
        return item;
    }

    /**
     * Gets an element without waiting ({@code get_nowait}).
     *
     * @return a new array with the element.
     * @throws QueueEmptyException if none is ready.
     */
    public byte[] getNowait()
    {
        final byte[] item = new byte[queue.elementSize()];
        if (!queue.poll(new UnsafeBuffer(item), 0))
        {
            throw new QueueEmptyException("queue empty");
        }
        return item;
    }

    /** @return the number of elements in the queue, a snapshot ({@code qsize}, {@code len}). */
    public int qsize()
    {
        return queue.size();
    }

    /** @return true if the queue holds no element, a snapshot ({@code empty}). */
    public boolean empty()
    {
        return queue.isEmpty();
    }

    /** @return true if every cell is in use, a snapshot ({@code full}). */
    public boolean full()
    {
        return queue.isFull();
    }

    private static UnsafeBuffer wrap(final byte[] item)
    {
        if (null == item)
        {
            throw new IllegalArgumentException("item=null (expected a byte array)");
        }
        return new UnsafeBuffer(item);
    }

    @Override
    public String toString()
    {
        return "ZeroqPyQueue{" + queue + '}';
    }
}
