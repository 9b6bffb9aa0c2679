package dev.shmq.zeroq;

import dev.shmq.core.BufferBounds;
import dev.shmq.core.ShmSegment;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.shmq.zeroq.ZeroqDescriptor.BUFFER_MASK_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.CELL_LENGTH;
import static dev.shmq.zeroq.ZeroqDescriptor.CELL_SEQUENCE_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.DEQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.ENQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.HEADER_LENGTH;

/**
 * A bounded, lossless MPMC FIFO speaking zeroq 0.1.0's wire protocol (Vyukov's bounded MPMC queue) over an Agrona
 * {@link AtomicBuffer}: a shared-memory object that Rust, Python and C peers use at the same time, or process memory.
 *
 * <p>Every element is exactly {@link #elementSize()} bytes and is taken by exactly one consumer, in the order the
 * producers' claims were made. The API comes in four flavours:
 * <ul>
 *   <li>non-blocking, allocation-free: {@link #offer(DirectBuffer, int, int)}, {@link #poll(MutableDirectBuffer,
 *   int)} return {@code false} on full/empty;</li>
 *   <li>zeroq-style: {@link #putNowait(byte[])}, {@link #getNowait()} throw {@link QueueFullException} /
 *   {@link QueueEmptyException}; {@link #put(byte[], long, TimeUnit)}, {@link #get(long, TimeUnit)} wait up to a
 *   timeout; {@link #put(byte[])}, {@link #take()} wait indefinitely and honour interrupts;</li>
 *   <li>zero-copy: {@link #tryClaim()} / {@link #commit(long)} on the producer side, {@link #tryAcquire()} /
 *   {@link #release(long)} on the consumer side, writing and reading in place at {@link #offset(long)};</li>
 *   <li>batches: {@link #tryClaim(int, ZeroqRange)} and {@link #tryAcquire(int, ZeroqRange)} claim up to k cells
 *   with one CAS on the shared position; peers that move one element at a time cannot tell.</li>
 * </ul>
 *
 * <p>Thread safety: every method may be called from any number of threads and processes, {@link #close()} included:
 * a call that overlaps {@code close()} either completes normally or throws {@link IllegalStateException} saying the
 * queue is closed, and every call after it throws that; a thread waiting in {@link #take()} or {@link #put(byte[])}
 * wakes with it. The memory stays mapped until the queue is unreachable, so no call can touch unmapped memory.
 *
 * <p>Arguments are checked before anything is claimed or stored: a bad one throws {@link IllegalArgumentException}
 * and leaves shared memory untouched, so one careless call cannot stall the queue for the other processes.
 *
 * <p>Hazard of the protocol: a producer that dies between its claim and its commit leaves its cell uncommitted
 * forever; consumers then see the queue as empty at that position ({@link #isStalled()} tells the two apart).
 */
public final class ZeroqQueue implements AutoCloseable
{
    /** Returned by {@link #tryClaim()} and {@link #tryAcquire()} when no position was claimed. */
    public static final long NO_POSITION = -1;

    /** A cell is free for the producer of position p when its sequence is p + 0. */
    private static final long FREE_LAG = 0;

    /** A cell holds the committed element of position p when its sequence is p + 1. */
    private static final long COMMITTED_LAG = 1;

    private static final long OPEN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int CONSISTENT_READ_ATTEMPTS = 16;

    private final AtomicBuffer buffer;
    private final ShmSegment segment;
    private final int capacity;
    private final long mask;
    private final int elementSize;
    private final int dataOffset;
    private final boolean creator;
    private final boolean unlinkOnClose;
    private final ThreadLocal<IdleStrategy> idleStrategies;
    private final ZeroqKeptBack keptBack;
    private volatile boolean closed;

    private ZeroqQueue(
        final AtomicBuffer buffer,
        final ShmSegment segment,
        final int capacity,
        final int elementSize,
        final boolean creator,
        final ZeroqConfig config)
    {
        // Every atomic field is 8-byte aligned relative to the base, so the base must be too (a mapping is page
        // aligned, local memory 64-byte aligned); under -Dagrona.strict.alignment.checks=true a heap buffer fails.
        buffer.verifyAlignment();
        this.buffer = buffer;
        this.segment = segment;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.elementSize = elementSize;
        this.dataOffset = ZeroqDescriptor.dataOffset(capacity);
        this.creator = creator;
        this.unlinkOnClose = null != segment && config.resolveUnlinkOnClose(creator);
        this.idleStrategies = ThreadLocal.withInitial(config.idleStrategy());
        this.keptBack = new ZeroqKeptBack(elementSize);
    }

    /**
     * Creates a new shared-memory queue; fails if the name exists (zeroq's {@code create=True}).
     *
     * @param name        the shared-memory object name.
     * @param capacity    the number of cells, a power of two of at least 2.
     * @param elementSize bytes per element, at least 1.
     * @return the queue; {@link #close()} unlinks the name.
     * @throws IllegalArgumentException for a bad capacity, element size or name.
     * @throws IllegalStateException    if the name exists or the object cannot be created.
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
        final int length = ZeroqDescriptor.totalLength(capacity, elementSize);
        final ShmSegment segment = ShmSegment.create(config.shmName(name), length, config.permissions());
        try
        {
            initialise(segment.buffer(), capacity, elementSize);
            return new ZeroqQueue(segment.buffer(), segment, capacity, elementSize, true, config);
        }
        catch (final RuntimeException ex)
        {
            segment.unlink();
            segment.closeAndUnmap();
            throw ex;
        }
    }

    /**
     * Attaches to an existing queue (zeroq's {@code create=False}), reading element size and capacity from its
     * header after validating them against the object's length.
     *
     * @param name the shared-memory object name.
     * @return the queue; {@link #close()} does not unlink.
     * @throws IllegalStateException if the object is missing, or its header is not a zeroq header it can hold.
     */
    public static ZeroqQueue open(final String name)
    {
        return open(name, new ZeroqConfig());
    }

    /**
     * Attaches to an existing queue, reading element size and capacity from its header after validating them
     * against the object's length. Nothing is written to the segment by opening.
     *
     * @param name   the shared-memory object name.
     * @param config further options.
     * @return the queue.
     * @throws IllegalStateException if the object is missing, or its header is not a zeroq header it can hold.
     */
    public static ZeroqQueue open(final String name, final ZeroqConfig config)
    {
        final long deadline = System.nanoTime() + config.openTimeoutNanos();
        final ShmSegment segment = ShmSegment.open(config.shmName(name), HEADER_LENGTH, config.openTimeoutNanos());
        try
        {
            final AtomicBuffer buffer = segment.buffer();
            // acquire: a Java creator writes element_size last with release, so a non-zero value means the rest
            // of the header and every cell are initialised. The Rust creator writes the header first and the cells
            // after it, with plain stores: awaitFreshCells() below covers that.
            long elementSize = buffer.getLongAcquire(ELEMENT_SIZE_OFFSET);
            while (0 == elementSize && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(OPEN_POLL_NANOS);
                elementSize = buffer.getLongAcquire(ELEMENT_SIZE_OFFSET);
            }
            final long bufferMask = buffer.getLong(BUFFER_MASK_OFFSET);
            final int capacity = ZeroqDescriptor.checkHeader(elementSize, bufferMask, segment.length());
            checkPositions(buffer, capacity, segment.name().name());
            awaitFreshCells(buffer, capacity, deadline, segment.name().name());
            return new ZeroqQueue(buffer, segment, capacity, (int)elementSize, false, config);
        }
        catch (final RuntimeException ex)
        {
            segment.closeAndUnmap();
            throw ex;
        }
    }

    /**
     * Creates an in-process queue over 64-byte-aligned process memory, for threads of one JVM.
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
     * @param config      further options (permissions and unlinking do not apply).
     * @return the queue.
     */
    public static ZeroqQueue local(final int capacity, final int elementSize, final ZeroqConfig config)
    {
        final int length = ZeroqDescriptor.totalLength(capacity, elementSize);
        final AtomicBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, Long.BYTES * 8));
        initialise(buffer, capacity, elementSize);
        return new ZeroqQueue(buffer, null, capacity, elementSize, true, config);
    }

    private static void initialise(final AtomicBuffer buffer, final int capacity, final int elementSize)
    {
        for (int i = 0; i < capacity; i++)
        {
            buffer.putLong(ZeroqDescriptor.cellOffset(i), i);
        }
        buffer.putLong(ENQUEUE_POS_OFFSET, 0);
        buffer.putLong(DEQUEUE_POS_OFFSET, 0);
        buffer.putLong(BUFFER_MASK_OFFSET, capacity - 1);
        // release, last: an opener that reads a non-zero element_size with acquire sees a complete header and cells.
        buffer.putLongRelease(ELEMENT_SIZE_OFFSET, elementSize);
    }

    /**
     * zeroq's Rust creator (the Python binding's) writes the header, {@code element_size} included, before it sets
     * cell i to i in a loop of plain stores. An opener that used the queue in between could commit into cell 0 and
     * have the creator's loop overwrite it, losing the element and stalling every consumer. A queue nobody has
     * used yet ({@code enqueue_pos = dequeue_pos = 0}) has every cell at its index, so wait, within the open
     * deadline, for the last cell and cell 1 to hold theirs: the loop writes them last and early, in order.
     */
    private static void awaitFreshCells(
        final AtomicBuffer buffer, final int capacity, final long deadline, final String name)
    {
        // acquire, each: positions first, then the cells they say are pristine.
        if (0 != buffer.getLongAcquire(ENQUEUE_POS_OFFSET) || 0 != buffer.getLongAcquire(DEQUEUE_POS_OFFSET))
        {
            return;
        }
        final int lastCell = capacity - 1;
        while (true)
        {
            final long last = buffer.getLongAcquire(cellOffset(lastCell));
            final long second = buffer.getLongAcquire(cellOffset(1));
            if (lastCell == last && 1 == second)
            {
                return;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("zeroq segment " + name + " cells not initialised: cell " + lastCell +
                    " sequence=" + Long.toUnsignedString(last) + ", cell 1 sequence=" + Long.toUnsignedString(second) +
                    " (expected " + lastCell + " and 1 in a queue never used, within the open timeout)");
            }
            LockSupport.parkNanos(OPEN_POLL_NANOS);
        }
    }

    private static void checkPositions(final AtomicBuffer buffer, final int capacity, final String name)
    {
        // Only a stable snapshot proves anything: re-read enqueue_pos until it did not move around dequeue_pos.
        for (int i = 0; i < CONSISTENT_READ_ATTEMPTS; i++)
        {
            // acquire, each: the three loads stay in program order, so an unchanged enqueue_pos brackets dequeue_pos.
            final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
            final long dequeue = buffer.getLongAcquire(DEQUEUE_POS_OFFSET);
            if (enqueue == buffer.getLongAcquire(ENQUEUE_POS_OFFSET))
            {
                final long used = enqueue - dequeue;
                if (used < 0 || used > capacity)
                {
                    throw new IllegalStateException("zeroq segment " + name + " enqueue_pos=" +
                        Long.toUnsignedString(enqueue) + ", dequeue_pos=" + Long.toUnsignedString(dequeue) +
                        " (expected 0 <= enqueue_pos - dequeue_pos <= capacity=" + capacity + ")");
                }
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Non-blocking, allocation-free
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Copies one element into the queue if a cell is free.
     *
     * @param src    the element's bytes.
     * @param offset their offset in {@code src}.
     * @param length their length, which must equal {@link #elementSize()}.
     * @return true if enqueued, false if the queue is full.
     * @throws IllegalArgumentException if {@code length != elementSize()} or the range is not inside {@code src}.
     * @throws IllegalStateException    if the queue is closed.
     */
    public boolean offer(final DirectBuffer src, final int offset, final int length)
    {
        checkSource(src, offset, length);
        checkOpen();
        final long position = claimProducer();
        if (NO_POSITION == position)
        {
            return false;
        }
        buffer.putBytes(offset(position), src, offset, length);
        commitClaimed(position);
        return true;
    }

    /**
     * Copies one element into the queue if a cell is free.
     *
     * @param item the element, exactly {@link #elementSize()} bytes.
     * @return true if enqueued, false if the queue is full.
     * @throws IllegalArgumentException if {@code item.length != elementSize()}.
     */
    public boolean offer(final byte[] item)
    {
        BufferBounds.checkLength("item", item, elementSize);
        checkOpen();
        final long position = claimProducer();
        if (NO_POSITION == position)
        {
            return false;
        }
        buffer.putBytes(offset(position), item);
        commitClaimed(position);
        return true;
    }

    /**
     * Takes one element if one is ready, copying it out. Elements a {@link #drain} handler did not see because it
     * threw come first.
     *
     * @param dst    where to copy its {@link #elementSize()} bytes.
     * @param offset the offset in {@code dst}.
     * @return true if an element was taken, false if none is ready.
     * @throws IllegalArgumentException if {@code dst} has no room for an element at {@code offset}.
     * @throws IllegalStateException    if the queue is closed.
     */
    public boolean poll(final MutableDirectBuffer dst, final int offset)
    {
        BufferBounds.checkRange("dst", dst, offset, elementSize);
        checkOpen();
        if (keptBack.pollInto(dst, offset))
        {
            return true;
        }
        final long position = claimConsumer();
        if (NO_POSITION == position)
        {
            return false;
        }
        dst.putBytes(offset, buffer, offset(position), elementSize);
        releaseAcquired(position);
        return true;
    }

    /**
     * Takes one element if one is ready.
     *
     * @return a new array with the element, or null if none is ready.
     * @throws IllegalStateException if the queue is closed.
     */
    public byte[] poll()
    {
        checkOpen();
        final byte[] kept = keptBack.poll();
        if (null != kept)
        {
            return kept;
        }
        final long position = claimConsumer();
        return NO_POSITION == position ? null : copyOut(position);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // zeroq-style: exceptions, timeouts
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Puts an element without waiting (zeroq's {@code put_nowait}).
     *
     * @param item the element, exactly {@link #elementSize()} bytes.
     * @throws QueueFullException       if every cell is in use.
     * @throws IllegalArgumentException if {@code item.length != elementSize()}.
     */
    public void putNowait(final byte[] item)
    {
        if (!offer(item))
        {
            throw new QueueFullException("queue full: capacity=" + capacity);
        }
    }

    /**
     * Gets an element without waiting (zeroq's {@code get_nowait}).
     *
     * @return the element.
     * @throws QueueEmptyException if none is ready.
     */
    public byte[] getNowait()
    {
        final byte[] item = poll();
        if (null == item)
        {
            throw new QueueEmptyException("queue empty");
        }
        return item;
    }

    /**
     * Puts an element, waiting as long as it takes for a free cell.
     *
     * @param item the element, exactly {@link #elementSize()} bytes.
     * @throws InterruptedException     if interrupted while waiting.
     * @throws IllegalArgumentException if {@code item.length != elementSize()}.
     */
    public void put(final byte[] item) throws InterruptedException
    {
        BufferBounds.checkLength("item", item, elementSize);
        put(new UnsafeBuffer(item), 0, item.length);
    }

    /**
     * Puts an element, waiting as long as it takes for a free cell.
     *
     * @param src    the element's bytes.
     * @param offset their offset in {@code src}.
     * @param length their length, which must equal {@link #elementSize()}.
     * @throws InterruptedException     if interrupted while waiting.
     * @throws IllegalArgumentException if {@code length != elementSize()}.
     */
    public void put(final DirectBuffer src, final int offset, final int length) throws InterruptedException
    {
        offer(src, offset, length, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Puts an element, waiting up to a timeout for a free cell (zeroq's {@code put(item, timeout)}).
     *
     * @param item    the element, exactly {@link #elementSize()} bytes.
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @throws QueueFullException       if no cell became free in time.
     * @throws InterruptedException     if interrupted while waiting.
     * @throws IllegalArgumentException if {@code item.length != elementSize()}.
     */
    public void put(final byte[] item, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        BufferBounds.checkLength("item", item, elementSize);
        if (!offer(new UnsafeBuffer(item), 0, item.length, timeout, unit))
        {
            throw new QueueFullException("queue full after waiting " + timeout + " " + unit + ": capacity=" + capacity);
        }
    }

    /**
     * Offers an element, waiting up to a timeout for a free cell ({@code BlockingQueue.offer} style).
     *
     * @param src     the element's bytes.
     * @param offset  their offset in {@code src}.
     * @param length  their length, which must equal {@link #elementSize()}.
     * @param timeout how long to wait; {@code Long.MAX_VALUE} nanoseconds or more waits indefinitely.
     * @param unit    the unit of {@code timeout}.
     * @return true if enqueued, false if the timeout passed.
     * @throws InterruptedException     if interrupted while waiting.
     * @throws IllegalArgumentException if {@code length != elementSize()}.
     */
    public boolean offer(
        final DirectBuffer src, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        checkSource(src, offset, length);
        final long position = claim(timeout, unit);
        if (NO_POSITION == position)
        {
            return false;
        }
        buffer.putBytes(offset(position), src, offset, length);
        commitClaimed(position);
        return true;
    }

    /**
     * Takes an element, waiting as long as it takes for one to be ready.
     *
     * @return a new array with the element.
     * @throws InterruptedException if interrupted while waiting.
     */
    public byte[] take() throws InterruptedException
    {
        return get(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Takes an element into a buffer, waiting as long as it takes for one to be ready.
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
     * Gets an element, waiting up to a timeout (zeroq's {@code get(timeout)}).
     *
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @return a new array with the element.
     * @throws QueueEmptyException  if no element became ready in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public byte[] get(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        checkOpen();
        final byte[] kept = keptBack.poll();
        if (null != kept)
        {
            return kept;
        }
        final long position = awaitClaim(DEQUEUE_POS_OFFSET, COMMITTED_LAG, unit.toNanos(timeout));
        if (NO_POSITION == position)
        {
            throw new QueueEmptyException("queue empty after waiting " + timeout + " " + unit);
        }
        return copyOut(position);
    }

    /**
     * Takes an element into a buffer, waiting up to a timeout ({@code BlockingQueue.poll} style).
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
        BufferBounds.checkRange("dst", dst, offset, elementSize);
        checkOpen();
        if (keptBack.pollInto(dst, offset))
        {
            return true;
        }
        final long position = awaitClaim(DEQUEUE_POS_OFFSET, COMMITTED_LAG, unit.toNanos(timeout));
        if (NO_POSITION == position)
        {
            return false;
        }
        dst.putBytes(offset, buffer, offset(position), elementSize);
        releaseAcquired(position);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Zero-copy
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Claims the next free cell for writing in place. Write {@link #elementSize()} bytes at
     * {@link #offset(long) offset(position)} in {@link #buffer()}, then {@link #commit(long)}; until then every
     * consumer waits at this position, so commit promptly and always.
     *
     * @return the claimed position, or {@link #NO_POSITION} if the queue is full.
     * @throws IllegalStateException if the queue is closed.
     */
    public long tryClaim()
    {
        checkOpen();
        return claimProducer();
    }

    /**
     * Publishes the element written at a position from {@link #tryClaim()} to consumers.
     *
     * <p>The position is checked first against shared memory: it must have been claimed ({@code enqueue_pos} is past
     * it by at most the capacity) and not yet committed (its cell's sequence still equals it). That rejects a
     * position never claimed, a second commit and a stale position from an earlier lap; it cannot tell which thread
     * or process made the claim.
     *
     * @param position the claimed position.
     * @throws IllegalArgumentException if the position is not claimed and uncommitted; nothing is written then.
     * @throws IllegalStateException    if the queue is closed.
     */
    public void commit(final long position)
    {
        checkOpen();
        checkClaimed(position);
        commitClaimed(position);
    }

    /**
     * Claims the next ready element for reading in place at {@link #offset(long) offset(position)} in
     * {@link #buffer()}; then {@link #release(long)} it.
     *
     * @return the claimed position, or {@link #NO_POSITION} if no element is ready.
     * @throws IllegalStateException if the queue is closed.
     */
    public long tryAcquire()
    {
        checkOpen();
        return claimConsumer();
    }

    /**
     * Claims the next ready element, waiting up to a timeout.
     *
     * @param timeout how long to wait; {@code Long.MAX_VALUE} nanoseconds or more waits indefinitely.
     * @param unit    the unit of {@code timeout}.
     * @return the claimed position, or {@link #NO_POSITION} if the timeout passed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public long acquire(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        checkOpen();
        return awaitClaim(DEQUEUE_POS_OFFSET, COMMITTED_LAG, unit.toNanos(timeout));
    }

    /**
     * Claims the next free cell, waiting up to a timeout.
     *
     * @param timeout how long to wait; {@code Long.MAX_VALUE} nanoseconds or more waits indefinitely.
     * @param unit    the unit of {@code timeout}.
     * @return the claimed position, or {@link #NO_POSITION} if the timeout passed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public long claim(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        checkOpen();
        return awaitClaim(ENQUEUE_POS_OFFSET, FREE_LAG, unit.toNanos(timeout));
    }

    /**
     * Frees the cell of an element read in place, for producers to reuse.
     *
     * <p>The position is checked first, as {@link #commit(long)} checks: it must have been acquired
     * ({@code dequeue_pos} is past it by at most the capacity) and not yet released (its cell's sequence is
     * position + 1).
     *
     * @param position the position from {@link #tryAcquire()}.
     * @throws IllegalArgumentException if the position is not acquired and unreleased; nothing is written then.
     * @throws IllegalStateException    if the queue is closed.
     */
    public void release(final long position)
    {
        checkOpen();
        checkAcquired(position);
        releaseAcquired(position);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Batches
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Claims up to {@code limit} consecutive free cells with one CAS on {@code enqueue_pos}. Write each in place,
     * then {@link #commit(ZeroqRange)}.
     *
     * @param limit the most cells to claim, at least 1.
     * @param range receives the first position and the count.
     * @return the number of cells claimed; 0 if the queue is full.
     */
    public int tryClaim(final int limit, final ZeroqRange range)
    {
        checkLimit(limit);
        checkOpen();
        return claimRun(ENQUEUE_POS_OFFSET, FREE_LAG, limit, range);
    }

    /**
     * Publishes every element of a run from {@link #tryClaim(int, ZeroqRange)}, in order. Every position is checked
     * as {@link #commit(long)} checks it before the first is committed.
     *
     * @param range the claimed run.
     * @throws IllegalArgumentException if any position of the run is not claimed and uncommitted; nothing is
     *                                  written then.
     * @throws IllegalStateException    if the queue is closed.
     */
    public void commit(final ZeroqRange range)
    {
        checkOpen();
        final long first = range.position();
        final int count = range.count();
        for (int i = 0; i < count; i++)
        {
            checkClaimed(first + i);
        }
        commitRun(first, count);
    }

    /**
     * Claims up to {@code limit} consecutive ready elements with one CAS on {@code dequeue_pos}. Read each in
     * place, then {@link #release(ZeroqRange)}.
     *
     * @param limit the most elements to claim, at least 1.
     * @param range receives the first position and the count.
     * @return the number of elements claimed; 0 if none is ready.
     */
    public int tryAcquire(final int limit, final ZeroqRange range)
    {
        checkLimit(limit);
        checkOpen();
        return claimRun(DEQUEUE_POS_OFFSET, COMMITTED_LAG, limit, range);
    }

    /**
     * Frees every cell of a run from {@link #tryAcquire(int, ZeroqRange)}. Every position is checked as
     * {@link #release(long)} checks it before the first is freed.
     *
     * @param range the claimed run.
     * @throws IllegalArgumentException if any position of the run is not acquired and unreleased; nothing is
     *                                  written then.
     * @throws IllegalStateException    if the queue is closed.
     */
    public void release(final ZeroqRange range)
    {
        checkOpen();
        final long first = range.position();
        final int count = range.count();
        for (int i = 0; i < count; i++)
        {
            checkAcquired(first + i);
        }
        releaseRun(first, count);
    }

    /**
     * Copies up to {@code count} consecutive elements from {@code src} into the queue, claiming them with one CAS.
     *
     * @param src    the elements, back to back, {@link #elementSize()} bytes each.
     * @param offset the offset of the first in {@code src}.
     * @param count  how many to offer, at least 1.
     * @param range  a reusable holder for the claim.
     * @return how many were enqueued (the first ones); 0 if the queue is full.
     * @throws IllegalArgumentException if {@code count < 1} or {@code src} does not hold {@code count} elements
     *                                  from {@code offset}; nothing is claimed then.
     * @throws IllegalStateException    if the queue is closed.
     */
    public int offerBatch(final DirectBuffer src, final int offset, final int count, final ZeroqRange range)
    {
        checkLimit(count);
        BufferBounds.checkRange("src", src, offset, (long)count * elementSize);
        checkOpen();
        final int claimed = claimRun(ENQUEUE_POS_OFFSET, FREE_LAG, count, range);
        final long first = range.position();
        final int elementSize = this.elementSize;
        for (int i = 0; i < claimed; i++)
        {
            buffer.putBytes(offset(first + i), src, offset + i * elementSize, elementSize);
        }
        commitRun(first, claimed);
        return claimed;
    }

    /**
     * Takes up to {@code limit} ready elements with one CAS and hands each to {@code handler} in place.
     *
     * <p>No element is lost to a handler that throws: the element it threw on counts as handed over, and the rest
     * of the claimed run are copied out of the queue (so their cells are freed for every other process at once)
     * and kept in this instance. They are delivered, in order and before anything else, by the next
     * {@code drain}, {@code poll}, {@code take} or {@code get} on this instance; the exception is then rethrown.
     * The zero-copy {@link #tryAcquire()} hands out cells of the queue only and does not see them, and
     * {@link #close()} drops them, so drain again before closing.
     *
     * @param handler receives each element during the call.
     * @param limit   the most elements to take, at least 1.
     * @param range   a reusable holder for the claim; count 0 when the call delivered kept-back elements.
     * @return how many were handed to {@code handler}; 0 if none was ready.
     * @throws IllegalArgumentException if {@code limit < 1}.
     * @throws IllegalStateException    if the queue is closed.
     */
    public int drain(final ZeroqElementHandler handler, final int limit, final ZeroqRange range)
    {
        checkLimit(limit);
        checkOpen();
        if (!keptBack.isEmpty())
        {
            range.set(NO_POSITION, 0);
            return keptBack.drain(handler, limit);
        }
        final int claimed = claimRun(DEQUEUE_POS_OFFSET, COMMITTED_LAG, limit, range);
        final long first = range.position();
        int handed = 0;
        try
        {
            while (handed < claimed)
            {
                final int elementOffset = offset(first + handed);
                handed++;
                handler.onElement(buffer, elementOffset, elementSize);
            }
        }
        finally
        {
            if (handed < claimed)
            {
                // The handler threw: copy the elements it never saw before their cells are freed.
                for (int i = handed; i < claimed; i++)
                {
                    keptBack.add(buffer, offset(first + i));
                }
            }
            releaseRun(first, claimed);
        }
        return claimed;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * @param position a claimed position.
     * @return the offset in {@link #buffer()} of that position's element.
     */
    public int offset(final long position)
    {
        return dataOffset + (int)(position & mask) * elementSize;
    }

    /** @return the memory of the queue; elements live at {@link #offset(long)}. */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return {@code enqueue_pos - dequeue_pos}, clamped to {@code [0, capacity]}: exact when nothing moves,
     * a snapshot otherwise (zeroq's {@code len}).
     */
    public int size()
    {
        checkOpen();
        // acquire: dequeue_pos first, so the enqueue_pos read after it is at least as new and the difference is
        // rarely negative (clamped anyway). relaxed for enqueue_pos: a snapshot, as zeroq's len().
        final long dequeue = buffer.getLongAcquire(DEQUEUE_POS_OFFSET);
        final long enqueue = buffer.getLongOpaque(ENQUEUE_POS_OFFSET);
        return (int)Math.max(0, Math.min(capacity, enqueue - dequeue));
    }

    /** @return true when {@link #size()} is 0. */
    public boolean isEmpty()
    {
        return 0 == size();
    }

    /** @return true when {@link #size()} is the capacity. */
    public boolean isFull()
    {
        return capacity == size();
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
        // acquire, each: the cell is read after the dequeue_pos that names it, and a committed sequence is not
        // mistaken for a stall; enqueue_pos is read last, at least as new as the claim the cell shows.
        final long dequeue = buffer.getLongAcquire(DEQUEUE_POS_OFFSET);
        final long sequence = buffer.getLongAcquire(cellOffset(dequeue & mask));
        final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
        return ZeroqDescriptor.isStalled(enqueue, dequeue, sequence);
    }

    /**
     * Recovers a queue stalled by a process that died holding a cell, as Agrona's {@code unblock()} does for its
     * ring buffers. Two stalls are possible, and at most one cell is freed per call:
     * <ul>
     *   <li>a producer died between claim and commit: the cell at {@code dequeue_pos} is claimed but never
     *   committed, so every consumer sees the queue as empty. The position is skipped: {@code dequeue_pos} moves past
     *   it and the cell is freed for the next lap. Nothing was committed there, so nothing is lost;</li>
     *   <li>a consumer died between acquire and release: the cell at {@code enqueue_pos} still holds the element of
     *   the previous lap, acquired but never released, so every producer sees the queue as full. The cell is freed.
     *   The element was already taken by the dead consumer.</li>
     * </ul>
     * <b>Only call this once the holder is known to be dead</b> (a stall that persists, and no live process that
     * could still commit; {@code shmq inspect} shows both): a slow but live producer that commits after its cell was
     * skipped would corrupt the cell's sequence. Committed elements are never dropped or duplicated by this call.
     *
     * @return true if a stalled cell was freed.
     */
    public boolean unblock()
    {
        checkOpen();
        // acquire, each, in this order: as in isStalled(); the CAS below decides.
        final long dequeue = buffer.getLongAcquire(DEQUEUE_POS_OFFSET);
        final int headCell = cellOffset(dequeue & mask);
        final long headSequence = buffer.getLongAcquire(headCell);
        if (ZeroqDescriptor.isStalled(buffer.getLongAcquire(ENQUEUE_POS_OFFSET), dequeue, headSequence) &&
            buffer.compareAndSetLong(DEQUEUE_POS_OFFSET, dequeue, dequeue + 1))
        {
            // As a consumer would after reading: the cell is free for position dequeue + capacity.
            buffer.putLongRelease(headCell, dequeue + mask + 1);
            return true;
        }

        // acquire, each, in this order: as in isHeldByConsumer(); the CAS below decides.
        final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
        final long heldPosition = enqueue - capacity;
        final int tailCell = cellOffset(enqueue & mask);
        final long tailSequence = buffer.getLongAcquire(tailCell);
        if (ZeroqDescriptor.isHeldByConsumer(
            enqueue, buffer.getLongAcquire(DEQUEUE_POS_OFFSET), capacity, tailSequence))
        {
            // CAS, not a store: if the consumer was only slow and released meanwhile, leave its release alone.
            return buffer.compareAndSetLong(tailCell, heldPosition + 1, heldPosition + mask + 1);
        }
        return false;
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
        // acquire, each: the cell is read after the enqueue_pos that names it, and a released sequence is not
        // mistaken for a hold; dequeue_pos is read last.
        final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
        final long tailSequence = buffer.getLongAcquire(cellOffset(enqueue & mask));
        return ZeroqDescriptor.isHeldByConsumer(
            enqueue, buffer.getLongAcquire(DEQUEUE_POS_OFFSET), capacity, tailSequence);
    }

    /** @return the number of cells. */
    public int capacity()
    {
        return capacity;
    }

    /** @return bytes per element. */
    public int elementSize()
    {
        return elementSize;
    }

    /** @return true if this process created the queue. */
    public boolean isCreator()
    {
        return creator;
    }

    /** @return the shared-memory object name, or null for an in-process queue. */
    public String name()
    {
        return null == segment ? null : segment.name().name();
    }

    /**
     * Removes the name; processes that have the queue open keep using it.
     *
     * @return true if this call removed it.
     */
    public boolean unlink()
    {
        return null != segment && segment.unlink();
    }

    /**
     * Closes the queue, and unlinks the name if this process created it (or as configured), but only while the name
     * still names the object this queue mapped. Idempotent, and safe while other threads are inside calls: those
     * complete or throw {@link IllegalStateException}, waiting ones wake with it, later ones throw it. The memory
     * is unmapped once the queue is unreachable, never under a running call. Elements kept back after a
     * {@link #drain} handler threw are dropped.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        keptBack.clear();
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
    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public String toString()
    {
        return "ZeroqQueue{name=" + name() + ", capacity=" + capacity + ", elementSize=" + elementSize +
            ", creator=" + creator + ", closed=" + closed + '}';
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static int cellOffset(final long cell)
    {
        return HEADER_LENGTH + (int)cell * CELL_LENGTH + CELL_SEQUENCE_OFFSET;
    }

    /** Claims the next free cell for a producer. */
    private long claimProducer()
    {
        return claimOne(ENQUEUE_POS_OFFSET, FREE_LAG);
    }

    /** Claims the next committed element for a consumer. */
    private long claimConsumer()
    {
        return claimOne(DEQUEUE_POS_OFFSET, COMMITTED_LAG);
    }

    private void commitClaimed(final long position)
    {
        // release: the element's bytes become visible before the sequence that tells a consumer to read them.
        buffer.putLongRelease(cellOffset(position & mask), position + 1);
    }

    private void releaseAcquired(final long position)
    {
        // release: our reads of the element complete before a producer can see the cell as free and overwrite it.
        buffer.putLongRelease(cellOffset(position & mask), position + mask + 1);
    }

    private void commitRun(final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            commitClaimed(first + i);
        }
    }

    private void releaseRun(final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            releaseAcquired(first + i);
        }
    }

    private byte[] copyOut(final long position)
    {
        final byte[] item = new byte[elementSize];
        // plain: ordered after the acquire of the cell's committed sequence in the claim.
        buffer.getBytes(offset(position), item);
        releaseAcquired(position);
        return item;
    }

    private void checkClaimed(final long position)
    {
        // opaque: this thread's own claim moved enqueue_pos past the position, and reads of one location never go
        // back in time, so a claimed position always passes; anything else is rejected before a store.
        final long enqueue = buffer.getLongOpaque(ENQUEUE_POS_OFFSET);
        final long sequence = buffer.getLongOpaque(cellOffset(position & mask));
        final long ahead = enqueue - position;
        if (ahead < 1 || ahead > capacity || sequence != position)
        {
            throw new IllegalArgumentException("position=" + position + " (expected one claimed and not yet " +
                "committed: enqueue_pos=" + Long.toUnsignedString(enqueue) + ", cell " + (position & mask) +
                " sequence=" + Long.toUnsignedString(sequence) + ')');
        }
    }

    private void checkAcquired(final long position)
    {
        // opaque: as in checkClaimed(), with this thread's own acquire on dequeue_pos.
        final long dequeue = buffer.getLongOpaque(DEQUEUE_POS_OFFSET);
        final long sequence = buffer.getLongOpaque(cellOffset(position & mask));
        final long ahead = dequeue - position;
        if (ahead < 1 || ahead > capacity || sequence != position + COMMITTED_LAG)
        {
            throw new IllegalArgumentException("position=" + position + " (expected one acquired and not yet " +
                "released: dequeue_pos=" + Long.toUnsignedString(dequeue) + ", cell " + (position & mask) +
                " sequence=" + Long.toUnsignedString(sequence) + ')');
        }
    }

    /**
     * Claims the next position on one side with a CAS on its shared position. A producer's cell is free when its
     * sequence equals the position ({@link #FREE_LAG}); a consumer's is committed at position + 1
     * ({@link #COMMITTED_LAG}).
     */
    private long claimOne(final int positionOffset, final long lag)
    {
        final AtomicBuffer buffer = this.buffer;
        final long mask = this.mask;
        // relaxed: only a starting guess; the CAS below decides.
        long position = buffer.getLongOpaque(positionOffset);
        while (true)
        {
            // acquire: pairs with the other side's release of this cell (a consumer's release before we overwrite,
            // a producer's commit before we read), so the element's bytes are safe to touch.
            final long sequence = buffer.getLongAcquire(cellOffset(position & mask));
            final long difference = sequence - (position + lag);
            if (0 == difference)
            {
                // CAS is a full fence: claims the position among all threads of every process on this side.
                final long witness = buffer.compareAndExchangeLong(positionOffset, position, position + 1);
                if (witness == position)
                {
                    return position;
                }
                position = witness;
            }
            else if (difference < 0)
            {
                return NO_POSITION;
            }
            else
            {
                position = reloadPosition(positionOffset, position, sequence);
            }
        }
    }

    /**
     * Claims up to {@code limit} consecutive positions on one side with one CAS. A cell seen ready stays ready until
     * someone claims its position, which the CAS rules out, so checking the run before the CAS is sound.
     */
    private int claimRun(final int positionOffset, final long lag, final int limit, final ZeroqRange range)
    {
        final AtomicBuffer buffer = this.buffer;
        final long mask = this.mask;
        final int most = Math.min(limit, capacity);
        // relaxed: only a starting guess; the CAS below decides.
        long position = buffer.getLongOpaque(positionOffset);
        while (true)
        {
            int count = 0;
            long sequence = 0;
            while (count < most)
            {
                // acquire: as in claimOne(), for every cell of the run.
                sequence = buffer.getLongAcquire(cellOffset((position + count) & mask));
                if (sequence != position + count + lag)
                {
                    break;
                }
                count++;
            }
            if (0 == count)
            {
                if (sequence - (position + lag) < 0)
                {
                    range.set(position, 0);
                    return 0;
                }
                position = reloadPosition(positionOffset, position, sequence);
                continue;
            }
            // CAS is a full fence: claims the whole run at once.
            final long witness = buffer.compareAndExchangeLong(positionOffset, position, position + count);
            if (witness == position)
            {
                range.set(position, count);
                return count;
            }
            position = witness;
        }
    }

    private long awaitClaim(final int positionOffset, final long lag, final long timeoutNanos)
        throws InterruptedException
    {
        long position = claimOne(positionOffset, lag);
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
                idle.idle();
                checkWaitable();
                if (null != segment)
                {
                    segment.checkLengthWhileWaiting(start);
                }
                position = claimOne(positionOffset, lag);
                if (NO_POSITION != position || System.nanoTime() - start >= timeoutNanos)
                {
                    return position;
                }
            }
        }
        catch (final InternalError fault)
        {
            // HotSpot raises a read of a page past the end of a truncated object as an InternalError: when the
            // object was indeed truncated, say so as the length check would have.
            if (null != segment)
            {
                segment.checkLength();
            }
            throw fault;
        }
    }

    private long reloadPosition(final int positionOffset, final long position, final long sequence)
    {
        // relaxed: the cell was already taken by another thread, whose CAS moved the position on before it
        // stored this sequence (our acquire read of it orders this load after that CAS).
        final long reloaded = buffer.getLongOpaque(positionOffset);
        if (reloaded == position)
        {
            throw new IllegalStateException("zeroq segment " + name() + " corrupt: cell " + (position & mask) +
                " sequence=" + Long.toUnsignedString(sequence) + " is ahead of its position=" +
                Long.toUnsignedString(position) + " (expected at most position + 1)");
        }
        return reloaded;
    }

    private IdleStrategy idleStrategy()
    {
        final IdleStrategy idle = idleStrategies.get();
        idle.reset();
        return idle;
    }

    private void checkWaitable() throws InterruptedException
    {
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        checkOpen();
    }

    /**
     * Every public call that touches shared memory starts here. volatile: a plain load on x86; it pairs with the
     * store in {@link #close()}, so a call that starts after close returns sees it.
     */
    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("zeroq queue " + (null == segment ? "(local)" : name()) + " is closed");
        }
    }

    private void checkSource(final DirectBuffer src, final int offset, final int length)
    {
        if (length != elementSize)
        {
            throw new IllegalArgumentException(
                "item length=" + length + " (expected elementSize=" + elementSize + ")");
        }
        BufferBounds.checkRange("src", src, offset, length);
    }

    private static void checkLimit(final int limit)
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit=" + limit + " (expected at least 1)");
        }
    }
}
