package dev.shmq.slick;

import dev.shmq.core.BufferBounds;
import dev.shmq.core.ControlledMessageHandler;
import dev.shmq.core.MessageHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

import static dev.shmq.slick.SlickQueueDescriptor.LAST_PUBLISHED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.NONE;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.reservedIndex;
import static dev.shmq.slick.SlickQueueDescriptor.reservedSize;

/**
 * The SlickQueue v1.4.0 ring, reader side: the read loops of C++ {@code read(uint64_t&)},
 * {@code read(std::atomic<uint64_t>&)} and {@code read_last()} over a validated {@link SlickRing}, with exact loss
 * counting, and the copying reads that validate what they copied. Nothing read from shared memory is trusted: a slot
 * whose size no entry can have while it still holds the index reads as "no data", never as corruption. Safe from any
 * thread; a {@link SlickCursor} belongs to one.
 */
final class SlickReader
{
    private static final int SLOT_OVERWRITTEN = -1;
    private static final int SLOT_UNSETTLED = -2;

    private final SlickRing ring;
    private final AtomicBuffer buffer;
    private final int capacity;
    private final long mask;
    private final int elementSize;
    private final AtomicLong lossTotal = new AtomicLong();

    SlickReader(final SlickRing ring)
    {
        this.ring = ring;
        this.buffer = ring.buffer();
        this.capacity = ring.capacity();
        this.mask = capacity - 1;
        this.elementSize = ring.elementSize();
    }

    /** @return the elements all readers of this instance lost to producers lapping them. */
    long lossCount()
    {
        return lossTotal.get();
    }

    /** Sets the loss total back to 0, for the queue's {@code reset()}. */
    void resetLossCount()
    {
        lossTotal.set(0);
    }

    /** Reads the next entry in place for a reader that owns its cursor; see {@link SlickQueue#read}. */
    boolean read(final SlickCursor cursor, final SlickEntry entry)
    {
        final long index = poll(cursor);
        if (NONE == index)
        {
            return false;
        }
        final int count = cursor.entryCount;
        entry.set(index, ring.offset(index), count, count * elementSize);
        return true;
    }

    /**
     * Copies the next entry and validates the copy, as Agrona's {@code CopyBroadcastReceiver} does: a copy a lapping
     * producer may have torn is counted as lost and the next entry read instead.
     *
     * @return the number of bytes copied, 0 if no entry is ready.
     * @throws IllegalArgumentException if the entry does not fit; it is not consumed then.
     */
    int read(final SlickCursor cursor, final MutableDirectBuffer destination, final int destinationOffset)
    {
        if (null == destination)
        {
            throw new IllegalArgumentException("destination=null (expected a buffer)");
        }
        while (true)
        {
            final long index = poll(cursor);
            if (NONE == index)
            {
                return 0;
            }
            final int count = cursor.entryCount;
            final int length = count * elementSize;
            if (!BufferBounds.fits(destination, destinationOffset, length))
            {
                // Not consumed: the next read returns this entry again.
                cursor.position = index;
                BufferBounds.checkRange("destination", destination, destinationOffset, length);
            }
            // plain: the element bytes are ordered after the acquire of data_index in poll().
            destination.putBytes(destinationOffset, buffer, ring.offset(index), length);
            if (!isOverwritten(index))
            {
                return length;
            }
            countLoss(cursor, count);
        }
    }

    /**
     * Tells whether a producer may have overwritten an entry read in place since it was read; see
     * {@link SlickQueue#isOverwritten(SlickEntry)}.
     */
    boolean isOverwritten(final long index)
    {
        // acquire fence: every read of the entry's bytes before it completes before the load of reserved below. A
        // producer reserves (a full fence) before it writes, so if any byte we read was already overwritten, its
        // reservation a lap ahead of the entry is visible here.
        VarHandle.acquireFence();
        // relaxed: the fence above orders it after the reads it validates, as in a seqlock's second version read.
        return ring.isLapped(index, ring.reservedIndexRelaxed());
    }

    /** Hands every ready entry, up to a limit, to a handler; see {@link SlickQueue#drain}. */
    int drain(final SlickCursor cursor, final MessageHandler handler, final int limit)
    {
        final AtomicBuffer buffer = this.buffer;
        int read = 0;
        while (read < limit)
        {
            final long index = poll(cursor);
            if (NONE == index)
            {
                break;
            }
            read++;
            handler.onMessage(buffer, ring.offset(index), cursor.entryCount * elementSize, index);
        }
        return read;
    }

    /** Hands ready entries to a handler that steers the drain; see {@link SlickQueue#controlledDrain}. */
    int controlledDrain(final SlickCursor cursor, final ControlledMessageHandler handler, final int limit)
    {
        final AtomicBuffer buffer = this.buffer;
        int read = 0;
        while (read < limit)
        {
            final long index = poll(cursor);
            if (NONE == index)
            {
                break;
            }
            final ControlledMessageHandler.Action action =
                handler.onMessage(buffer, ring.offset(index), cursor.entryCount * elementSize, index);
            if (ControlledMessageHandler.Action.ABORT == action)
            {
                // Not consumed: the cursor goes back to the entry, which the next read hands over again.
                cursor.position = index;
                break;
            }
            read++;
            if (ControlledMessageHandler.Action.BREAK == action)
            {
                break;
            }
        }
        return read;
    }

    /**
     * The read loop of C++ {@code read(uint64_t&)}, with exact loss counting on the wrap-marker path.
     *
     * @return the index of the entry read (its element count left in {@code cursor.entryCount}), or NONE.
     */
    private long poll(final SlickCursor cursor)
    {
        final AtomicBuffer buffer = this.buffer;
        final long mask = this.mask;
        long position = cursor.position;
        boolean resetSeen = false;
        while (true)
        {
            final int slotOffset = ring.slotOffset(position);
            // acquire: pairs with the producer's release of data_index, so the size and element bytes are complete.
            final long index = buffer.getLongAcquire(slotOffset + SLOT_DATA_INDEX_OFFSET);
            if (NONE == index)
            {
                return NONE;
            }
            if (index != position && index > cursor.reservedIndexSeen)
            {
                // The entry we expect (index == position) cannot be a reset's leftover: no reload. Otherwise
                // relaxed, as C++: only compared with the index just acquired; reloaded only when the slot is ahead
                // of what we saw, which a reset explains.
                final long reservedIndex = ring.reservedIndexRelaxed();
                cursor.reservedIndexSeen = reservedIndex;
                if (reservedIndex < index)
                {
                    if (resetSeen)
                    {
                        // Still ahead of reserved after a restart: a slot no producer wrote (corrupt or hostile
                        // segment). Report no data rather than spin.
                        return NONE;
                    }
                    // The queue was reset under us: start again from the beginning, once per call.
                    resetSeen = true;
                    position = 0;
                    cursor.position = 0;
                    continue;
                }
            }
            if (index < position)
            {
                return NONE;
            }
            if ((index & mask) != (position & mask))
            {
                // Wrap marker: the reservation that would have crossed the end started at origin and continues at
                // index; positions [origin, index) were never used. A reader short of origin was lapped as well.
                final long lost = markerOrigin(position, index) - position;
                if (lost > 0)
                {
                    countLoss(cursor, lost);
                }
                position = index;
                cursor.position = index;
                continue;
            }
            final int count = entryCount(slotOffset, index);
            if (SLOT_OVERWRITTEN == count)
            {
                continue;
            }
            if (SLOT_UNSETTLED == count)
            {
                return NONE;
            }
            if (index > position)
            {
                // Lapped: the producers overwrote index - position elements before we read them.
                countLoss(cursor, index - position);
            }
            cursor.position = index + count;
            cursor.entryCount = count;
            return index;
        }
    }

    /**
     * @return where the reservation that left a wrap marker pointing at {@code index} in the slot of {@code position}
     *         started: the marker's slot, in the lap before {@code index}; clamped to {@code [position, index]} for a
     *         marker no producer could have written.
     */
    private long markerOrigin(final long position, final long index)
    {
        final long origin = index - (capacity - (position & mask));
        return Math.max(position, Math.min(origin, index));
    }

    private void countLoss(final SlickCursor cursor, final long lost)
    {
        cursor.lossCount += lost;
        lossTotal.getAndAdd(lost);
    }

    /** Claims the next entry for one of several readers sharing a cursor; see {@link SlickQueue#read}. */
    boolean read(final AtomicCursor cursor, final SlickEntry entry)
    {
        final AtomicBuffer buffer = this.buffer;
        final long mask = this.mask;
        boolean resetSeen = false;
        while (true)
        {
            // acquire (AtomicCursor.load()), stronger than the relaxed load C++ makes: the value is only the
            // expected value of the CAS below, which validates it.
            final long current = cursor.load();
            final int slotOffset = ring.slotOffset(current);
            // acquire: pairs with the producer's release of data_index.
            final long index = buffer.getLongAcquire(slotOffset + SLOT_DATA_INDEX_OFFSET);
            if (NONE == index)
            {
                return false;
            }
            // relaxed, as C++: reset detection on every read, only compared with the index just acquired.
            if (ring.reservedIndexRelaxed() < index)
            {
                if (resetSeen)
                {
                    // Still ahead of reserved after a restart: corrupt or hostile segment; no data, no spin.
                    return false;
                }
                resetSeen = true;
                cursor.store(0);
                continue;
            }
            if (index < current)
            {
                return false;
            }
            if ((index & mask) != (current & mask))
            {
                // full fence: follow the wrap marker; if another reader moved the cursor first, it did the same.
                // The reader whose CAS moves the cursor counts what a lapped cursor lost before the marker.
                if (cursor.compareAndSet(current, index))
                {
                    final long lost = markerOrigin(current, index) - current;
                    if (lost > 0)
                    {
                        lossTotal.getAndAdd(lost);
                    }
                }
                continue;
            }
            final int count = entryCount(slotOffset, index);
            if (SLOT_OVERWRITTEN == count)
            {
                continue;
            }
            if (SLOT_UNSETTLED == count)
            {
                return false;
            }
            // full fence (C++ release): claims the entry for this reader only.
            if (cursor.compareAndSet(current, index + count))
            {
                if (index > current)
                {
                    lossTotal.getAndAdd(index - current);
                }
                entry.set(index, ring.offset(index), count, count * elementSize);
                return true;
            }
            Thread.onSpinWait();
        }
    }

    /** Reads the most recently published entry without moving any cursor; see {@link SlickQueue#readLast}. */
    boolean readLast(final SlickEntry entry)
    {
        final AtomicBuffer buffer = this.buffer;
        if (ring.hasLastPublished())
        {
            // acquire: pairs with the publishing CAS, so the slot and the bytes of that entry are complete.
            long last = buffer.getLongAcquire(LAST_PUBLISHED_OFFSET);
            while (NONE != last)
            {
                final int slotOffset = ring.slotOffset(last);
                // plain: ordered after the acquire above.
                final int count = buffer.getInt(slotOffset + SLOT_SIZE_OFFSET);
                // acquire fence: the size is read before the check below that the slot still holds this entry.
                VarHandle.acquireFence();
                // relaxed: ordered after the size by the fence.
                if (count >= 1 && (last & mask) + count <= capacity &&
                    last == buffer.getLongOpaque(slotOffset + SLOT_DATA_INDEX_OFFSET))
                {
                    entry.set(last, ring.offset(last), count, count * elementSize);
                    return true;
                }
                // acquire: the slot was taken by a later reservation (a wrap marker, or a newer lap) since last was
                // published. If last has not moved on, its entry is gone and nothing newer is readable yet.
                final long again = buffer.getLongAcquire(LAST_PUBLISHED_OFFSET);
                if (again == last)
                {
                    return false;
                }
                last = again;
            }
            return false;
        }
        // relaxed, as pre-1.4 C++: the last reserved entry is handed out whether it is published or not.
        final long reserved = buffer.getLongOpaque(RESERVED_OFFSET);
        final long index = reservedIndex(reserved);
        if (0 == index)
        {
            return false;
        }
        final int count = reservedSize(reserved);
        final long last = index - count;
        entry.set(last, ring.offset(last), count, count * elementSize);
        return true;
    }

    /**
     * The element count of the entry at {@code index} whose {@code data_index} was just acquired, checked against
     * the ring: an entry never crosses the end of the data array.
     *
     * @return the count; {@link #SLOT_OVERWRITTEN} if a producer reused the slot while we read it (look again); or
     *         {@link #SLOT_UNSETTLED} if the size is one no entry can have while the slot still holds the index. That
     *         is what a reader sees while a wrapping producer rewrites the slot as a marker (size first, index
     *         second), and also what a producer killed between those two stores, or a hostile peer, leaves: the
     *         reader cannot tell them apart, so it reports no data, never corruption.
     */
    private int entryCount(final int slotOffset, final long index)
    {
        // plain: ordered after the acquire of data_index.
        final int count = buffer.getInt(slotOffset + SLOT_SIZE_OFFSET);
        // the rare case apart, so that this check stays small enough to inline into every read loop (it was a call
        // per entry in the consumer's compiled loop)
        return count < 1 || (index & mask) + count > capacity ? unsettledOrOverwritten(slotOffset, index) : count;
    }

    /** {@link #entryCount}'s answer for a size no entry can have: see there. */
    private int unsettledOrOverwritten(final int slotOffset, final long index)
    {
        // acquire fence: the size is read before the check below (an acquire load would not stop the size load
        // from moving after it). relaxed: was the slot overwritten while we read it? Then look again.
        VarHandle.acquireFence();
        return index != buffer.getLongOpaque(slotOffset + SLOT_DATA_INDEX_OFFSET) ? SLOT_OVERWRITTEN : SLOT_UNSETTLED;
    }
}
