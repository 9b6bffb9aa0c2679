package dev.shmq.tool;

import dev.shmq.layout.SlickQueueDescriptor;
import dev.shmq.layout.ZeroqDescriptor;
import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.shmq.layout.SlickQueueDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.layout.SlickQueueDescriptor.HEADER_MAGIC_OFFSET;
import static dev.shmq.layout.SlickQueueDescriptor.INIT_STATE_OFFSET;
import static dev.shmq.layout.SlickQueueDescriptor.LAST_PUBLISHED_OFFSET;
import static dev.shmq.layout.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.layout.SlickQueueDescriptor.SIZE_OFFSET;
import static dev.shmq.layout.SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET;

/**
 * Reads a segment's header through a read-only view, tells which protocol it speaks, and reports its fields and
 * state. Nothing is written; every field is validated against the object's length before a slot or cell is read.
 */
public final class SegmentInspector
{
    /** How long apart the two samples are that tell a stalled zeroq cell from a producer still copying. */
    public static final long STALL_SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;

    private SegmentInspector()
    {
    }

    /**
     * Classifies a segment by its header.
     *
     * @param buffer the segment, read only.
     * @param length the object's length.
     * @return its kind; {@link SegmentKind#UNKNOWN} when no protocol's header fits the length.
     */
    public static SegmentKind detect(final AtomicBuffer buffer, final int length)
    {
        if (length >= SlickQueueDescriptor.HEADER_LENGTH && fitsSlick(buffer, length))
        {
            return SlickQueueDescriptor.MAGIC == buffer.getIntVolatile(HEADER_MAGIC_OFFSET) ?
                SegmentKind.SLICK_QUEUE : SegmentKind.SLICK_QUEUE_LEGACY;
        }
        if (length >= SlickQueueDescriptor.HEADER_LENGTH &&
            SlickQueueDescriptor.INIT_STATE_INITIALISING == buffer.getIntVolatile(INIT_STATE_OFFSET) &&
            0 == buffer.getInt(SIZE_OFFSET) && 0 == buffer.getLongVolatile(RESERVED_OFFSET))
        {
            // A v1.4.0 creator won init_state 0 -> 2 and has not written the header yet, or died doing so.
            return SegmentKind.SLICK_QUEUE;
        }
        if (length >= ZeroqDescriptor.HEADER_LENGTH && fitsZeroq(buffer, length))
        {
            return SegmentKind.ZEROQ;
        }
        return SegmentKind.UNKNOWN;
    }

    private static boolean fitsSlick(final AtomicBuffer buffer, final int length)
    {
        final long size = buffer.getInt(SIZE_OFFSET) & UNSIGNED_INT_MASK;
        final long elementSize = buffer.getInt(ELEMENT_SIZE_OFFSET) & UNSIGNED_INT_MASK;
        try
        {
            return SlickQueueDescriptor.totalLength(size, elementSize) == length;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private static boolean fitsZeroq(final AtomicBuffer buffer, final int length)
    {
        try
        {
            ZeroqDescriptor.checkHeader(
                buffer.getLongVolatile(ZeroqDescriptor.ELEMENT_SIZE_OFFSET),
                buffer.getLong(ZeroqDescriptor.BUFFER_MASK_OFFSET),
                length);
            return true;
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
    }

    /**
     * Inspects a segment: its kind, header fields, positions and problems.
     *
     * @param buffer the segment, read only.
     * @param length the object's length.
     * @return the report.
     */
    public static SegmentReport inspect(final AtomicBuffer buffer, final int length)
    {
        final SegmentKind kind = detect(buffer, length);
        final Map<String, String> fields = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        fields.put("length", Integer.toString(length));
        switch (kind)
        {
            case SLICK_QUEUE:
            case SLICK_QUEUE_LEGACY:
                inspectSlick(buffer, kind, fields, problems);
                break;
            case ZEROQ:
                inspectZeroq(buffer, fields, problems);
                break;
            default:
                problems.add("no SlickQueue or zeroq header matches length=" + length);
                break;
        }
        return new SegmentReport(kind, fields, problems);
    }

    private static void inspectSlick(
        final AtomicBuffer buffer, final SegmentKind kind, final Map<String, String> fields, final List<String> problems)
    {
        final int capacity = buffer.getInt(SIZE_OFFSET);
        final int initState = buffer.getIntVolatile(INIT_STATE_OFFSET);
        final long reserved = buffer.getLongVolatile(RESERVED_OFFSET);
        fields.put("capacity", Integer.toString(capacity));
        fields.put("element_size", Integer.toString(buffer.getInt(ELEMENT_SIZE_OFFSET)));
        fields.put("init_state", initState + " (" + initStateName(initState) + ")");
        fields.put("header_magic", "0x" + Integer.toHexString(buffer.getIntVolatile(HEADER_MAGIC_OFFSET)));
        fields.put("write_index", Long.toUnsignedString(SlickQueueDescriptor.reservedIndex(reserved)));
        fields.put("last_reservation", Integer.toString(SlickQueueDescriptor.reservedSize(reserved)));
        if (SegmentKind.SLICK_QUEUE == kind)
        {
            final long lastPublished = buffer.getLongVolatile(LAST_PUBLISHED_OFFSET);
            fields.put("last_published", SlickQueueDescriptor.NONE == lastPublished ?
                "none" : Long.toUnsignedString(lastPublished));
            if (SlickQueueDescriptor.INIT_STATE_READY != initState)
            {
                problems.add("init_state=" + initState + " (expected " + SlickQueueDescriptor.INIT_STATE_READY +
                    ", ready): the creator has not finished, or died while initialising");
            }
        }
        if (!fitsSlick(buffer, buffer.capacity()))
        {
            return;
        }
        int published = 0;
        long highest = -1;
        for (int slot = 0; slot < capacity; slot++)
        {
            final long index = buffer.getLongVolatile(SlickQueueDescriptor.slotOffset(slot) + SLOT_DATA_INDEX_OFFSET);
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
        switch (initState)
        {
            case SlickQueueDescriptor.INIT_STATE_UNINITIALISED:
                return "uninitialised/v1.2";
            case SlickQueueDescriptor.INIT_STATE_LEGACY:
                return "legacy";
            case SlickQueueDescriptor.INIT_STATE_INITIALISING:
                return "initialising";
            case SlickQueueDescriptor.INIT_STATE_READY:
                return "ready";
            default:
                return "invalid";
        }
    }

    private static void inspectZeroq(final AtomicBuffer buffer, final Map<String, String> fields, final List<String> problems)
    {
        final long elementSize = buffer.getLongVolatile(ZeroqDescriptor.ELEMENT_SIZE_OFFSET);
        final int capacity = (int)(buffer.getLong(ZeroqDescriptor.BUFFER_MASK_OFFSET) + 1);
        final long mask = capacity - 1;
        fields.put("capacity", Integer.toString(capacity));
        fields.put("element_size", Long.toString(elementSize));

        final long dequeue = buffer.getLongVolatile(ZeroqDescriptor.DEQUEUE_POS_OFFSET);
        final long enqueue = buffer.getLongVolatile(ZeroqDescriptor.ENQUEUE_POS_OFFSET);
        fields.put("enqueue_pos", Long.toUnsignedString(enqueue));
        fields.put("dequeue_pos", Long.toUnsignedString(dequeue));
        final long used = enqueue - dequeue;
        if (used < 0 || used > capacity)
        {
            problems.add("enqueue_pos - dequeue_pos=" + used + " (expected 0 to capacity=" + capacity + ")");
            return;
        }
        int committed = 0;
        int uncommitted = 0;
        for (long position = dequeue; position < enqueue; position++)
        {
            final long sequence = buffer.getLongVolatile(ZeroqDescriptor.cellOffset((int)(position & mask)));
            if (sequence == position + 1)
            {
                committed++;
            }
            else if (sequence == position)
            {
                uncommitted++;
            }
        }
        fields.put("occupancy", used + " of " + capacity);
        fields.put("committed", Integer.toString(committed));
        fields.put("claimed_uncommitted", Integer.toString(uncommitted));

        final long headSequence = buffer.getLongVolatile(ZeroqDescriptor.cellOffset((int)(dequeue & mask)));
        if (used > 0 && headSequence == dequeue)
        {
            // One sample cannot tell a dead producer from one still copying: look again a little later.
            LockSupport.parkNanos(STALL_SAMPLE_NANOS);
            final long dequeueLater = buffer.getLongVolatile(ZeroqDescriptor.DEQUEUE_POS_OFFSET);
            final long headLater = buffer.getLongVolatile(ZeroqDescriptor.cellOffset((int)(dequeue & mask)));
            if (dequeueLater == dequeue && headLater == dequeue)
            {
                fields.put("stalled", "yes, at position " + dequeue);
                problems.add("stalled: position " + dequeue + " (cell " + (dequeue & mask) + ") was claimed by a " +
                    "producer and not committed for " + TimeUnit.NANOSECONDS.toMillis(STALL_SAMPLE_NANOS) +
                    " ms; consumers see the queue as empty until it is recovered");
                return;
            }
        }
        fields.put("stalled", "no");

        final long heldPosition = enqueue - capacity;
        if (heldPosition >= 0 && dequeue - heldPosition > 0 &&
            buffer.getLongVolatile(ZeroqDescriptor.cellOffset((int)(enqueue & mask))) == heldPosition + 1)
        {
            // Producers need the cell of position enqueue, which still holds position enqueue - capacity although
            // a consumer acquired it: released later by a live consumer, or never by a dead one.
            LockSupport.parkNanos(STALL_SAMPLE_NANOS);
            if (buffer.getLongVolatile(ZeroqDescriptor.ENQUEUE_POS_OFFSET) == enqueue &&
                buffer.getLongVolatile(ZeroqDescriptor.cellOffset((int)(enqueue & mask))) == heldPosition + 1)
            {
                fields.put("held_by_consumer", "yes, position " + heldPosition);
                problems.add("held: position " + heldPosition + " (cell " + (enqueue & mask) + ") was acquired by a " +
                    "consumer and not released for " + TimeUnit.NANOSECONDS.toMillis(STALL_SAMPLE_NANOS) +
                    " ms; producers see the queue as full until it is recovered");
                return;
            }
        }
        fields.put("held_by_consumer", "no");
    }
}
