package dev.shmq.zeroq;

import dev.shmq.core.ShmMissingException;
import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.shmq.zeroq.ZeroqDescriptor.BUFFER_MASK_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.DEQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.ENQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.HEADER_LENGTH;
import static dev.shmq.zeroq.ZeroqDescriptor.cellOffset;

/**
 * Creating and attaching to a zeroq queue: initialising a new object (cells first, {@code element_size} last with
 * release), and validating an existing one before a {@link ZeroqQueue} is made over it: its header against the
 * object's length, its positions against the capacity, and, for a queue nobody used yet, that its creator finished
 * writing the cells. Writes nothing to an object it attaches to.
 */
final class ZeroqAttach
{
    private static final long OPEN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int CONSISTENT_READ_ATTEMPTS = 16;
    private static final int CACHE_LINE_LENGTH = 64;

    private ZeroqAttach()
    {
    }

    /** Creates and initialises a new object; fails if the name exists. */
    static ZeroqQueue create(final String name, final int capacity, final int elementSize, final ZeroqConfig config)
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
     * Creates the queue if the name is free, else opens it and checks it has the capacity and element size asked
     * for. A name that disappears between the two attempts (its creator gave up) is tried again, within the open
     * timeout.
     */
    static ZeroqQueue createOrOpen(
        final String name, final int capacity, final int elementSize, final ZeroqConfig config)
    {
        ZeroqDescriptor.totalLength(capacity, elementSize);
        final ShmName shmName = config.shmName(name);
        final long deadline = System.nanoTime() + config.openTimeoutNanos();
        while (true)
        {
            if (!Files.exists(shmName.path(), LinkOption.NOFOLLOW_LINKS))
            {
                try
                {
                    return create(name, capacity, elementSize, config);
                }
                catch (final IllegalStateException ex)
                {
                    if (!Files.exists(shmName.path(), LinkOption.NOFOLLOW_LINKS))
                    {
                        throw ex;
                    }
                    // Another process created it first: open it below.
                }
            }
            try
            {
                return checkShape(open(name, config), capacity, elementSize);
            }
            catch (final ShmMissingException ex)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    throw ex;
                }
            }
        }
    }

    private static ZeroqQueue checkShape(final ZeroqQueue queue, final int capacity, final int elementSize)
    {
        if (queue.capacity() != capacity || queue.elementSize() != elementSize)
        {
            final String message = "zeroq segment " + queue.name() + " capacity=" + queue.capacity() +
                ", element_size=" + queue.elementSize() + " (expected capacity=" + capacity + ", elementSize=" +
                elementSize + ", as asked for)";
            queue.close();
            throw new IllegalStateException(message);
        }
        return queue;
    }

    /** Attaches to an existing object, reading element size and capacity from its header. */
    static ZeroqQueue open(final String name, final ZeroqConfig config)
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

    /** An in-process queue over 64-byte-aligned process memory. */
    static ZeroqQueue local(final int capacity, final int elementSize, final ZeroqConfig config)
    {
        final int length = ZeroqDescriptor.totalLength(capacity, elementSize);
        final AtomicBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, CACHE_LINE_LENGTH));
        initialise(buffer, capacity, elementSize);
        return new ZeroqQueue(buffer, null, capacity, elementSize, true, config);
    }

    private static void initialise(final AtomicBuffer buffer, final int capacity, final int elementSize)
    {
        for (int i = 0; i < capacity; i++)
        {
            buffer.putLong(cellOffset(i), i);
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
}
