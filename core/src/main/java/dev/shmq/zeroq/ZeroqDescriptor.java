package dev.shmq.zeroq;

import dev.shmq.core.LayoutChecks;
import dev.shmq.layout.CStruct;

/**
 * Layout of a zeroq 0.1.0 segment (Vyukov's bounded MPMC queue, as the Rust core lays it out).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     element_size: u64                         | 0
 *  +---------------------------------------------------------------+
 *  |                 buffer_mask: u64 = capacity - 1               | 8
 *  +---------------------------------------------------------------+
 *  |                  enqueue_pos: atomic u64                      | 16
 *  +---------------------------------------------------------------+
 *  |                  dequeue_pos: atomic u64                      | 24
 *  +---------------------------------------------------------------+
 *  |  cell[0].sequence: atomic u64 (initialised to its number)     | 32
 *  |  ... capacity cells of 8 bytes ...                            |
 *  +---------------------------------------------------------------+
 *  |  data: capacity elements of element_size bytes                | 32 + 8 * capacity
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>No magic, no version, no padding: both positions share one cache line. Every offset here is derived from the
 * struct declarations {@link #HEADER} and {@link #CELL}, which the layout tests check against g++.
 */
public final class ZeroqDescriptor
{
    /** The segment header as the Rust core declares it. */
    public static final CStruct HEADER = CStruct.builder("ZeroqHeader")
        .u64("element_size")
        .u64("buffer_mask")
        .atomicU64("enqueue_pos")
        .atomicU64("dequeue_pos")
        .build();

    /** One cell of the sequence array. */
    public static final CStruct CELL = CStruct.builder("ZeroqCell")
        .atomicU64("sequence")
        .build();

    /** Offset of {@code element_size}: bytes per element. */
    public static final int ELEMENT_SIZE_OFFSET = HEADER.offsetOf("element_size");

    /** Offset of {@code buffer_mask}: capacity minus one. */
    public static final int BUFFER_MASK_OFFSET = HEADER.offsetOf("buffer_mask");

    /** Offset of {@code enqueue_pos}: the next position a producer claims. */
    public static final int ENQUEUE_POS_OFFSET = HEADER.offsetOf("enqueue_pos");

    /** Offset of {@code dequeue_pos}: the next position a consumer claims. */
    public static final int DEQUEUE_POS_OFFSET = HEADER.offsetOf("dequeue_pos");

    /** Length of the header: the cell array starts here. */
    public static final int HEADER_LENGTH = HEADER.size();

    /** Offset of {@code sequence} within a cell. */
    public static final int CELL_SEQUENCE_OFFSET = CELL.offsetOf("sequence");

    /** Length of one cell. */
    public static final int CELL_LENGTH = CELL.size();

    /** The smallest capacity zeroq accepts. */
    public static final int MIN_CAPACITY = 2;

    private ZeroqDescriptor()
    {
    }

    /**
     * @param cell a cell number in {@code [0, capacity)}.
     * @return the offset of that cell's sequence from the start of the segment.
     */
    public static int cellOffset(final int cell)
    {
        return HEADER_LENGTH + cell * CELL_LENGTH + CELL_SEQUENCE_OFFSET;
    }

    /**
     * @param capacity a capacity already checked by {@link #checkCapacity(long)}.
     * @return the offset of element 0 of the data array.
     */
    public static int dataOffset(final int capacity)
    {
        return HEADER_LENGTH + capacity * CELL_LENGTH;
    }

    /**
     * Checks that a capacity is a power of two of at least {@value #MIN_CAPACITY}.
     *
     * @param capacity the number of cells.
     * @throws IllegalArgumentException naming the value and the limit.
     */
    public static void checkCapacity(final long capacity)
    {
        LayoutChecks.checkPowerOfTwo("capacity", capacity, MIN_CAPACITY);
    }

    /**
     * The length of a segment of this capacity and element size: {@code 32 + 8·capacity + elementSize·capacity}.
     *
     * @param capacity    the number of cells, a power of two of at least 2.
     * @param elementSize bytes per element, at least 1.
     * @return the total length in bytes.
     * @throws IllegalArgumentException if the capacity is not a power of two of at least 2, the element size is not
     *                                  positive, or the total exceeds what one buffer can address.
     */
    public static int totalLength(final long capacity, final long elementSize)
    {
        checkCapacity(capacity);
        LayoutChecks.checkElementSize(elementSize);
        return LayoutChecks.checkTotal(
            "zeroq", capacity, elementSize, HEADER_LENGTH + capacity * (CELL_LENGTH + elementSize));
    }

    /**
     * Validates a header read from an untrusted segment against the object's length, before any cell is touched.
     *
     * @param elementSize  {@code element_size} as read.
     * @param bufferMask   {@code buffer_mask} as read.
     * @param objectLength the length of the shared-memory object.
     * @return the capacity, {@code bufferMask + 1}.
     * @throws IllegalStateException naming the field, its value and the limit when the header is not a zeroq header
     *                               this object can hold.
     */
    public static int checkHeader(final long elementSize, final long bufferMask, final long objectLength)
    {
        if (objectLength < HEADER_LENGTH)
        {
            throw new IllegalStateException(
                "zeroq segment length=" + objectLength + " (expected at least the header length " + HEADER_LENGTH +
                ")");
        }
        final long capacity = bufferMask + 1;
        try
        {
            final int expected = totalLength(capacity, elementSize);
            if (expected != objectLength)
            {
                throw new IllegalStateException("zeroq segment length=" + objectLength + " (expected " + expected +
                    " for buffer_mask=" + bufferMask + ", element_size=" + elementSize + ")");
            }
            return (int)capacity;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalStateException("zeroq header invalid: buffer_mask=" + Long.toUnsignedString(bufferMask) +
                ", element_size=" + Long.toUnsignedString(elementSize) + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The read-only test for a stall, shared by the queue, {@code shmq inspect} and {@code shmq unblock}: the cell of
     * {@code dequeue_pos} was claimed by a producer ({@code enqueue_pos} is past it) but not committed (its sequence
     * still equals the position). Normal for the moment a producer copies; a stall that persists means the producer
     * died between claim and commit, and every consumer sees the queue as empty there.
     *
     * @param enqueue      {@code enqueue_pos} as read.
     * @param dequeue      {@code dequeue_pos} as read.
     * @param headSequence the sequence of the cell of {@code dequeue}, as read.
     * @return true if consumers wait on an uncommitted cell.
     */
    public static boolean isStalled(final long enqueue, final long dequeue, final long headSequence)
    {
        return enqueue - dequeue > 0 && headSequence == dequeue;
    }

    /**
     * The read-only test for a cell held by a consumer, shared as {@link #isStalled} is: the cell producers need
     * next (of {@code enqueue_pos}) still holds the element of the previous lap (sequence {@code held + 1}, where
     * {@code held = enqueue_pos - capacity}) although {@code dequeue_pos} has passed it, so it was acquired and not
     * released. A hold that persists means the consumer died, and every producer sees the queue as full.
     *
     * @param enqueue      {@code enqueue_pos} as read.
     * @param dequeue      {@code dequeue_pos} as read.
     * @param capacity     the number of cells.
     * @param tailSequence the sequence of the cell of {@code enqueue}, as read.
     * @return true if producers wait on a cell acquired but not released.
     */
    public static boolean isHeldByConsumer(
        final long enqueue, final long dequeue, final int capacity, final long tailSequence)
    {
        final long held = enqueue - capacity;
        return held >= 0 && dequeue - held > 0 && tailSequence == held + 1;
    }
}
