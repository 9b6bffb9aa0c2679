package dev.shmq.tool;

import dev.shmq.core.ShmSegment;
import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.zeroq.ZeroqDescriptor;
import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.shmq.slick.SlickQueueDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_MAGIC_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.LAST_PUBLISHED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET;

/**
 * Reads a segment's header through a read-only view, tells which protocol it speaks, and reports its fields and
 * state. Nothing is written.
 *
 * <p>Another process may change the segment while it is read, so every header field is read once, into a local
 * snapshot, and validated against the mapped length; slots and cells are then read only at indexes computed from the
 * validated snapshot, never from a value read again. Reading a mapping past the end of its file raises SIGBUS, so
 * {@link #inspect(ShmSegment)} also checks, before each pass over slots or cells and after each pause, that nobody
 * truncated the object below the mapped length.
 */
public final class SegmentInspector
{
    /** How long apart the two samples are that tell a stalled zeroq cell from a producer still copying. */
    public static final long STALL_SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;
    private static final Runnable NO_LENGTH_CHECK = () -> {};

    private SegmentInspector()
    {
    }

    /**
     * Classifies a segment by its header.
     *
     * @param buffer the segment, read only.
     * @param length the object's length, at most the buffer's capacity.
     * @return its kind; {@link SegmentKind#UNKNOWN} when no protocol's header fits the length.
     * @throws IllegalArgumentException if {@code length} is negative or exceeds the buffer's capacity.
     */
    public static SegmentKind detect(final AtomicBuffer buffer, final int length)
    {
        checkLengthArgument(buffer, length);
        return kindOf(SlickHeader.read(buffer, length), ZeroqHeader.read(buffer, length));
    }

    /**
     * Inspects a mapped segment: its kind, header fields, positions and problems, checking with
     * {@link ShmSegment#checkLength()} before each pass over slots or cells and after each pause that the object was
     * not truncated below the mapping.
     *
     * @param segment the segment, mapped read only.
     * @return the report.
     * @throws IllegalStateException if the object was truncated below the mapped length.
     */
    public static SegmentReport inspect(final ShmSegment segment)
    {
        return inspect(segment.buffer(), segment.length(), segment::checkLength);
    }

    /**
     * Inspects a segment: its kind, header fields, positions and problems.
     *
     * @param buffer the segment, read only.
     * @param length the object's length, at most the buffer's capacity.
     * @return the report.
     * @throws IllegalArgumentException if {@code length} is negative or exceeds the buffer's capacity.
     */
    public static SegmentReport inspect(final AtomicBuffer buffer, final int length)
    {
        return inspect(buffer, length, NO_LENGTH_CHECK);
    }

    private static SegmentReport inspect(final AtomicBuffer buffer, final int length, final Runnable lengthCheck)
    {
        checkLengthArgument(buffer, length);
        lengthCheck.run();
        final SlickHeader slick = SlickHeader.read(buffer, length);
        final ZeroqHeader zeroq = ZeroqHeader.read(buffer, length);
        final SegmentKind kind = kindOf(slick, zeroq);
        final Map<String, String> fields = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        fields.put("length", Integer.toString(length));
        switch (kind)
        {
            case SLICK_QUEUE:
            case SLICK_QUEUE_LEGACY:
                inspectSlick(buffer, slick, kind, fields, problems, lengthCheck);
                break;
            case ZEROQ:
                inspectZeroq(buffer, zeroq, fields, problems, lengthCheck);
                break;
            default:
                problems.add("no SlickQueue or zeroq header matches length=" + length);
                break;
        }
        return new SegmentReport(kind, fields, problems);
    }

    private static void checkLengthArgument(final AtomicBuffer buffer, final int length)
    {
        if (length < 0 || length > buffer.capacity())
        {
            throw new IllegalArgumentException("length=" + length + " (expected 0 to the buffer's capacity=" +
                buffer.capacity() + ")");
        }
    }

    private static SegmentKind kindOf(final SlickHeader slick, final ZeroqHeader zeroq)
    {
        if (null != slick && slick.fitsLength)
        {
            return SlickQueueDescriptor.MAGIC == slick.magic ? SegmentKind.SLICK_QUEUE : SegmentKind.SLICK_QUEUE_LEGACY;
        }
        if (null != slick && SlickQueueDescriptor.INIT_STATE_INITIALISING == slick.initState &&
            0 == slick.size && 0 == slick.reserved)
        {
            // A v1.4.0 creator won init_state 0 -> 2 and has not written the header yet, or died doing so.
            return SegmentKind.SLICK_QUEUE;
        }
        if (null != zeroq && zeroq.fitsLength())
        {
            return SegmentKind.ZEROQ;
        }
        return SegmentKind.UNKNOWN;
    }

    private static void inspectSlick(
        final AtomicBuffer buffer,
        final SlickHeader header,
        final SegmentKind kind,
        final Map<String, String> fields,
        final List<String> problems,
        final Runnable lengthCheck)
    {
        fields.put("capacity", Long.toString(header.size));
        fields.put("element_size", Long.toString(header.elementSize));
        fields.put("init_state", header.initState + " (" + initStateName(header.initState) + ")");
        fields.put("header_magic", "0x" + Integer.toHexString(header.magic));
        fields.put("write_index", Long.toUnsignedString(SlickQueueDescriptor.reservedIndex(header.reserved)));
        fields.put("last_reservation", Integer.toString(SlickQueueDescriptor.reservedSize(header.reserved)));
        if (SegmentKind.SLICK_QUEUE == kind)
        {
            fields.put("last_published", SlickQueueDescriptor.NONE == header.lastPublished ?
                "none" : Long.toUnsignedString(header.lastPublished));
            if (SlickQueueDescriptor.INIT_STATE_READY != header.initState)
            {
                problems.add("init_state=" + header.initState + " (expected " +
                    SlickQueueDescriptor.INIT_STATE_READY + ", ready): the creator has not finished, or died while " +
                    "initialising");
            }
        }
        if (header.fitsLength)
        {
            try
            {
                SlickQueueDescriptor.checkHeader(
                    "header", header.size, header.elementSize, header.reserved, header.length);
            }
            catch (final IllegalStateException ex)
            {
                problems.add(ex.getMessage());
            }
            countSlots(buffer, (int)header.size, fields, lengthCheck);
        }
    }

    /**
     * @param capacity a capacity the header snapshot holds and the mapped length was validated against.
     */
    private static void countSlots(
        final AtomicBuffer buffer, final int capacity, final Map<String, String> fields, final Runnable lengthCheck)
    {
        lengthCheck.run();
        int published = 0;
        long highest = -1;
        for (int slot = 0; slot < capacity; slot++)
        {
            // acquire: a snapshot of each slot, in slot order; pairs with a producer's release of data_index.
            final long index = buffer.getLongAcquire(SlickQueueDescriptor.slotOffset(slot) + SLOT_DATA_INDEX_OFFSET);
            if (SlickQueueDescriptor.NONE != index)
            {
                published++;
                highest = Math.max(highest, index);
            }
        }
        fields.put("slots_published", published + " of " + capacity);
        fields.put("highest_slot_index", highest < 0 ? "none" : Long.toString(highest));
    }

    private static String initStateName(final int initState)
    {
        final String name = SlickQueueDescriptor.initStateName(initState);
        if (SlickQueueDescriptor.INIT_STATE_UNINITIALISED == initState)
        {
            // 0 is also what slick_queue_py's v1.2 header holds.
            return name + "/v1.2";
        }
        return null == name ? "invalid" : name;
    }

    private static void inspectZeroq(
        final AtomicBuffer buffer,
        final ZeroqHeader header,
        final Map<String, String> fields,
        final List<String> problems,
        final Runnable lengthCheck)
    {
        final int capacity = header.capacity;
        fields.put("capacity", Integer.toString(capacity));
        fields.put("element_size", Long.toString(header.elementSize));
        fields.put("enqueue_pos", Long.toUnsignedString(header.enqueue));
        fields.put("dequeue_pos", Long.toUnsignedString(header.dequeue));
        final long used = header.enqueue - header.dequeue;
        if (used < 0 || used > capacity)
        {
            problems.add("enqueue_pos - dequeue_pos=" + used + " (expected 0 to capacity=" + capacity + ")");
            return;
        }
        countCells(buffer, header, fields, lengthCheck);
        if (isStalled(buffer, header, fields, problems, lengthCheck))
        {
            return;
        }
        fields.put("stalled", "no");
        if (isHeldByConsumer(buffer, header, fields, problems, lengthCheck))
        {
            return;
        }
        fields.put("held_by_consumer", "no");
    }

    private static void countCells(
        final AtomicBuffer buffer, final ZeroqHeader header, final Map<String, String> fields,
        final Runnable lengthCheck)
    {
        lengthCheck.run();
        int committed = 0;
        int uncommitted = 0;
        for (long position = header.dequeue; position < header.enqueue; position++)
        {
            final long sequence = header.cellSequence(buffer, position);
            if (sequence == position + 1)
            {
                committed++;
            }
            else if (sequence == position)
            {
                uncommitted++;
            }
        }
        fields.put("occupancy", (header.enqueue - header.dequeue) + " of " + header.capacity);
        fields.put("committed", Integer.toString(committed));
        fields.put("claimed_uncommitted", Integer.toString(uncommitted));
    }

    private static boolean isStalled(
        final AtomicBuffer buffer,
        final ZeroqHeader header,
        final Map<String, String> fields,
        final List<String> problems,
        final Runnable lengthCheck)
    {
        final long dequeue = header.dequeue;
        if (!ZeroqDescriptor.isStalled(header.enqueue, dequeue, header.cellSequence(buffer, dequeue)))
        {
            return false;
        }
        // One sample cannot tell a dead producer from one still copying: look again a little later.
        LockSupport.parkNanos(STALL_SAMPLE_NANOS);
        lengthCheck.run();
        // acquire: dequeue_pos before the cell it names, as the queue's isStalled() reads them.
        if (buffer.getLongAcquire(ZeroqDescriptor.DEQUEUE_POS_OFFSET) != dequeue ||
            !ZeroqDescriptor.isStalled(header.enqueue, dequeue, header.cellSequence(buffer, dequeue)))
        {
            return false;
        }
        fields.put("stalled", "yes, at position " + dequeue);
        problems.add("stalled: position " + dequeue + " (cell " + header.cell(dequeue) + ") was claimed by a " +
            "producer and not committed for " + TimeUnit.NANOSECONDS.toMillis(STALL_SAMPLE_NANOS) +
            " ms; consumers see the queue as empty until it is recovered");
        return true;
    }

    private static boolean isHeldByConsumer(
        final AtomicBuffer buffer,
        final ZeroqHeader header,
        final Map<String, String> fields,
        final List<String> problems,
        final Runnable lengthCheck)
    {
        final long enqueue = header.enqueue;
        final long heldPosition = enqueue - header.capacity;
        if (!ZeroqDescriptor.isHeldByConsumer(
            enqueue, header.dequeue, header.capacity, header.cellSequence(buffer, enqueue)))
        {
            return false;
        }
        // Producers need the cell of position enqueue, which still holds position enqueue - capacity although a
        // consumer acquired it: released later by a live consumer, or never by a dead one.
        LockSupport.parkNanos(STALL_SAMPLE_NANOS);
        lengthCheck.run();
        // acquire: enqueue_pos before the cell it names, as the queue's isHeldByConsumer() reads them.
        if (buffer.getLongAcquire(ZeroqDescriptor.ENQUEUE_POS_OFFSET) != enqueue || !ZeroqDescriptor.isHeldByConsumer(
            enqueue, header.dequeue, header.capacity, header.cellSequence(buffer, enqueue)))
        {
            return false;
        }
        fields.put("held_by_consumer", "yes, position " + heldPosition);
        problems.add("held: position " + heldPosition + " (cell " + header.cell(enqueue) + ") was acquired by a " +
            "consumer and not released for " + TimeUnit.NANOSECONDS.toMillis(STALL_SAMPLE_NANOS) +
            " ms; producers see the queue as full until it is recovered");
        return true;
    }

    /** The SlickQueue header fields, each read once. */
    private static final class SlickHeader
    {
        private final int initState;
        private final long size;
        private final long elementSize;
        private final int magic;
        private final long reserved;
        private final long lastPublished;
        private final boolean fitsLength;
        private final int length;

        private SlickHeader(final AtomicBuffer buffer, final int length)
        {
            this.length = length;
            // acquire: a creator writes the header fields, then init_state = 3 with release.
            initState = buffer.getIntAcquire(INIT_STATE_OFFSET);
            // plain: ordered after the acquire above; written before init_state = 3.
            size = buffer.getInt(SIZE_OFFSET) & UNSIGNED_INT_MASK;
            elementSize = buffer.getInt(ELEMENT_SIZE_OFFSET) & UNSIGNED_INT_MASK;
            magic = buffer.getInt(HEADER_MAGIC_OFFSET);
            // acquire, each: a snapshot of the words producers move, in this order.
            reserved = buffer.getLongAcquire(RESERVED_OFFSET);
            lastPublished = buffer.getLongAcquire(LAST_PUBLISHED_OFFSET);
            fitsLength = totalLengthOrMinusOne(size, elementSize) == length;
        }

        static SlickHeader read(final AtomicBuffer buffer, final int length)
        {
            return length < SlickQueueDescriptor.HEADER_LENGTH ? null : new SlickHeader(buffer, length);
        }

        private static long totalLengthOrMinusOne(final long size, final long elementSize)
        {
            try
            {
                return SlickQueueDescriptor.totalLength(size, elementSize);
            }
            catch (final IllegalArgumentException ex)
            {
                return -1;
            }
        }
    }

    /** The zeroq header fields and positions, each read once; the capacity only if they fit the length. */
    private static final class ZeroqHeader
    {
        private static final int NOT_ZEROQ = 0;

        private final long elementSize;
        private final long dequeue;
        private final long enqueue;
        private final int capacity;

        private ZeroqHeader(final AtomicBuffer buffer, final int length)
        {
            // acquire: a creator writes element_size last with release.
            elementSize = buffer.getLongAcquire(ZeroqDescriptor.ELEMENT_SIZE_OFFSET);
            // plain: ordered after the acquire above; written before element_size.
            final long bufferMask = buffer.getLong(ZeroqDescriptor.BUFFER_MASK_OFFSET);
            // acquire, each, dequeue first: a consumer moves it before a producer can move enqueue past it again.
            dequeue = buffer.getLongAcquire(ZeroqDescriptor.DEQUEUE_POS_OFFSET);
            enqueue = buffer.getLongAcquire(ZeroqDescriptor.ENQUEUE_POS_OFFSET);
            capacity = capacityOrZero(elementSize, bufferMask, length);
        }

        static ZeroqHeader read(final AtomicBuffer buffer, final int length)
        {
            return length < ZeroqDescriptor.HEADER_LENGTH ? null : new ZeroqHeader(buffer, length);
        }

        boolean fitsLength()
        {
            return NOT_ZEROQ != capacity;
        }

        /** @return the cell of a position: below the validated capacity whatever the position. */
        int cell(final long position)
        {
            return (int)(position & (capacity - 1));
        }

        long cellSequence(final AtomicBuffer buffer, final long position)
        {
            // acquire: after the position that names the cell, as the queue's predicates read it.
            return buffer.getLongAcquire(ZeroqDescriptor.cellOffset(cell(position)));
        }

        private static int capacityOrZero(final long elementSize, final long bufferMask, final int length)
        {
            try
            {
                return ZeroqDescriptor.checkHeader(elementSize, bufferMask, length);
            }
            catch (final IllegalStateException ex)
            {
                return NOT_ZEROQ;
            }
        }
    }
}
