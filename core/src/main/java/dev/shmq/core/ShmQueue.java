package dev.shmq.core;

import org.agrona.concurrent.IdleStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What both queues share around their protocol, done one way: the name, whether this process created the queue,
 * closing (and unlinking the name when it should), and pausing a waiting call with the configured idle strategy.
 *
 * <p>Closing never unmaps: the segment's memory stays mapped until the queue is unreachable, so a call that read
 * the queue as open just before another thread closed it finishes on mapped memory. Every call that starts after
 * {@link #close()} returns throws {@link IllegalStateException} saying the queue is closed, and a waiting call wakes
 * with it. All methods are safe from any thread.
 */
public abstract class ShmQueue implements AutoCloseable
{
    private static final VarHandle CLOSED;

    static
    {
        try
        {
            CLOSED = MethodHandles.lookup().findVarHandle(ShmQueue.class, "closed", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final String description;
    private final ShmSegment segment;
    private final boolean creator;
    private final boolean unlinkOnClose;
    private final ThreadLocal<IdleStrategy> idleStrategies;
    private volatile boolean closed;

    /**
     * @param description how errors name the queue, e.g. {@code "zeroq queue"}; followed by the object's name.
     * @param segment     the mapped object, or null for a queue in process memory.
     * @param creator     whether this process created (or initialised) the queue.
     * @param config      the idle strategy of waiting calls, and whether {@link #close()} removes the name.
     */
    protected ShmQueue(
        final String description, final ShmSegment segment, final boolean creator, final QueueConfig<?> config)
    {
        this.description = description;
        this.segment = segment;
        this.creator = creator;
        this.unlinkOnClose = null != segment && config.resolveUnlinkOnClose(creator);
        this.idleStrategies = ThreadLocal.withInitial(config.idleStrategy());
    }

    /** @return the shared-memory object's name, or null for a queue in process memory. */
    public final String name()
    {
        return null == segment ? null : segment.name().name();
    }

    /** @return true if this process created (or initialised) the queue; always for a queue in process memory. */
    public final boolean isCreator()
    {
        return creator;
    }

    /**
     * Closes the queue; idempotent, and safe while other threads are inside calls (see the class comment). Removes
     * the name if this process created the queue (or as configured), and only while the name still names the
     * object this queue mapped.
     */
    @Override
    public final void close()
    {
        // full fence: of threads closing at once, exactly one goes on to release the segment.
        if (!CLOSED.compareAndSet(this, false, true))
        {
            return;
        }
        onClose();
        if (null != segment)
        {
            if (unlinkOnClose)
            {
                segment.unlink();
            }
            segment.close();
        }
    }

    /** @return true once {@link #close()} has run. */
    public final boolean isClosed()
    {
        return closed;
    }

    /**
     * Removes the shared-memory object's name, as the C++ and zeroq creators do on close; processes that have the
     * queue open keep using it.
     *
     * @return true if this call removed it; false if it was already gone or the queue is in process memory.
     */
    public final boolean unlink()
    {
        return null != segment && segment.unlink();
    }

    /** Called once, by the first {@link #close()}, before the segment is released. */
    protected void onClose()
    {
    }

    /**
     * Every public call that touches shared memory starts here. volatile: a plain load on x86; it pairs with the
     * store in {@link #close()}, so a call that starts after close returns sees it.
     *
     * @throws IllegalStateException naming the queue if it is closed.
     */
    protected final void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(description + ' ' + (null == segment ? "(local)" : name()) +
                " is closed");
        }
    }

    /**
     * Checks the {@code limit} argument of a drain or batch call.
     *
     * @param limit the most messages the call may take.
     * @throws IllegalArgumentException if {@code limit < 1}.
     */
    protected static void checkLimit(final int limit)
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit=" + limit + " (expected at least 1)");
        }
    }

    /** @return the calling thread's idle strategy, reset for a new wait. */
    protected final IdleStrategy idleStrategy()
    {
        final IdleStrategy idle = idleStrategies.get();
        idle.reset();
        return idle;
    }

    /**
     * One pause of a waiting call, between two attempts: idles, then checks that the thread was not interrupted,
     * that the queue is still open, and (once the call has waited over a millisecond) that no other process
     * truncated the object, so a parked waiter never touches pages that are gone.
     *
     * @param idle  the waiting thread's idle strategy.
     * @param start when the call started waiting, from {@link System#nanoTime()}.
     * @throws InterruptedException  if the thread was interrupted.
     * @throws IllegalStateException if the queue was closed or its object truncated.
     */
    protected final void pause(final IdleStrategy idle, final long start) throws InterruptedException
    {
        idle.idle();
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        checkOpen();
        if (null != segment)
        {
            segment.checkLengthWhileWaiting(start);
        }
    }

    /**
     * HotSpot raises a read of a page past the end of a truncated object as an {@link InternalError}: when the object
     * was indeed truncated, this throws the {@link IllegalStateException} the length check would have.
     *
     * @param fault the error a waiting call caught.
     * @return {@code fault}, to rethrow, if the object was not truncated.
     * @throws IllegalStateException if it was.
     */
    protected final InternalError truncationOr(final InternalError fault)
    {
        if (null != segment)
        {
            segment.checkLength();
        }
        return fault;
    }
}
