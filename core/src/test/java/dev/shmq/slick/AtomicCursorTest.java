package dev.shmq.slick;

import dev.shmq.core.TempShm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicCursorTest
{
    private final TempShm shm = new TempShm();

    @AfterEach
    void after()
    {
        shm.close();
    }

    @Test
    void shouldShareValueThroughEightByteObjectAcrossMappings()
    {
        final String name = shm.next("slick");
        final AtomicCursor created = shm.track(AtomicCursor.create(name));
        final AtomicCursor opened = shm.track(AtomicCursor.open(name));
        assertEquals(8, TempShm.bytes(name).length, "an 8-byte object, as SharedMemory(name, size=8)");
        assertEquals(0, opened.load());

        created.store(0x0102_0304_0506_0708L);
        assertEquals(0x0102_0304_0506_0708L, opened.load());
        assertEquals(0x0102_0304_0506_0708L,
            ByteBuffer.wrap(TempShm.bytes(name)).order(ByteOrder.LITTLE_ENDIAN).getLong(0), "little-endian u64");

        assertFalse(opened.compareAndSet(1, 2));
        assertTrue(opened.compareAndSet(0x0102_0304_0506_0708L, 42));
        assertEquals(42, created.load());

        assertThrows(IllegalStateException.class, () -> AtomicCursor.create(name), "the name exists");
        created.close();
        created.close();
        assertTrue(created.unlink());
        assertFalse(Files.exists(TempShm.path(name)));
        assertEquals(42, opened.load(), "other mappings stay valid");
    }

    @Test
    void shouldWorkLocally()
    {
        final AtomicCursor cursor = AtomicCursor.local();
        assertFalse(cursor.isShared());
        assertEquals(0, cursor.load());
        assertTrue(cursor.compareAndSet(0, 5));
        cursor.store(7);
        assertEquals(7, cursor.load());
        assertFalse(cursor.unlink());
        cursor.close();
    }

    @Test
    void shouldRejectMissingCursorObject()
    {
        final String name = shm.next("slick");
        assertThrows(IllegalStateException.class, () -> AtomicCursor.open(name));
        assertFalse(Files.exists(TempShm.path(name)));
    }

    @Test
    void shouldThrowClosedFromEveryCallAfterClose()
    {
        final String name = shm.next("slick-cursor");
        final AtomicCursor shared = shm.track(AtomicCursor.create(name));
        shared.close();
        final AtomicCursor local = AtomicCursor.local();
        local.close();
        for (final AtomicCursor cursor : new AtomicCursor[]{shared, local})
        {
            assertEquals(" is closed", assertThrows(IllegalStateException.class, cursor::load).getMessage()
                .replaceAll("^AtomicCursor \\S+", ""));
            assertThrows(IllegalStateException.class, () -> cursor.store(1));
            assertThrows(IllegalStateException.class, () -> cursor.compareAndSet(0, 1));
        }
        assertTrue(shared.unlink());
    }
}
