package dev.shmq.slick;


import dev.shmq.core.MessageHandler;
import dev.shmq.core.TempShm;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.shmq.slick.SlickQueueDescriptor.HEADER_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.LAST_PUBLISHED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_SIZE_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlickQueueTest
{
    private final TempShm shm = new TempShm();
    private final SlickEntry entry = new SlickEntry();

    @AfterEach
    void after()
    {
        shm.close();
    }

    private static long pack(final long index, final long n)
    {
        return (index << 16) | n;
    }

    private static long reserved(final SlickQueue queue)
    {
        return queue.buffer().getLongVolatile(RESERVED_OFFSET);
    }

    private static long slotIndex(final SlickQueue queue, final int slot)
    {
        return queue.buffer().getLongVolatile(HEADER_LENGTH + slot * SLOT_LENGTH + SLOT_DATA_INDEX_OFFSET);
    }

    private static int slotSize(final SlickQueue queue, final int slot)
    {
        return queue.buffer().getInt(HEADER_LENGTH + slot * SLOT_LENGTH + SLOT_SIZE_OFFSET);
    }

    /**
     * What the removed {@code readBytes(cursor)} returned: the next entry's bytes in a new array, null if none is
     * ready; through the copying read into a buffer big enough for the largest entry.
     */
    private static byte[] readBytes(final SlickQueue queue, final SlickCursor cursor)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[queue.maxEntryElements() * queue.elementSize()]);
        final int length = queue.read(cursor, copy, 0);
        if (0 == length)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        copy.getBytes(0, bytes);
        return bytes;
    }

    private static void produce(final SlickQueue queue, final long value)
    {
        final long index = queue.reserve();
        queue.buffer().putLong(queue.offset(index), value);
        queue.publish(index);
    }

    @Test
    void shouldPackReservedWordAsBothReservePathsDo()
    {
        final SlickQueue queue = SlickQueue.local(8, 8);
        assertEquals(0, queue.reserve());
        assertEquals(pack(1, 1), reserved(queue), "fetch_add, then the fix-up CAS from size 0 to 1");
        assertEquals(1, queue.reserve());
        assertEquals(pack(2, 1), reserved(queue));
        assertEquals(2, queue.reserve(3));
        assertEquals(pack(5, 3), reserved(queue), "CAS path packs (index + n, n)");
        assertEquals(5, queue.reserve());
        assertEquals(pack(6, 1), reserved(queue), "fix-up CAS after a reservation of 3");
    }

    @Test
    void shouldWriteWrapMarkerWhenEntryWouldCrossTheEndAndReaderFollowsIt()
    {
        final SlickQueue queue = SlickQueue.local(8, 8);
        final SlickCursor cursor = new SlickCursor();
        for (int i = 0; i < 6; i++)
        {
            produce(queue, i);
        }
        for (int i = 0; i < 6; i++)
        {
            assertTrue(queue.read(cursor, entry));
        }

        final long index = queue.reserve(4);
        assertEquals(8, index, "6 + 4 > 8: the entry starts the next lap");
        assertEquals(pack(12, 4), reserved(queue));
        assertEquals(8, slotIndex(queue, 6), "wrap marker: continue at 8");
        assertEquals(4, slotSize(queue, 6));
        assertEquals(-1L, slotIndex(queue, 7), "the skipped slot is untouched");

        assertFalse(queue.read(cursor, entry), "marker followed, but the entry is not published yet");
        assertEquals(8, cursor.position());

        for (int i = 0; i < 4; i++)
        {
            queue.buffer().putLong(queue.offset(index + i), 40 + i);
        }
        queue.publish(index, 4);
        assertTrue(queue.read(cursor, entry));
        assertEquals(8, entry.index());
        assertEquals(4, entry.count());
        assertEquals(32, entry.length());
        assertEquals(queue.offset(0), entry.offset());
        for (int i = 0; i < 4; i++)
        {
            assertEquals(40 + i, queue.buffer().getLong(entry.offset() + 8 * i));
        }
        assertEquals(12, cursor.position());
        assertEquals(0, cursor.lossCount(), "skipping wrapped slots is not a loss");
    }

    @Test
    void shouldRejectEntrySizesOutOfRangeNamingLimit()
    {
        final SlickQueue queue = SlickQueue.local(8, 1);
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> queue.reserve(0));
        assertTrue(
            zero.getMessage().contains("n=0") && zero.getMessage().contains("expected 1 to 8"), zero.getMessage());
        final IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> queue.reserve(9));
        assertTrue(big.getMessage().contains("n=9") && big.getMessage().contains("expected 1 to 8"), big.getMessage());

        final SlickQueue large = SlickQueue.local(1 << 17, 1);
        final IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> large.reserve(65536));
        assertTrue(wide.getMessage().contains("n=65536") && wide.getMessage().contains("expected 1 to 65535"),
            wide.getMessage());
        assertEquals(0, large.reserve(65535));

        assertThrows(IllegalArgumentException.class, () -> queue.reserveBatch(0));
        assertThrows(IllegalArgumentException.class, () -> queue.reserveBatch(9));
        assertEquals(0, reserved(queue), "nothing reserved by rejected calls");
    }

    @Test
    void shouldReadEntriesInPublishOrderAcrossTwoMappings()
    {
        final String name = shm.next("slick");
        final SlickQueue producer = shm.track(SlickQueue.createOrOpen(name, 16, 4));
        final SlickQueue consumer = shm.track(SlickQueue.open(name, 4));
        final SlickCursor cursor = new SlickCursor(consumer.initialReadingIndex());
        assertFalse(consumer.read(cursor, entry), "empty: no data, no exception");

        int value = 0;
        final List<long[]> expected = new ArrayList<>();
        for (int round = 0; round < 20; round++)
        {
            final int n = 1 + round % 3;
            final long index = producer.reserve(n);
            for (int i = 0; i < n; i++)
            {
                producer.buffer().putInt(producer.offset(index + i), value + i);
            }
            producer.publish(index, n);
            expected.add(new long[]{ index, n, value });
            value += n;

            assertTrue(consumer.read(cursor, entry));
            final long[] want = expected.get(round);
            assertEquals(want[0], entry.index());
            assertEquals(want[1], entry.count());
            for (int i = 0; i < n; i++)
            {
                assertEquals(want[2] + i, consumer.buffer().getInt(entry.offset() + 4 * i));
            }
            assertFalse(consumer.read(cursor, entry));
        }
        assertEquals(0, cursor.lossCount());
    }

    @Test
    void shouldNotReturnEntryReservedButNotPublished()
    {
        final SlickQueue queue = SlickQueue.local(8, 8);
        final SlickCursor cursor = new SlickCursor();
        final long first = queue.reserve();
        produce(queue, 7);
        assertFalse(queue.read(cursor, entry), "entry 0 is not published, so entry 1 waits behind it");
        queue.publish(first);
        assertTrue(queue.read(cursor, entry));
        assertEquals(0, entry.index());
        assertTrue(queue.read(cursor, entry));
        assertEquals(1, entry.index());
    }

    @Test
    void shouldSkipAheadAndCountExactlyTheLostEntriesWhenLapped()
    {
        final SlickQueue queue = SlickQueue.local(4, 8);
        final SlickCursor cursor = new SlickCursor();
        for (int i = 0; i < 10; i++)
        {
            produce(queue, i);
        }
        assertTrue(queue.read(cursor, entry));
        assertEquals(8, entry.index(), "slot 0 now holds index 8: entries 0 to 7 are gone");
        assertEquals(8, queue.buffer().getLong(entry.offset()));
        assertEquals(8, cursor.lossCount());
        assertTrue(queue.read(cursor, entry));
        assertEquals(9, entry.index());
        assertFalse(queue.read(cursor, entry));
        assertEquals(8, cursor.lossCount());
        assertEquals(8, queue.lossCount());

        final SlickCursor other = new SlickCursor(9);
        assertTrue(queue.read(other, entry));
        assertEquals(0, other.lossCount());
        assertEquals(8, queue.lossCount(), "the total is the sum over cursors");
    }

    @Test
    void shouldReadLastPublishedForIndexesBeyondCapacity()
    {
        final SlickQueue queue = SlickQueue.local(4, 8);
        assertFalse(queue.readLast(entry));
        for (int i = 0; i < 6; i++)
        {
            produce(queue, 100 + i);
        }
        assertTrue(queue.readLast(entry));
        assertEquals(5, entry.index());
        assertEquals(queue.offset(1), entry.offset());
        assertEquals(105, queue.buffer().getLong(entry.offset()));
        assertEquals(5, queue.buffer().getLongVolatile(LAST_PUBLISHED_OFFSET));
    }

    @Test
    void shouldNotLowerLastPublishedWhenAnOlderEntryIsPublishedLate()
    {
        final SlickQueue queue = SlickQueue.local(8, 8);
        final long first = queue.reserve();
        final long second = queue.reserve(2);
        queue.publish(second, 2);
        queue.publish(first);
        assertTrue(queue.readLast(entry));
        assertEquals(second, entry.index());
        assertEquals(2, entry.count());
    }

    @Test
    void shouldReserveBatchLeavingReservedWordAsSingleReservesWould()
    {
        for (final int before : new int[]{ 0, 1, 3 })
        {
            final SlickQueue singles = SlickQueue.local(16, 8);
            final SlickQueue batch = SlickQueue.local(16, 8);
            if (before > 0)
            {
                singles.reserve(before);
                batch.reserve(before);
            }
            final long expectedFirst = singles.reserve();
            for (int i = 1; i < 5; i++)
            {
                singles.reserve();
            }
            assertEquals(expectedFirst, batch.reserveBatch(5));
            assertEquals(reserved(singles), reserved(batch), "after reserve(" + before + ")");
            assertEquals(1, reserved(batch) & 0xFFFF);
        }
    }

    @Test
    void shouldPublishBatchAndRaiseLastPublishedOnce()
    {
        final SlickQueue queue = SlickQueue.local(8, 8);
        final SlickCursor cursor = new SlickCursor();
        final long first = queue.reserveBatch(5);
        for (int i = 0; i < 5; i++)
        {
            queue.buffer().putLong(queue.offset(first + i), 10 + i);
        }
        queue.publishBatch(first, 5);
        assertTrue(queue.readLast(entry));
        assertEquals(4, entry.index());

        final List<Long> values = new ArrayList<>();
        final List<Long> indexes = new ArrayList<>();
        final MessageHandler handler = (buffer, offset, length, index) ->
        {
            assertEquals(1, length / queue.elementSize());
            values.add(buffer.getLong(offset));
            indexes.add(index);
        };
        assertEquals(3, queue.drain(cursor, handler, 3), "limit holds");
        assertEquals(2, queue.drain(cursor, handler, 10));
        assertEquals(0, queue.drain(cursor, handler, 10));
        assertEquals(List.of(10L, 11L, 12L, 13L, 14L), values);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), indexes);
    }

    @Test
    void shouldCopyEntriesIntoCallerBufferOrNewArray()
    {
        final SlickQueue queue = SlickQueue.local(8, 2);
        final SlickCursor cursor = new SlickCursor();
        final long index = queue.reserve(3);
        queue.buffer().putBytes(queue.offset(index), new byte[]{ 1, 2, 3, 4, 5, 6 });
        queue.publish(index, 3);
        final long next = queue.reserve();
        queue.buffer().putBytes(queue.offset(next), new byte[]{ 7, 8 });
        queue.publish(next);

        final UnsafeBuffer destination = new UnsafeBuffer(new byte[10]);
        assertEquals(6, queue.read(cursor, destination, 2));
        assertArrayEquals(new byte[]{ 0, 0, 1, 2, 3, 4, 5, 6, 0, 0 }, destination.byteArray());
        assertArrayEquals(new byte[]{ 7, 8 }, readBytes(queue, cursor));
        assertNull(readBytes(queue, cursor));
        assertEquals(0, queue.read(cursor, destination, 0), "no entry ready: 0 bytes copied");
    }

    @Test
    void shouldWaitForEntryWithIdleStrategyAndTimeOut() throws Exception
    {
        final SlickQueue queue =
            SlickQueue.local(8, 8, new SlickConfig().idleStrategy(() -> NoOpIdleStrategy.INSTANCE));
        final SlickCursor cursor = new SlickCursor();
        assertFalse(queue.read(cursor, entry, 1_000_000, TimeUnit.NANOSECONDS));

        final Thread producer = new Thread(() -> produce(queue, 42));
        producer.start();
        assertTrue(queue.read(cursor, entry, Long.MAX_VALUE / 2, TimeUnit.NANOSECONDS));
        assertEquals(42, queue.buffer().getLong(entry.offset()));
        producer.join();
    }

    @Test
    void shouldResetToEmptyAndReadersRestart()
    {
        final SlickQueue queue = SlickQueue.local(4, 8);
        final SlickCursor cursor = new SlickCursor();
        for (int i = 0; i < 6; i++)
        {
            produce(queue, i);
        }
        while (queue.read(cursor, entry))
        {
            assertTrue(entry.index() < 6);
        }
        queue.reset();
        assertEquals(0, reserved(queue));
        assertEquals(-1L, queue.buffer().getLongVolatile(LAST_PUBLISHED_OFFSET));
        assertEquals(0, queue.lossCount());
        for (int slot = 0; slot < 4; slot++)
        {
            assertEquals(-1L, slotIndex(queue, slot));
            assertEquals(1, slotSize(queue, slot));
        }
        assertFalse(queue.readLast(entry));
        assertEquals(0, queue.initialReadingIndex());

        final SlickCursor fresh = new SlickCursor(queue.initialReadingIndex());
        produce(queue, 77);
        assertTrue(queue.read(fresh, entry));
        assertEquals(0, entry.index());
        assertEquals(77, queue.buffer().getLong(entry.offset()));
    }

    @Test
    void shouldRestartAtZeroWhenSlotIsAheadOfReservedAsAfterReset()
    {
        final SlickQueue queue = SlickQueue.local(4, 8);
        final SlickCursor cursor = new SlickCursor(2);
        produce(queue, 0);
        // A slot whose index is beyond reserved: what a reader sees when the queue was reset under it.
        final AtomicBuffer buffer = queue.buffer();
        buffer.putLongRelease(HEADER_LENGTH + 2 * SLOT_LENGTH + SLOT_DATA_INDEX_OFFSET, 6);
        assertTrue(queue.read(cursor, entry));
        assertEquals(0, entry.index(), "restarted from 0");
        assertEquals(1, cursor.position());
    }

    @Test
    void shouldReadImpossibleSlotSizeAsNoDataNotCorruption()
    {
        // A wrapping producer between its two stores, a killed one, or a hostile peer: the reader cannot tell them
        // apart, so it reports no data and never follows the size out of the ring.
        final SlickQueue queue = SlickQueue.local(4, 8);
        produce(queue, 1);
        queue.buffer().putInt(HEADER_LENGTH + SLOT_SIZE_OFFSET, 5);
        final SlickCursor cursor = new SlickCursor();
        assertFalse(queue.read(cursor, entry));
        assertEquals(0, cursor.position());
        queue.buffer().putInt(HEADER_LENGTH + SLOT_SIZE_OFFSET, 1);
        assertTrue(queue.read(cursor, entry));
        assertEquals(0, entry.index());
    }

    @Test
    void shouldExposeReadOnlyEntryBytesToHandler()
    {
        final SlickQueue queue = SlickQueue.local(4, 8);
        produce(queue, 5);
        final DirectBuffer[] seen = new DirectBuffer[1];
        queue.drain(new SlickCursor(), (buffer, offset, length, index) -> seen[0] = buffer, 1);
        assertEquals(queue.buffer(), seen[0]);
    }

    @Test
    void shouldReportNoDataRatherThanSpinWhenSlotIndexIsAheadOfReservedForever()
    {
        try (SlickQueue queue = SlickQueue.local(4, 8))
        {
            // A slot claiming an index no producer reserved, as a hostile or corrupt segment could hold.
            queue.buffer().putLongVolatile(
                SlickQueueDescriptor.slotOffset(0) + SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET, 1_000_000);
            final SlickCursor cursor = new SlickCursor();
            final SlickEntry entry = new SlickEntry();
            assertFalse(queue.read(cursor, entry));
            final AtomicCursor shared = AtomicCursor.local();
            assertFalse(queue.read(shared, entry));
        }
    }
}
