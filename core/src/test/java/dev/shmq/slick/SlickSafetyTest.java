package dev.shmq.slick;

import dev.shmq.core.TempShm;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.shmq.slick.SlickQueueDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.packReserved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safety contract of {@link SlickQueue} under misuse and races: calls after close, someone else's object under
 * our name, bad publishes, slots caught mid-rewrite, exact loss on the wrap-marker path, torn entries, and a creator
 * killed before sizing the object.
 */
class SlickSafetyTest
{
    private static final int CAPACITY = 4;
    private static final int ELEMENT_SIZE = 8;

    private final TempShm shm = new TempShm();
    private final SlickEntry entry = new SlickEntry();

    @AfterEach
    void tearDown()
    {
        shm.close();
    }

    @Test
    void shouldThrowClosedOnEveryCallAfterCloseOfLocalQueue()
    {
        assertEveryCallThrowsClosed(SlickQueue.local(CAPACITY, ELEMENT_SIZE), "(local)");
    }

    @Test
    void shouldThrowClosedOnEveryCallAfterCloseOfSharedQueue()
    {
        final String name = shm.next("slick-closed");
        assertEveryCallThrowsClosed(shm.track(SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE)), name);
    }

    private void assertEveryCallThrowsClosed(final SlickQueue queue, final String name)
    {
        final long index = queue.reserve();
        queue.close();
        final SlickCursor cursor = new SlickCursor();
        final AtomicCursor shared = AtomicCursor.local();
        final List<Executable> calls = List.of(
            () -> queue.reserve(),
            () -> queue.reserve(2),
            () -> queue.reserveBatch(2),
            () -> queue.publish(index),
            () -> queue.publish(index, 1),
            () -> queue.publishBatch(index, 1),
            () -> queue.read(cursor, entry),
            () -> queue.read(cursor, new UnsafeBuffer(new byte[64]), 0),
            () -> queue.read(cursor, new UnsafeBuffer(new byte[queue.maxEntryElements() * queue.elementSize()]), 0),
            () -> queue.read(cursor, entry, 1, TimeUnit.MILLISECONDS),
            () -> queue.read(shared, entry),
            () -> queue.readLast(entry),
            () -> queue.drain(cursor, (buffer, offset, length, idx) -> { }, 4),
            () -> queue.initialReadingIndex(),
            () -> queue.reset());
        for (final Executable call : calls)
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, call);
            assertEquals("SlickQueue " + name + " is closed", ex.getMessage());
        }
    }

    @Test
    void shouldNotUnlinkQueueCreatedUnderTheSameNameByAnother()
    {
        final String name = shm.next("slick-reused");
        final SlickQueue old = shm.track(SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE));
        assertTrue(old.unlink());
        final SlickQueue current = shm.track(SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE));
        assertTrue(current.isCreator());
        old.close();
        assertTrue(Files.exists(TempShm.path(name)), "old.close() must leave the new object alone");
        current.close();
        assertFalse(Files.exists(TempShm.path(name)));
    }

    @Test
    void shouldRejectBadPublishWithoutTouchingSharedMemory()
    {
        final SlickQueue queue = SlickQueue.local(CAPACITY, ELEMENT_SIZE);
        final long index = queue.reserve();
        final byte[] before = snapshot(queue);

        assertEquals("n=0 for index=0 (expected 1 to 4, the slots from slot 0 to the end of the ring)",
            assertThrows(IllegalArgumentException.class, () -> queue.publish(index, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.publish(index, -1));
        assertThrows(IllegalArgumentException.class, () -> queue.publish(index, CAPACITY + 1));
        assertEquals("index=1 n=1 (expected an entry already reserved: index + n <= reserved index=1)",
            assertThrows(IllegalArgumentException.class, () -> queue.publish(index + 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.publish(index, 2), "only one element reserved");
        assertThrows(IllegalArgumentException.class, () -> queue.publish(-1));
        assertThrows(IllegalArgumentException.class, () -> queue.publishBatch(index, 0));
        assertThrows(IllegalArgumentException.class, () -> queue.publishBatch(index, 2));
        assertEquals(new String(before), new String(snapshot(queue)), "shared memory untouched");

        queue.buffer().putLong(queue.offset(index), 77);
        queue.publish(index);
        final SlickCursor cursor = new SlickCursor();
        assertTrue(queue.read(cursor, entry));
        assertEquals(77, queue.buffer().getLong(entry.offset()));
        assertTrue(queue.readLast(entry));
    }

    @Test
    void shouldNotReportCorruptionForLastPublishedSlotTakenByWrapMarker()
    {
        final SlickQueue queue = SlickQueue.local(CAPACITY, ELEMENT_SIZE);
        publishOnes(queue, 4);
        assertTrue(queue.readLast(entry));
        assertEquals(3, entry.index());
        queue.reserve();
        queue.reserve();
        queue.reserve();
        assertEquals(8, queue.reserve(2), "wraps from slot 3, leaving a marker there");

        assertFalse(queue.readLast(entry), "entry 3 is gone and nothing newer is published yet");
        queue.publish(8, 2);
        assertTrue(queue.readLast(entry));
        assertEquals(8, entry.index());
        assertEquals(2, entry.count());
    }

    @Test
    void shouldNotReportCorruptionForSlotCaughtBetweenTheMarkersTwoStores()
    {
        final SlickQueue queue = SlickQueue.local(CAPACITY, ELEMENT_SIZE);
        publishOnes(queue, 4);
        final SlickCursor cursor = new SlickCursor(3);
        final AtomicCursor shared = AtomicCursor.local();
        shared.store(3);
        queue.reserve();
        queue.reserve();
        queue.reserve();

        // A producer (of any language) reserving 2 elements at 7 wraps: its CAS takes reserved to (10, 2), then it
        // stores the marker's size in slot 3, then the marker's index. A reader can see the size alone.
        queue.buffer().putLongVolatile(RESERVED_OFFSET, packReserved(10, 2));
        final int slot3 = HEADER_LENGTH + 3 * SLOT_LENGTH;
        queue.buffer().putInt(slot3 + SLOT_SIZE_OFFSET, 2);
        assertFalse(queue.read(cursor, entry));
        assertFalse(queue.read(shared, entry));
        assertEquals(0, queue.read(cursor, new UnsafeBuffer(new byte[64]), 0));

        queue.buffer().putLongRelease(slot3 + SLOT_DATA_INDEX_OFFSET, 8);
        assertFalse(queue.read(cursor, entry), "followed the marker; entry 8 not published yet");
        assertEquals(8, cursor.position());
        assertEquals(4, cursor.lossCount(), "entry 3, overwritten by the marker, and 4..6, reserved a lap ahead");
    }

    @Test
    void shouldCountElementsLostBehindAWrapMarkerExactly()
    {
        final SlickQueue queue = SlickQueue.local(CAPACITY, ELEMENT_SIZE);
        final SlickCursor cursor = new SlickCursor();
        publishOnes(queue, 4);
        int delivered = 0;
        for (int i = 0; i < 3; i++)
        {
            assertTrue(queue.read(cursor, entry));
            delivered += entry.count();
        }
        // Lap the reader, which waits at 3: entries 4, 5, 6, then a 2-element entry that wraps from slot 3 to 8.
        publishOnes(queue, 3);
        final long wrapped = queue.reserve(2);
        assertEquals(8, wrapped);
        queue.publish(wrapped, 2);
        final long published = 4 + 3 + 2;

        assertTrue(queue.read(cursor, entry));
        assertEquals(8, entry.index());
        delivered += entry.count();
        assertFalse(queue.read(cursor, entry));
        assertEquals(4, cursor.lossCount(), "entries 3, 4, 5 and 6 were overwritten; position 7 was never used");
        assertEquals(published, delivered + cursor.lossCount());
        assertEquals(4, queue.lossCount());
    }

    @Test
    void shouldNeverHandOutATornEntryFromTheValidatingRead()
    {
        final SlickQueue queue = SlickQueue.local(CAPACITY, ELEMENT_SIZE);
        publishStamped(queue, 0);

        // C++-style: read the entry in place, a producer laps the reader, the reader then copies: torn, no loss.
        final SlickCursor inPlace = new SlickCursor();
        assertTrue(queue.read(inPlace, entry));
        for (int i = 1; i <= CAPACITY; i++)
        {
            publishStamped(queue, i);
        }
        assertNotEquals(0, queue.buffer().getLong(entry.offset()), "the bytes of entry 0 are entry 4's now");
        assertEquals(0, inPlace.lossCount(), "and nobody counted a loss");
        assertTrue(queue.isOverwritten(entry), "isOverwritten tells the zero-copy reader");

        // The validating read, lapped while it copies: the torn entry is counted as lost, never handed out.
        final SlickQueue fresh = SlickQueue.local(CAPACITY, ELEMENT_SIZE);
        publishStamped(fresh, 0);
        final SlickCursor copying = new SlickCursor();
        final UnsafeBuffer lappedDuringCopy = new UnsafeBuffer(new byte[ELEMENT_SIZE])
        {
            @Override
            public void putBytes(final int index, final DirectBuffer srcBuffer, final int srcIndex, final int length)
            {
                if (fresh.initialReadingIndex() <= CAPACITY)
                {
                    for (int i = 1; i <= CAPACITY; i++)
                    {
                        publishStamped(fresh, i);
                    }
                }
                super.putBytes(index, srcBuffer, srcIndex, length);
            }
        };
        final List<Long> handedOut = new ArrayList<>();
        int length;
        while ((length = fresh.read(copying, lappedDuringCopy, 0)) > 0)
        {
            assertEquals(ELEMENT_SIZE, length);
            handedOut.add(lappedDuringCopy.getLong(0));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), handedOut, "entry 0 was torn: counted as lost, never handed out");
        assertEquals(1, copying.lossCount());
    }

    @Test
    void shouldNotRewindASlotWhenPublishingAnEntryLappedSinceItsReserve()
    {
        final SlickQueue queue = SlickQueue.local(CAPACITY, ELEMENT_SIZE);
        final long late = queue.reserve();
        publishOnes(queue, CAPACITY);
        final SlickCursor cursor = new SlickCursor(1);
        for (int i = 1; i < CAPACITY; i++)
        {
            assertTrue(queue.read(cursor, entry));
        }

        assertFalse(queue.publish(late), "lapped: slot 0 holds entry 4 now, and keeps it");
        assertTrue(queue.read(cursor, entry), "the reader waiting at 4 is not stranded");
        assertEquals(CAPACITY, entry.index());
        assertTrue(queue.readLast(entry));
        assertEquals(CAPACITY, entry.index());

        final long first = queue.reserveBatch(2);
        publishOnes(queue, CAPACITY);
        assertEquals(0, queue.publishBatch(first, 2), "both lapped");
        final long next = queue.reserveBatch(2);
        assertEquals(2, queue.publishBatch(next, 2));
    }

    @Test
    void shouldOpenWithTheElementSizeItsHeaderHolds()
    {
        final String name = shm.next("slick-open-any");
        final SlickQueue created = shm.track(SlickQueue.createOrOpen(name, CAPACITY, 24));
        try (SlickQueue opened = SlickQueue.open(name))
        {
            assertEquals(24, opened.elementSize());
            assertEquals(CAPACITY, opened.capacity());
            final long index = created.reserve();
            created.buffer().putLong(created.offset(index), 4242);
            created.publish(index);
            assertTrue(opened.read(new SlickCursor(), entry));
            assertEquals(24, entry.length());
            assertEquals(4242, opened.buffer().getLong(entry.offset()));
        }
        created.buffer().putInt(ELEMENT_SIZE_OFFSET, 0);
        assertEquals(TempShm.path(name) + " element_size=0 (expected at least 1)",
            assertThrows(IllegalStateException.class, () -> SlickQueue.open(name)).getMessage());
    }

    @Test
    void shouldKeepLaterEntriesWhenDrainHandlerThrows()
    {
        final SlickQueue queue = SlickQueue.local(8, ELEMENT_SIZE);
        publishOnes(queue, 5);
        final SlickCursor cursor = new SlickCursor();
        final List<Long> seen = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> queue.drain(cursor, (buffer, offset, length, index) ->
        {
            seen.add(index);
            if (1 == index)
            {
                throw new IllegalStateException("handler failed");
            }
        }, 5));
        assertEquals(5, 2 + queue.drain(cursor, (buffer, offset, length, index) -> seen.add(index), 5));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seen);
    }

    @Test
    void shouldSizeAndInitialiseAnEmptyObjectLeftByAKilledCreator() throws IOException
    {
        final String name = shm.next("slick-empty");
        Files.createFile(TempShm.path(name), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
        final SlickQueue queue = shm.track(SlickQueue.createOrOpen(
            name, CAPACITY, ELEMENT_SIZE, new SlickConfig().openTimeout(20, TimeUnit.MILLISECONDS)));
        assertTrue(queue.isCreator());
        publishOnes(queue, 1);
        try (SlickQueue attached = SlickQueue.open(name, ELEMENT_SIZE))
        {
            assertTrue(attached.read(new SlickCursor(), entry));
            assertEquals(0, entry.index());
        }
    }

    private static void publishOnes(final SlickQueue queue, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long index = queue.reserve();
            queue.buffer().putLong(queue.offset(index), index);
            queue.publish(index);
        }
    }

    private static void publishStamped(final SlickQueue queue, final long stamp)
    {
        final long index = queue.reserve();
        queue.buffer().putLong(queue.offset(index), stamp);
        queue.publish(index);
    }

    private static byte[] snapshot(final SlickQueue queue)
    {
        final byte[] bytes = new byte[queue.buffer().capacity()];
        queue.buffer().getBytes(0, bytes);
        return bytes;
    }
}
