package dev.shmq.zeroq;

import dev.shmq.core.BufferBounds;
import dev.shmq.core.ControlledMessageHandler;
import dev.shmq.core.MessageHandler;
import dev.shmq.core.ShmQueue;
import dev.shmq.core.ShmSegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * A bounded, lossless MPMC FIFO speaking zeroq 0.1.0's wire protocol (Vyukov's bounded MPMC queue) over an Agrona
 * {@link AtomicBuffer}: a shared-memory object that Rust, Python and C peers use at the same time, or process memory.
 * Every element is exactly {@link #elementSize()} bytes and is taken by exactly one consumer, in the order the
 * producers' claims were made. The kinds of call are listed in the {@linkplain dev.shmq.zeroq package}; this class
 * is the queue's lifecycle and public face over the protocol in {@link ZeroqCells}.
 *
 * <p>Reads return what they delivered: {@code true} or a count, {@code false} or 0 when nothing is ready. Every wait
 * is {@code (timeout, TimeUnit)} with the idle strategy of the {@link ZeroqConfig}, and honours interrupts.
 *
 * <p>Thread safety: every method may be called from any number of threads and processes, {@link #close()} included
 * (see {@link ShmQueue}): after it, and while waiting, calls throw {@link IllegalStateException}, as they do when
 * another process truncates the object. Arguments are checked before anything is claimed or stored: a bad one
 * throws {@link IllegalArgumentException} and leaves shared memory untouched.
 *
 * <p>Hazard of the protocol: a producer that dies between its claim and its commit leaves its cell uncommitted
 * forever; consumers then see the queue as empty at that position ({@link #isStalled()} tells the two apart).
 */
public final class ZeroqQueue extends ShmQueue
{
    /** Returned by {@link #tryClaim()}, {@link #tryAcquire()} and their waiting forms when nothing was claimed. */
    public static final long NO_POSITION = ZeroqCells.NO_POSITION;

    private final ZeroqCells cells;
    private final ZeroqDrain drain;

    ZeroqQueue(
        final AtomicBuffer buffer,
        final ShmSegment segment,
        final int capacity,
        final int elementSize,
        final boolean creator,
        final ZeroqConfig config)
    {
        super("zeroq queue", segment, creator, config);
        this.cells = new ZeroqCells(buffer, capacity, elementSize, name());
        this.drain = new ZeroqDrain(cells);
    }

    /**
     * {@link #create(String, int, int, ZeroqConfig)} with the default options.
     *
     * @param name        the shared-memory object name.
     * @param capacity    the number of cells, a power of two of at least 2.
     * @param elementSize bytes per element, at least 1.
     * @return the queue; {@link #close()} unlinks the name.
     */
    public static ZeroqQueue create(final String name, final int capacity, final int elementSize)
    {
        return create(name, capacity, elementSize, new ZeroqConfig());
    }

    /**
     * Creates a new shared-memory queue; fails if the name exists (zeroq's {@code create=True}).
     *
     * @param name        the shared-memory object name.
     * @param capacity    the number of cells, a power of two of at least 2.
     * @param elementSize bytes per element, at least 1.
     * @param config      further options.
     * @return the queue.
     * @throws IllegalArgumentException for a bad capacity, element size or name.
     * @throws IllegalStateException    if the name exists or the object cannot be created.
     */
    public static ZeroqQueue create(
        final String name, final int capacity, final int elementSize, final ZeroqConfig config)
    {
        return ZeroqAttach.create(name, capacity, elementSize, config);
    }

    /**
     * {@link #createOrOpen(String, int, int, ZeroqConfig)} with the default options.
     *
     * @param name        the shared-memory object name.
     * @param capacity    the number of cells, a power of two of at least 2.
     * @param elementSize bytes per element, at least 1.
     * @return the queue; {@link #isCreator()} tells whether this call created it.
     */
    public static ZeroqQueue createOrOpen(final String name, final int capacity, final int elementSize)
    {
        return createOrOpen(name, capacity, elementSize, new ZeroqConfig());
    }

    /**
     * Creates the queue if the name is free, otherwise opens it, as {@link #open(String, ZeroqConfig)}, checking that
     * it has the capacity and element size asked for.
     *
     * @param name        the shared-memory object name.
     * @param capacity    the number of cells, a power of two of at least 2.
     * @param elementSize bytes per element, at least 1.
     * @param config      further options.
     * @return the queue; {@link #isCreator()} tells whether this call created it.
     * @throws IllegalStateException if an existing queue has another shape, or the object cannot be made or opened.
     */
    public static ZeroqQueue createOrOpen(
        final String name, final int capacity, final int elementSize, final ZeroqConfig config)
    {
        return ZeroqAttach.createOrOpen(name, capacity, elementSize, config);
    }

    /**
     * {@link #open(String, ZeroqConfig)} with the default options.
     *
     * @param name the shared-memory object name.
     * @return the queue; {@link #close()} does not unlink.
     */
    public static ZeroqQueue open(final String name)
    {
        return open(name, new ZeroqConfig());
    }

    /**
     * Attaches to an existing queue (zeroq's {@code create=False}), reading element size and capacity from its
     * header, validated against the object's length; waits up to the open timeout for a creator still initialising
     * it. Opening writes nothing.
     *
     * @param name   the shared-memory object name.
     * @param config further options.
     * @return the queue.
     * @throws IllegalStateException if the object is missing, or its header is not a zeroq header it can hold.
     */
    public static ZeroqQueue open(final String name, final ZeroqConfig config)
    {
        return ZeroqAttach.open(name, config);
    }

    /**
     * {@link #local(int, int, ZeroqConfig)} with the default options.
     *
     * @param capacity    the number of cells, a power of two of at least 2.
     * @param elementSize bytes per element, at least 1.
     * @return the queue.
     */
    public static ZeroqQueue local(final int capacity, final int elementSize)
    {
        return local(capacity, elementSize, new ZeroqConfig());
    }

    /**
     * Creates an in-process queue over 64-byte-aligned process memory, for threads of one JVM.
     *
     * @param capacity    the number of cells, a power of two of at least 2.
     * @param elementSize bytes per element, at least 1.
     * @param config      the idle strategy of waiting calls (the other options do not apply).
     * @return the queue.
     * @throws IllegalArgumentException for a bad capacity or element size.
     */
    public static ZeroqQueue local(final int capacity, final int elementSize, final ZeroqConfig config)
    {
        return ZeroqAttach.local(capacity, elementSize, config);
    }

    /**
     * Copies one element into the queue if a cell is free.
     *
     * @param src    the element's bytes.
     * @param offset their offset in {@code src}.
     * @param length their length, which must equal {@link #elementSize()}.
     * @return true if enqueued, false if the queue is full.
     * @throws IllegalArgumentException if {@code length != elementSize()} or the range is not inside {@code src}.
     */
    public boolean offer(final DirectBuffer src, final int offset, final int length)
    {
        cells.checkSource(src, offset, length);
        checkOpen();
        return cells.write(cells.claimFree(), src, offset);
    }

    /**
     * {@link #offer(DirectBuffer, int, int)}, waiting up to a timeout for a free cell.
     *
     * @param src     the element's bytes.
     * @param offset  their offset in {@code src}.
     * @param length  their length, which must equal {@link #elementSize()}.
     * @param timeout how long to wait; {@code Long.MAX_VALUE} nanoseconds or more waits indefinitely.
     * @param unit    the unit of {@code timeout}.
     * @return true if enqueued, false if the timeout passed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean offer(
        final DirectBuffer src, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        cells.checkSource(src, offset, length);
        checkOpen();
        return cells.write(await(true, false, unit.toNanos(timeout)), src, offset);
    }

    /**
     * {@link #offer(DirectBuffer, int, int)}, waiting as long as it takes for a free cell.
     *
     * @param src    the element's bytes.
     * @param offset their offset in {@code src}.
     * @param length their length, which must equal {@link #elementSize()}.
     * @throws InterruptedException if interrupted while waiting.
     */
    public void put(final DirectBuffer src, final int offset, final int length) throws InterruptedException
    {
        offer(src, offset, length, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Takes one element if one is ready, copying it out. Elements a {@link #drain} handler did not see because it
     * threw, or a {@link #controlledDrain} handler aborted, come first.
     *
     * @param dst    where to copy its {@link #elementSize()} bytes.
     * @param offset the offset in {@code dst}.
     * @return true if an element was taken, false if none is ready.
     * @throws IllegalArgumentException if {@code dst} has no room for an element at {@code offset}.
     */
    public boolean poll(final MutableDirectBuffer dst, final int offset)
    {
        BufferBounds.checkRange("dst", dst, offset, cells.elementSize());
        checkOpen();
        return drain.pollKeptInto(dst, offset) || cells.read(cells.claimCommitted(), dst, offset);
    }

    /**
     * {@link #poll(MutableDirectBuffer, int)}, waiting up to a timeout for an element.
     *
     * @param dst     where to copy its {@link #elementSize()} bytes.
     * @param offset  the offset in {@code dst}.
     * @param timeout how long to wait; {@code Long.MAX_VALUE} nanoseconds or more waits indefinitely.
     * @param unit    the unit of {@code timeout}.
     * @return true if an element was taken, false if the timeout passed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean poll(final MutableDirectBuffer dst, final int offset, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        BufferBounds.checkRange("dst", dst, offset, cells.elementSize());
        checkOpen();
        return drain.pollKeptInto(dst, offset) || cells.read(await(false, false, unit.toNanos(timeout)), dst, offset);
    }

    /**
     * {@link #poll(MutableDirectBuffer, int)}, waiting as long as it takes for an element.
     *
     * @param dst    where to copy its {@link #elementSize()} bytes.
     * @param offset the offset in {@code dst}.
     * @throws InterruptedException if interrupted while waiting.
     */
    public void take(final MutableDirectBuffer dst, final int offset) throws InterruptedException
    {
        poll(dst, offset, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Claims the next free cell for writing in place. Write {@link #elementSize()} bytes at
     * {@link #offset(long) offset(position)} in {@link #buffer()}, then {@link #commit(long)}; until then every
     * consumer waits at this position, so commit promptly and always.
     *
     * @return the claimed position, or {@link #NO_POSITION} if the queue is full.
     */
    public long tryClaim()
    {
        checkOpen();
        return cells.claimFreeToHandOut();
    }

    /**
     * {@link #tryClaim()}, waiting up to a timeout for a free cell.
     *
     * @param timeout how long to wait; {@code Long.MAX_VALUE} nanoseconds or more waits indefinitely.
     * @param unit    the unit of {@code timeout}.
     * @return the claimed position, or {@link #NO_POSITION} if the timeout passed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public long claim(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        checkOpen();
        return await(true, true, unit.toNanos(timeout));
    }

    /**
     * Publishes the element written at a position from {@link #tryClaim()} to consumers. The position is checked
     * first: it must have been claimed ({@code enqueue_pos} is past it by at most the capacity) and not yet committed
     * (its cell's sequence still equals it). That rejects a position never claimed, a second commit and a stale
     * position from an earlier lap; it cannot tell which thread or process made the claim. The commit of the claim
     * this instance handed out last, the usual claim, write, commit, is checked without reading shared memory.
     *
     * @param position the claimed position.
     * @throws IllegalArgumentException if the position is not claimed and uncommitted; nothing is written then.
     */
    public void commit(final long position)
    {
        checkOpen();
        cells.commitClaimed(position);
    }

    /**
     * Claims the next ready element for reading in place at {@link #offset(long) offset(position)} in
     * {@link #buffer()}; then {@link #release(long)} it.
     *
     * @return the claimed position, or {@link #NO_POSITION} if no element is ready.
     */
    public long tryAcquire()
    {
        checkOpen();
        return cells.claimCommittedToHandOut();
    }

    /**
     * {@link #tryAcquire()}, waiting up to a timeout for an element.
     *
     * @param timeout how long to wait; {@code Long.MAX_VALUE} nanoseconds or more waits indefinitely.
     * @param unit    the unit of {@code timeout}.
     * @return the claimed position, or {@link #NO_POSITION} if the timeout passed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public long acquire(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        checkOpen();
        return await(false, true, unit.toNanos(timeout));
    }

    /**
     * Frees the cell of an element read in place, for producers to reuse. The position is checked first, as
     * {@link #commit(long)} checks: it must have been acquired ({@code dequeue_pos} is past it by at most the
     * capacity) and not yet released (its cell's sequence is position + 1).
     *
     * @param position the position from {@link #tryAcquire()}.
     * @throws IllegalArgumentException if the position is not acquired and unreleased; nothing is written then.
     */
    public void release(final long position)
    {
        checkOpen();
        cells.releaseAcquired(position);
    }

    /**
     * Claims up to {@code limit} consecutive free cells with one CAS on {@code enqueue_pos}. Write each in place,
     * then {@link #commit(ZeroqRange)}.
     *
     * @param limit the most cells to claim, at least 1.
     * @param range receives the first position and the count.
     * @return the number of cells claimed; 0 if the queue is full.
     * @throws IllegalArgumentException if {@code limit < 1}.
     */
    public int tryClaim(final int limit, final ZeroqRange range)
    {
        checkLimit(limit);
        checkOpen();
        return cells.claimFreeRunToHandOut(limit, range);
    }

    /**
     * Publishes every element of a run from {@link #tryClaim(int, ZeroqRange)}, in order; every position is checked
     * as {@link #commit(long)} checks it before the first is committed.
     *
     * @param range the claimed run.
     * @throws IllegalArgumentException if any position of the run is not claimed and uncommitted; nothing is
     *                                  written then.
     */
    public void commit(final ZeroqRange range)
    {
        checkOpen();
        cells.commitClaimedRun(range.position(), range.count());
    }

    /**
     * Claims up to {@code limit} consecutive ready elements with one CAS on {@code dequeue_pos}. Read each in
     * place, then {@link #release(ZeroqRange)}.
     *
     * @param limit the most elements to claim, at least 1.
     * @param range receives the first position and the count.
     * @return the number of elements claimed; 0 if none is ready.
     * @throws IllegalArgumentException if {@code limit < 1}.
     */
    public int tryAcquire(final int limit, final ZeroqRange range)
    {
        checkLimit(limit);
        checkOpen();
        return cells.claimCommittedRunToHandOut(limit, range);
    }

    /**
     * Frees every cell of a run from {@link #tryAcquire(int, ZeroqRange)}; every position is checked as
     * {@link #release(long)} checks it before the first is freed.
     *
     * @param range the claimed run.
     * @throws IllegalArgumentException if any position of the run is not acquired and unreleased; nothing is
     *                                  written then.
     */
    public void release(final ZeroqRange range)
    {
        checkOpen();
        cells.releaseAcquiredRun(range.position(), range.count());
    }

    /**
     * Copies up to {@code count} elements, back to back in {@code src}, into the queue, claiming them with one CAS.
     *
     * @param src    the elements, {@link #elementSize()} bytes each.
     * @param offset the offset of the first in {@code src}.
     * @param count  how many to offer, at least 1.
     * @param range  a reusable holder for the claim.
     * @return how many were enqueued (the first ones); 0 if the queue is full.
     * @throws IllegalArgumentException if {@code count < 1} or {@code src} is too short; nothing is claimed then.
     */
    public int offerBatch(final DirectBuffer src, final int offset, final int count, final ZeroqRange range)
    {
        checkLimit(count);
        final int elementSize = cells.elementSize();
        BufferBounds.checkRange("src", src, offset, (long)count * elementSize);
        checkOpen();
        return cells.writeRun(cells.claimFreeRun(count, range), range.position(), src, offset);
    }

    /**
     * Takes up to {@code limit} ready elements with one CAS and hands each to {@code handler} in place, with its
     * position. No element is lost to a handler that throws: the one it threw on counts as handed over; the rest of
     * the run are copied out (freeing their cells for everyone at once) and kept in this instance, delivered first,
     * in order, by its next drain or {@code poll}/{@code take}; then the exception is rethrown. {@link #tryAcquire()}
     * does not see kept-back elements, and {@link #close()} drops them.
     *
     * @param handler receives each element during the call.
     * @param limit   the most elements to take, at least 1.
     * @return how many were handed to {@code handler}; 0 if none was ready.
     * @throws IllegalArgumentException if {@code limit < 1}.
     */
    public int drain(final MessageHandler handler, final int limit)
    {
        checkLimit(limit);
        checkOpen();
        return drain.drain(handler, limit);
    }

    /**
     * {@link #drain}, with the handler steering after each element: {@code CONTINUE} goes on, {@code BREAK} stops
     * after it, {@code COMMIT} frees the cells handled so far at once and goes on, {@code ABORT} stops without
     * consuming it. A claim cannot be given back, so the run's unconsumed elements are kept, as for a handler that
     * throws, and handed over first by this instance's next consuming call; other consumers do not see them.
     *
     * @param handler receives each element during the call, and says how to go on.
     * @param limit   the most elements to take, at least 1.
     * @return how many were consumed (an aborted one is not); 0 if none was ready.
     * @throws IllegalArgumentException if {@code limit < 1}.
     */
    public int controlledDrain(final ControlledMessageHandler handler, final int limit)
    {
        checkLimit(limit);
        checkOpen();
        return drain.controlledDrain(handler, limit);
    }

    /**
     * @param position a claimed position.
     * @return the offset in {@link #buffer()} of that position's element.
     */
    public int offset(final long position)
    {
        return cells.offset(position);
    }

    /** @return the memory of the queue; elements live at {@link #offset(long)}. */
    public AtomicBuffer buffer()
    {
        return cells.buffer();
    }

    /**
     * @return {@code enqueue_pos - dequeue_pos}, clamped to {@code [0, capacity]}: exact when nothing moves,
     * a snapshot otherwise (zeroq's {@code len}).
     */
    public int size()
    {
        checkOpen();
        return cells.size();
    }

    /** @return true when {@link #size()} is 0. */
    public boolean isEmpty()
    {
        return 0 == size();
    }

    /** @return true when {@link #size()} is the capacity. */
    public boolean isFull()
    {
        return cells.capacity() == size();
    }

    /**
     * Tells a stalled queue from an empty one: true when the next element to read was claimed by a producer
     * (enqueue_pos is past it) but never committed. That is normal for the few nanoseconds a producer needs to copy
     * its element; a stall that persists means the producer died between claim and commit.
     *
     * @return true if consumers are waiting on an uncommitted cell.
     */
    public boolean isStalled()
    {
        checkOpen();
        return cells.isStalled();
    }

    /**
     * Tells a queue that producers see as full because a consumer holds the cell they need: true when the cell at
     * {@code enqueue_pos} still holds the previous lap's element although {@code dequeue_pos} has passed it.
     *
     * @return true if producers are waiting on a cell acquired but not released.
     */
    public boolean isHeldByConsumer()
    {
        checkOpen();
        return cells.isHeldByConsumer();
    }

    /**
     * Recovers a queue stalled by a process that died holding a cell, as Agrona's {@code unblock()}; frees at most one
     * cell per call. A producer dead between claim and commit ({@link #isStalled()}): its position is skipped, and
     * nothing is lost. A consumer dead between acquire and release ({@link #isHeldByConsumer()}): its cell is freed.
     * <b>Only once the holder is known to be dead</b> ({@code shmq inspect} shows both): a live producer committing
     * after its cell was skipped would corrupt the cell's sequence. Committed elements are never dropped or
     * duplicated.
     *
     * @return true if a stalled cell was freed.
     */
    public boolean unblock()
    {
        checkOpen();
        return cells.unblock();
    }

    /**
     * The newest claim, if it is still uncommitted: what a producer killed between claim and commit leaves behind.
     * Read by a process that is known to be a queue's only producer, at its start, it names the claim of the
     * predecessor that died (a {@code bridge in} restarted with {@code --sole-producer} does this); for a queue with
     * live producers it is only a snapshot, normally {@link #NO_POSITION}.
     *
     * @return the newest claimed position if it is not committed, else {@link #NO_POSITION}.
     */
    public long newestUncommittedClaim()
    {
        checkOpen();
        return cells.newestUncommittedClaim();
    }

    /**
     * {@link #unblock()} for one known position: skips {@code position}, a claim never committed, once consumers
     * wait on it (it is {@code dequeue_pos}), and does nothing before. <b>Only for a claim whose producer is known
     * dead</b>, as {@link #unblock()}. Nothing committed is dropped: a position committed meanwhile, or already
     * passed, is left alone.
     *
     * @param position a claimed position: {@code 0 <= position < enqueue_pos}.
     * @return true once {@code position} no longer blocks consumers (skipped now, committed, or passed); false
     *         while consumers have not reached it yet.
     * @throws IllegalArgumentException naming the position and the limit, if it was never claimed.
     */
    public boolean unblock(final long position)
    {
        checkOpen();
        return cells.unblock(position);
    }

    /** @return the number of cells. */
    public int capacity()
    {
        return cells.capacity();
    }

    /** @return bytes per element. */
    public int elementSize()
    {
        return cells.elementSize();
    }

    /** Drops the elements kept back after a drain handler threw or aborted. */
    @Override
    protected void onClose()
    {
        drain.clear();
    }

    @Override
    public String toString()
    {
        return "ZeroqQueue{name=" + name() + ", capacity=" + capacity() + ", elementSize=" + elementSize() +
            ", creator=" + isCreator() + ", closed=" + isClosed() + '}';
    }

    /**
     * Claims a free cell ({@code producer}) or a committed element, waiting up to the timeout; {@code handOut} for a
     * position the caller will commit or release itself.
     */
    private long await(final boolean producer, final boolean handOut, final long timeoutNanos)
        throws InterruptedException
    {
        long position = claimOnce(producer, handOut);
        if (NO_POSITION != position)
        {
            return position;
        }
        final long start = System.nanoTime();
        final IdleStrategy idle = idleStrategy();
        try
        {
            while (true)
            {
                pause(idle, start);
                position = claimOnce(producer, handOut);
                if (NO_POSITION != position || System.nanoTime() - start >= timeoutNanos)
                {
                    return position;
                }
            }
        }
        catch (final InternalError fault)
        {
            throw truncationOr(fault);
        }
    }

    private long claimOnce(final boolean producer, final boolean handOut)
    {
        if (handOut)
        {
            return producer ? cells.claimFreeToHandOut() : cells.claimCommittedToHandOut();
        }
        return producer ? cells.claimFree() : cells.claimCommitted();
    }
}
