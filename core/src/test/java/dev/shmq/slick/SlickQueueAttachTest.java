package dev.shmq.slick;

import dev.shmq.core.TempShm;
import dev.shmq.core.ShmMissingException;
import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.shmq.slick.SlickQueueDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_MAGIC_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.LAST_PUBLISHED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_SIZE_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlickQueueAttachTest
{
    private static final long SHORT_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final TempShm shm = new TempShm();

    @AfterEach
    void after()
    {
        shm.close();
    }

    /** The old {@code (..., long initTimeoutNanos)} overloads, as a configuration. */
    private static SlickConfig openTimeout(final long nanos)
    {
        return new SlickConfig().openTimeout(nanos, TimeUnit.NANOSECONDS);
    }

    /** The header a v1.4.0 creator writes, by hand, with the raw numbers of PROTOCOLS.md. */
    private static ByteBuffer v14Header(final int length, final int size, final int elementSize, final int state)
    {
        final ByteBuffer bytes = TempShm.littleEndian(length);
        bytes.putLong(0, 0);
        bytes.putInt(8, size);
        bytes.putInt(12, elementSize);
        bytes.putLong(16, -1L);
        bytes.putInt(24, 0x534C5131);
        bytes.putInt(48, state);
        for (int offset = 64; offset + 16 <= Math.min(length, 64 + 16 * size); offset += 16)
        {
            bytes.putLong(offset, -1L);
            bytes.putInt(offset + 8, 1);
        }
        return bytes;
    }

    @Test
    void shouldWriteByteExactHeaderOnCreate()
    {
        final String name = shm.next("slick");
        final SlickQueue queue = shm.track(SlickQueue.createOrOpen(name, 8, 16));
        assertTrue(queue.isCreator());
        assertFalse(queue.isLegacy());

        final ByteBuffer file = ByteBuffer.wrap(TempShm.bytes(name)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(64 + 16 * 8 + 16 * 8, file.capacity());
        assertEquals(0L, file.getLong(0), "reserved");
        assertEquals(8, file.getInt(8), "size");
        assertEquals(16, file.getInt(12), "element_size");
        assertEquals(0xFFFF_FFFF_FFFF_FFFFL, file.getLong(16), "last_published");
        assertEquals(0x534C5131, file.getInt(24), "header_magic");
        for (int i = 28; i < 48; i++)
        {
            assertEquals(0, file.get(i), "padding at " + i);
        }
        assertEquals(3, file.getInt(48), "init_state");
        for (int i = 52; i < 64; i++)
        {
            assertEquals(0, file.get(i), "padding at " + i);
        }
        for (int slot = 0; slot < 8; slot++)
        {
            final int offset = 64 + 16 * slot;
            assertEquals(-1L, file.getLong(offset), "slot " + slot + " data_index");
            assertEquals(1, file.getInt(offset + 8), "slot " + slot + " size");
            assertEquals(0, file.getInt(offset + 12), "slot " + slot + " padding");
        }
        for (int i = 64 + 16 * 8; i < file.capacity(); i++)
        {
            assertEquals(0, file.get(i), "data at " + i);
        }
    }

    @Test
    void shouldAttachSecondCreatorAndOpenerToInitialisedQueue()
    {
        final String name = shm.next("slick");
        final SlickQueue first = shm.track(SlickQueue.createOrOpen(name, 8, 16));
        first.publish(first.reserve());
        final byte[] before = TempShm.bytes(name);

        final SlickQueue second = shm.track(SlickQueue.createOrOpen(name, 8, 16));
        final SlickQueue opener = shm.track(SlickQueue.open(name, 16));

        assertFalse(second.isCreator());
        assertFalse(opener.isCreator());
        assertEquals(8, opener.capacity());
        assertEquals(16, opener.elementSize());
        assertEquals(1, opener.initialReadingIndex());
        assertArrayEquals(before, TempShm.bytes(name), "attaching writes nothing");
    }

    @Test
    void shouldWaitWhileCreatorIsInitialisingAndSucceedWhenReady() throws Exception
    {
        final String name = shm.next("slick");
        final int length = 64 + 16 * 4 + 8 * 4;
        final ShmSegment creator = shm.track(ShmSegment.create(ShmName.of(name), length));
        final AtomicBuffer buffer = creator.buffer();
        buffer.putIntRelease(INIT_STATE_OFFSET, 2);

        final Thread[] opener = new Thread[1];
        final CompletableFuture<SlickQueue> opened = new CompletableFuture<>();
        opener[0] = new Thread(() ->
        {
            try
            {
                opened.complete(SlickQueue.open(name, 8, openTimeout(TimeUnit.SECONDS.toNanos(60))));
            }
            catch (final Throwable ex)
            {
                opened.completeExceptionally(ex);
            }
        });
        opener[0].start();
        while (opener[0].getState() != Thread.State.TIMED_WAITING && !opened.isDone())
        {
            Thread.onSpinWait();
        }
        assertFalse(opened.isDone(), "open must wait while init_state is 2");

        buffer.putLong(RESERVED_OFFSET, 0);
        buffer.putLong(LAST_PUBLISHED_OFFSET, -1L);
        buffer.putInt(SIZE_OFFSET, 4);
        buffer.putInt(ELEMENT_SIZE_OFFSET, 8);
        buffer.putInt(HEADER_MAGIC_OFFSET, 0x534C5131);
        for (int slot = 0; slot < 4; slot++)
        {
            buffer.putLong(HEADER_LENGTH + slot * SLOT_LENGTH + SLOT_DATA_INDEX_OFFSET, -1L);
            buffer.putInt(HEADER_LENGTH + slot * SLOT_LENGTH + SLOT_SIZE_OFFSET, 1);
        }
        buffer.putIntRelease(INIT_STATE_OFFSET, 3);

        final SlickQueue queue = shm.track(opened.get(60, TimeUnit.SECONDS));
        assertEquals(4, queue.capacity());
        assertFalse(queue.isLegacy());
        opener[0].join();
    }

    @Test
    void shouldTimeOutNamingStateWhenInitialisationNeverCompletes()
    {
        final String name = shm.next("slick");
        TempShm.write(name, v14Header(64 + 16 * 4 + 8 * 4, 4, 8, 2));
        final byte[] before = TempShm.bytes(name);

        final IllegalStateException ex = assertThrows(
            IllegalStateException.class, () -> SlickQueue.open(name, 8, openTimeout(SHORT_TIMEOUT_NANOS)));
        assertTrue(ex.getMessage().contains("timed out waiting for initialisation"), ex.getMessage());
        assertTrue(ex.getMessage().contains("init_state=2"), ex.getMessage());
        assertTrue(ex.getMessage().contains("within 50 ms"), ex.getMessage());

        final IllegalStateException creatorEx = assertThrows(
            IllegalStateException.class, () -> SlickQueue.createOrOpen(name, 4, 8, openTimeout(SHORT_TIMEOUT_NANOS)));
        assertTrue(creatorEx.getMessage().contains("timed out waiting for initialisation"), creatorEx.getMessage());

        assertArrayEquals(before, TempShm.bytes(name));
        TempShm.assertNotMapped(name);
    }

    @Test
    void shouldAcceptV12HeaderOfSlickQueuePyAsLegacy()
    {
        final String name = shm.next("slick");
        final int size = 4;
        final int elementSize = 8;
        final ByteBuffer bytes = TempShm.littleEndian(64 + 16 * size + elementSize * size);
        bytes.putLong(0, (3L << 16) | 1);
        bytes.putInt(8, size);
        bytes.putInt(12, elementSize);
        for (int slot = 0; slot < size; slot++)
        {
            bytes.putLong(64 + 16 * slot, slot < 3 ? slot : -1L);
            bytes.putInt(64 + 16 * slot + 8, 1);
            bytes.putLong(64 + 16 * size + elementSize * slot, 100 + slot);
        }
        TempShm.write(name, bytes);

        final SlickQueue queue = shm.track(SlickQueue.open(name, elementSize, openTimeout(SHORT_TIMEOUT_NANOS)));
        assertTrue(queue.isLegacy());
        final SlickCursor cursor = new SlickCursor();
        final SlickEntry entry = new SlickEntry();
        for (int i = 0; i < 3; i++)
        {
            assertTrue(queue.read(cursor, entry));
            assertEquals(i, entry.index());
            assertEquals(100 + i, queue.buffer().getLong(entry.offset()));
        }
        assertFalse(queue.read(cursor, entry));

        assertTrue(queue.readLast(entry));
        assertEquals(2, entry.index(), "legacy read_last: (reserved >> 16) - (reserved & 0xFFFF)");

        final SlickQueue creator = shm.track(
            SlickQueue.createOrOpen(name, size, elementSize, openTimeout(SHORT_TIMEOUT_NANOS)));
        assertFalse(creator.isCreator(), "a populated v1.2 queue is attached to, not wiped");
        creator.publish(creator.reserve());
        assertTrue(queue.read(cursor, entry));
        assertEquals(3, entry.index());

        final ByteBuffer after = ByteBuffer.wrap(TempShm.bytes(name)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(0L, after.getLong(16), "no last_published written into a v1.2 header");
        assertEquals(0, after.getInt(24), "no magic written into a v1.2 header");
        assertEquals(0, after.getInt(48), "init_state of a v1.2 header left alone");
    }

    @Test
    void shouldAcceptLegacyInitStateOneAfterGrace()
    {
        final String name = shm.next("slick");
        final ByteBuffer bytes = v14Header(64 + 16 * 4 + 8 * 4, 4, 8, 1);
        bytes.putInt(24, 0);
        bytes.putLong(16, 0);
        TempShm.write(name, bytes);

        final SlickQueue queue = shm.track(SlickQueue.open(name, 8, openTimeout(TimeUnit.SECONDS.toNanos(60))));
        assertTrue(queue.isLegacy());
        final SlickEntry entry = new SlickEntry();
        assertFalse(queue.readLast(entry));
        queue.publish(queue.reserve());
        assertTrue(queue.readLast(entry));
        assertEquals(0, entry.index());
    }

    @Test
    void shouldRejectBadCapacityAndElementSizeWithoutCreatingAnything()
    {
        final String name = shm.next("slick");
        final IllegalArgumentException notPowerOfTwo = assertThrows(
            IllegalArgumentException.class, () -> SlickQueue.createOrOpen(name, 6, 8));
        assertTrue(notPowerOfTwo.getMessage().contains("capacity=6"), notPowerOfTwo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlickQueue.createOrOpen(name, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> SlickQueue.local(3, 8));
        assertThrows(IllegalArgumentException.class, () -> SlickQueue.local(0, 8));
        assertThrows(IllegalArgumentException.class, () -> SlickQueue.open(name, 0));
        assertFalse(Files.exists(TempShm.path(name)));
    }

    @Test
    void shouldRejectMissingAndInvalidNames()
    {
        final String name = shm.next("slick");
        assertThrows(ShmMissingException.class, () -> SlickQueue.open(name, 8));
        assertThrows(IllegalArgumentException.class, () -> SlickQueue.open(null, 8));
        assertThrows(IllegalArgumentException.class, () -> SlickQueue.createOrOpen(null, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> SlickQueue.createOrOpen("a/b", 8, 8));
        assertFalse(Files.exists(TempShm.path(name)));
    }

    @Test
    void shouldRejectSizeAndElementSizeMismatchNamingBothValues()
    {
        final String name = shm.next("slick");
        shm.track(SlickQueue.createOrOpen(name, 8, 16));
        final byte[] before = TempShm.bytes(name);

        final IllegalStateException size = assertThrows(
            IllegalStateException.class, () -> SlickQueue.createOrOpen(name, 16, 16));
        assertTrue(
            size.getMessage().contains("size=8") && size.getMessage().contains("expected 16"), size.getMessage());

        final IllegalStateException creatorElementSize = assertThrows(
            IllegalStateException.class, () -> SlickQueue.createOrOpen(name, 8, 32));
        assertTrue(creatorElementSize.getMessage().contains("element_size=16") &&
            creatorElementSize.getMessage().contains("expected 32"), creatorElementSize.getMessage());

        final IllegalStateException openerElementSize = assertThrows(
            IllegalStateException.class, () -> SlickQueue.open(name, 4));
        assertTrue(openerElementSize.getMessage().contains("element_size=16") &&
            openerElementSize.getMessage().contains("expected 4"), openerElementSize.getMessage());

        assertArrayEquals(before, TempShm.bytes(name));
    }

    @Test
    void shouldRejectFileShorterThanHeaderClaims()
    {
        final String name = shm.next("slick");
        TempShm.write(name, v14Header(64 + 16 * 4 + 8 * 4, 8, 8, 3));
        final byte[] before = TempShm.bytes(name);

        final IllegalStateException ex = assertThrows(
            IllegalStateException.class, () -> SlickQueue.open(name, 8, openTimeout(SHORT_TIMEOUT_NANOS)));
        assertTrue(ex.getMessage().contains("length=" + before.length), ex.getMessage());
        assertTrue(ex.getMessage().contains("expected at least " + (64 + 16 * 8 + 8 * 8)), ex.getMessage());
        assertTrue(ex.getMessage().contains("size=8"), ex.getMessage());

        assertThrows(
            IllegalStateException.class, () -> SlickQueue.createOrOpen(name, 8, 8, openTimeout(SHORT_TIMEOUT_NANOS)));
        assertArrayEquals(before, TempShm.bytes(name));
        TempShm.assertNotMapped(name);
    }

    @Test
    void shouldNotInitialiseExistingObjectShorterThanQueue()
    {
        final String name = shm.next("slick");
        TempShm.write(name, TempShm.littleEndian(HEADER_LENGTH + 16));
        final byte[] before = TempShm.bytes(name);

        final IllegalStateException ex = assertThrows(
            IllegalStateException.class, () -> SlickQueue.createOrOpen(name, 8, 8, openTimeout(SHORT_TIMEOUT_NANOS)));
        assertTrue(ex.getMessage().contains("length=" + before.length), ex.getMessage());
        assertArrayEquals(before, TempShm.bytes(name));
        TempShm.assertNotMapped(name);
    }

    @Test
    void shouldRejectContradictingHeaders()
    {
        final int length = 64 + 16 * 8 + 8 * 8;

        final ByteBuffer noMagic = v14Header(length, 8, 8, 3);
        noMagic.putInt(24, 0);
        assertRejected(noMagic, "header_magic=0x0");

        assertRejected(v14Header(length, 8, 8, 7), "init_state=7");
        assertRejected(v14Header(length, 6, 8, 3), "size=6");
        assertRejected(v14Header(length, 0, 8, 3), "size=0");

        final ByteBuffer hugeSize = v14Header(length, 8, 8, 3);
        hugeSize.putInt(8, 0x8000_0000);
        assertRejected(hugeSize, "size=2147483648");

        final ByteBuffer reservedTooBig = v14Header(length, 8, 8, 3);
        reservedTooBig.putLong(0, (5L << 16) | 9);
        assertRejected(reservedTooBig, "reserved size bits=9");

        final ByteBuffer magicInV12 = v14Header(length, 8, 8, 0);
        assertRejected(magicInV12, "init_state=0");

        final ByteBuffer v12Short = v14Header(64 + 16 * 4, 8, 8, 0);
        v12Short.putInt(24, 0);
        assertRejected(v12Short, "length=");
    }

    private void assertRejected(final ByteBuffer header, final String expectedInMessage)
    {
        final String name = shm.next("slick");
        TempShm.write(name, header);
        final byte[] before = TempShm.bytes(name);
        final IllegalStateException ex = assertThrows(
            IllegalStateException.class, () -> SlickQueue.open(name, 8, openTimeout(SHORT_TIMEOUT_NANOS)));
        assertTrue(ex.getMessage().contains(expectedInMessage), ex.getMessage());
        assertArrayEquals(before, TempShm.bytes(name), "nothing written");
        TempShm.assertNotMapped(name);
    }

    @Test
    void shouldCloseIdempotentlyAndUnlinkAsCppCreatorDoes()
    {
        final String name = shm.next("slick");
        final SlickQueue queue = SlickQueue.createOrOpen(name, 4, 8);
        final SlickQueue attacher = shm.track(SlickQueue.open(name, 8));
        attacher.close();
        assertTrue(Files.exists(TempShm.path(name)), "an attacher does not unlink");
        queue.close();
        queue.close();
        assertFalse(Files.exists(TempShm.path(name)), "the creator unlinks on close, as C++ does");
        assertFalse(queue.unlink());

        final String kept = shm.next("slick");
        shm.track(SlickQueue.createOrOpen(kept, 4, 8, new SlickConfig().unlinkOnClose(false))).close();
        assertTrue(Files.exists(TempShm.path(kept)), "unlinkOnClose(false) keeps the name");

        final SlickQueue local = SlickQueue.local(4, 8);
        assertTrue(local.isCreator());
        assertFalse(local.unlink());
        local.close();
        local.close();
    }
}
