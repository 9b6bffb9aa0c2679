package dev.shmq.slick;

import org.agrona.concurrent.AtomicBuffer;

import static dev.shmq.slick.SlickQueueDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_MAGIC_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_READY;
import static dev.shmq.slick.SlickQueueDescriptor.LAST_PUBLISHED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.MAGIC;
import static dev.shmq.slick.SlickQueueDescriptor.MAX_ENTRY_ELEMENTS;
import static dev.shmq.slick.SlickQueueDescriptor.NONE;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_INDEX_SHIFT;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.packReserved;
import static dev.shmq.slick.SlickQueueDescriptor.reservedIndex;
import static dev.shmq.slick.SlickQueueDescriptor.reservedSize;

/**
 * The SlickQueue v1.4.0 ring over a validated buffer, producer side: where a slot and an element are, initialising
 * and resetting the ring, and reserving and publishing entries exactly as C++ {@code reserve}/{@code publish} do.
 * The buffer has been checked by {@link SlickAttach} (or made by it) to hold a header and {@code capacity} slots and
 * elements; nothing here checks that again. Arguments are checked before anything is stored. Stateless beyond the
 * geometry, so safe from any thread.
 */
final class SlickRing
{
    private static final long SINGLE_STEP = 1L << RESERVED_INDEX_SHIFT;

    private final AtomicBuffer buffer;
    private final int capacity;
    private final long mask;
    private final int elementSize;
    private final int dataOffset;
    private final boolean hasLastPublished;

    SlickRing(final AtomicBuffer buffer, final int capacity, final int elementSize, final boolean hasLastPublished)
    {
        // Every atomic field is 8-byte aligned relative to the base, so the base must be too (a mapping is page
        // aligned, local memory 64-byte aligned); under -Dagrona.strict.alignment.checks=true a heap buffer fails.
        buffer.verifyAlignment();
        this.buffer = buffer;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.elementSize = elementSize;
        this.dataOffset = SlickQueueDescriptor.dataOffset(capacity);
        this.hasLastPublished = hasLastPublished;
    }

    /**
     * Writes a fresh header and empty slots, then publishes {@code init_state = 3}; the caller holds
     * {@code init_state = 2}, so nobody else writes the segment meanwhile.
     */
    static void initialise(final AtomicBuffer buffer, final int capacity, final int elementSize)
    {
        // release, as C++: nobody reads the magic before init_state = 3 anyway.
        buffer.putIntRelease(HEADER_MAGIC_OFFSET, MAGIC);
        // plain: the release of init_state below publishes these to every attacher.
        buffer.putLong(RESERVED_OFFSET, 0);
        buffer.putLong(LAST_PUBLISHED_OFFSET, NONE);
        buffer.putInt(SIZE_OFFSET, capacity);
        buffer.putInt(ELEMENT_SIZE_OFFSET, elementSize);
        clearSlots(buffer, capacity);
        // release: everything above is visible to whoever acquires init_state = 3.
        buffer.putIntRelease(INIT_STATE_OFFSET, INIT_STATE_READY);
    }

    private static void clearSlots(final AtomicBuffer buffer, final int capacity)
    {
        for (int i = 0, offset = HEADER_LENGTH; i < capacity; i++, offset += SLOT_LENGTH)
        {
            // plain: published by the release that follows (init_state, or reserved in reset()).
            buffer.putInt(offset + SLOT_SIZE_OFFSET, 1);
            buffer.putLong(offset + SLOT_DATA_INDEX_OFFSET, NONE);
        }
    }

    AtomicBuffer buffer()
    {
        return buffer;
    }

    int capacity()
    {
        return capacity;
    }

    int elementSize()
    {
        return elementSize;
    }

    boolean hasLastPublished()
    {
        return hasLastPublished;
    }

    /** @return the largest entry {@link #reserve(int)} accepts: {@code min(capacity, 65535)} elements. */
    int maxEntryElements()
    {
        return Math.min(capacity, MAX_ENTRY_ELEMENTS);
    }

    /** @return the offset in the buffer of element {@code index & (capacity - 1)}. */
    int offset(final long index)
    {
        return dataOffset + (int)(index & mask) * elementSize;
    }

    /** @return the offset in the buffer of the slot of {@code index}. */
    int slotOffset(final long index)
    {
        return SlickQueueDescriptor.slotOffset((int)(index & mask));
    }

    /**
     * @return true if position {@code index + capacity} is reserved, so the slot of {@code index} belongs to a newer
     *         entry (or soon will).
     */
    boolean isLapped(final long index, final long reservedIndex)
    {
        return reservedIndex - index > capacity;
    }

    /** @return the current write index, a relaxed load: a snapshot, ordered by the caller where it must be. */
    long reservedIndexRelaxed()
    {
        // relaxed: every caller says why this suffices, or fences around it.
        return reservedIndex(buffer.getLongOpaque(RESERVED_OFFSET));
    }

    /**
     * Empties the ring, as C++ {@code reset()}: every slot back to empty, {@code reserved = 0},
     * {@code last_published = NONE}. Only while no other thread or process uses the queue.
     */
    void reset()
    {
        clearSlots(buffer, capacity);
        // release: the cleared slots are visible to whoever sees reserved = 0.
        buffer.putLongRelease(RESERVED_OFFSET, 0);
        if (hasLastPublished)
        {
            // release: after reserved, as C++.
            buffer.putLongRelease(LAST_PUBLISHED_OFFSET, NONE);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reserving
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Reserves one element, as C++ {@code reserve()}: one {@code fetch_add} on {@code reserved}, and one
     * {@code compare_exchange} to put 1 in its size bits when the last reservation was of another size.
     */
    long reserve()
    {
        final AtomicBuffer buffer = this.buffer;
        // full fence (C++ release): takes the next index, racing every other producer's reserve on this word.
        final long prev = buffer.getAndAddLong(RESERVED_OFFSET, SINGLE_STEP);
        final long index = reservedIndex(prev);
        final long prevSize = reservedSize(prev);
        if (1 != prevSize)
        {
            // full fence (C++ release): record "last reservation was 1"; failure means someone moved on: ignored.
            buffer.compareAndSetLong(RESERVED_OFFSET, packReserved(index + 1, prevSize), packReserved(index + 1, 1));
        }
        return index;
    }

    /**
     * Reserves an entry of {@code n} consecutive elements, as C++ {@code reserve(n)}: a CAS loop on {@code reserved}
     * that skips to the start of the next lap when the entry would cross the end of the ring, leaving a wrap marker
     * for readers in the slot it skipped from.
     *
     * @throws IllegalArgumentException if {@code n} is out of range.
     */
    long reserve(final int n)
    {
        checkEntryElements(n);
        if (1 == n)
        {
            return reserve();
        }
        final AtomicBuffer buffer = this.buffer;
        final long mask = this.mask;
        final int capacity = this.capacity;
        // relaxed: only a guess for the CAS, which validates it.
        long reserved = buffer.getLongOpaque(RESERVED_OFFSET);
        long index;
        boolean wrapped;
        while (true)
        {
            index = reservedIndex(reserved);
            final long slot = index & mask;
            wrapped = slot + n > capacity;
            if (wrapped)
            {
                index += capacity - slot;
            }
            // full fence (C++ release on success): on failure it returns the value seen, as compare_exchange_weak.
            final long witness = buffer.compareAndExchangeLong(RESERVED_OFFSET, reserved, packReserved(index + n, n));
            if (witness == reserved)
            {
                break;
            }
            reserved = witness;
            Thread.onSpinWait();
        }
        if (wrapped)
        {
            final int markerOffset = slotOffset(reservedIndex(reserved));
            // plain: ordered before data_index by the release below.
            buffer.putInt(markerOffset + SLOT_SIZE_OFFSET, n);
            // release: a reader that acquires the marker's index sees its size ("continue at index").
            buffer.putLongRelease(markerOffset + SLOT_DATA_INDEX_OFFSET, index);
        }
        return index;
    }

    /**
     * Reserves {@code count} entries of one element each with a single {@code fetch_add} on {@code reserved}: the
     * word ends as {@code count} calls of {@link #reserve()} leave it (size bits 1 after the same fix-up CAS), so no
     * peer can tell the difference. Single-element entries never cross the end of the ring, so no wrap marker.
     *
     * @throws IllegalArgumentException if {@code count} is out of range.
     */
    long reserveBatch(final int count)
    {
        checkBatchCount(count);
        final AtomicBuffer buffer = this.buffer;
        // full fence (C++ release): takes count indexes at once, racing every other producer's reserve.
        final long prev = buffer.getAndAddLong(RESERVED_OFFSET, SINGLE_STEP * count);
        final long index = reservedIndex(prev);
        final long prevSize = reservedSize(prev);
        if (1 != prevSize)
        {
            // full fence: the same fix-up the last of count reserve() calls would make; failure ignored likewise.
            buffer.compareAndSetLong(
                RESERVED_OFFSET, packReserved(index + count, prevSize), packReserved(index + count, 1));
        }
        return index;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Publishing
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Publishes an entry, as C++ {@code publish(index, n)}: slot size, then {@code data_index} with release, then
     * {@code last_published} raised to {@code index} if it is lower; checked first (see
     * {@link SlickQueue#publish(long, int)}).
     *
     * @return false if the entry was lapped before it was published and nothing was stored.
     * @throws IllegalArgumentException if {@code n} or {@code index} is out of range; nothing is written then.
     */
    boolean publish(final long index, final int n)
    {
        if (isLapped(index, checkReserved(index, n)))
        {
            return false;
        }
        final AtomicBuffer buffer = this.buffer;
        final int slotOffset = slotOffset(index);
        // plain: ordered before data_index by the release below.
        buffer.putInt(slotOffset + SLOT_SIZE_OFFSET, n);
        // release: the element bytes and the size are visible to a reader that acquires this index.
        buffer.putLongRelease(slotOffset + SLOT_DATA_INDEX_OFFSET, index);
        if (hasLastPublished)
        {
            raiseLastPublished(index);
        }
        return true;
    }

    /**
     * Publishes the {@code count} single-element entries {@link #reserveBatch(int)} reserved, raising
     * {@code last_published} once, to the last of them; lapped ones are skipped.
     *
     * @return how many were published.
     * @throws IllegalArgumentException if {@code count} is out of range or the entries were never all reserved.
     */
    int publishBatch(final long first, final int count)
    {
        checkBatchCount(count);
        final long reservedIndex = checkReserved(first + count - 1, 1);
        final AtomicBuffer buffer = this.buffer;
        final long end = first + count;
        // Lapped entries come first: the slots of [first, reservedIndex - capacity) belong to newer entries.
        final long start = Math.max(first, reservedIndex - capacity);
        if (start >= end)
        {
            return 0;
        }
        for (long index = start; index < end; index++)
        {
            final int slotOffset = slotOffset(index);
            // plain: ordered before data_index by the release below.
            buffer.putInt(slotOffset + SLOT_SIZE_OFFSET, 1);
            // release: this element's bytes are visible to a reader that acquires this index.
            buffer.putLongRelease(slotOffset + SLOT_DATA_INDEX_OFFSET, index);
        }
        if (hasLastPublished)
        {
            raiseLastPublished(end - 1);
        }
        return (int)(end - start);
    }

    private void raiseLastPublished(final long index)
    {
        final AtomicBuffer buffer = this.buffer;
        // relaxed: only the starting guess of the CAS loop, which validates it.
        long current = buffer.getLongOpaque(LAST_PUBLISHED_OFFSET);
        while (NONE == current || current < index)
        {
            // full fence (C++ release): read_last acquires it and sees the entry's slot and bytes.
            final long witness = buffer.compareAndExchangeLong(LAST_PUBLISHED_OFFSET, current, index);
            if (witness == current)
            {
                return;
            }
            current = witness;
        }
    }

    /** @return the reserved index loaded for the check. */
    private long checkReserved(final long index, final int n)
    {
        final long slot = index & mask;
        if (n < 1 || slot + n > capacity)
        {
            throw new IllegalArgumentException("n=" + n + " for index=" + index + " (expected 1 to " +
                (capacity - slot) + ", the slots from slot " + slot + " to the end of the ring)");
        }
        // opaque: this thread's own reserve moved reserved past the entry, and reads of one location never go back
        // in time, so a reserved entry always passes. The producer's line, usually still in its cache.
        final long reservedIndex = reservedIndex(buffer.getLongOpaque(RESERVED_OFFSET));
        if (index < 0 || index + n > reservedIndex)
        {
            throw new IllegalArgumentException("index=" + index + " n=" + n + " (expected an entry already " +
                "reserved: index + n <= reserved index=" + reservedIndex + ')');
        }
        return reservedIndex;
    }

    private void checkEntryElements(final int n)
    {
        final int limit = maxEntryElements();
        if (n < 1 || n > limit)
        {
            throw new IllegalArgumentException("n=" + n + " (expected 1 to " + limit + ", min(capacity=" + capacity +
                ", " + MAX_ENTRY_ELEMENTS + "))");
        }
    }

    private void checkBatchCount(final int count)
    {
        if (count < 1 || count > capacity)
        {
            throw new IllegalArgumentException("count=" + count + " (expected 1 to " + capacity + ", the capacity)");
        }
    }
}
