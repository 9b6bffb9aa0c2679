package dev.shmq.slick;

import dev.shmq.core.ControlledMessageHandler.Action;
import dev.shmq.core.CountingIdleStrategy;
import dev.shmq.core.TempShm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vocabulary SlickQueue shares with zeroq: {@code create} fails if the name exists while {@code createOrOpen} is
 * C++'s {@code SlickQueue<T>(size, name)}, handlers get the entry's index and length, a controlled drain honours
 * every action, waits take {@code (timeout, TimeUnit)} with the configured idle strategy, and reads return 0 or false
 * when nothing is ready.
 */
class SlickVocabularyTest
{
    private static final int CAPACITY = 8;
    private static final int ELEMENT_SIZE = 4;

    private final TempShm shm = new TempShm();

    @AfterEach
    void tearDown()
    {
        shm.close();
    }

    @Test
    void shouldFailToCreateAnExistingNameAndLeaveTheQueueThere()
    {
        final String name = shm.next("slick-create-twice");
        final SlickQueue first = shm.track(SlickQueue.create(name, CAPACITY, ELEMENT_SIZE));
        publishInt(first, 11);

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> SlickQueue.create(name, CAPACITY, ELEMENT_SIZE));

        assertTrue(ex.getMessage().contains("already exists"), ex.getMessage());
        assertTrue(Files.exists(TempShm.path(name)));
        final SlickEntry entry = new SlickEntry();
        assertTrue(first.readLast(entry));
        assertEquals(11, first.buffer().getInt(entry.offset()));
    }

    @Test
    void shouldCreateOrOpenAsCppDoes()
    {
        final String name = shm.next("slick-create-or-open");
        final SlickQueue created = shm.track(SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE));
        final SlickQueue joined = shm.track(SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE));
        final SlickQueue opened = shm.track(SlickQueue.open(name));

        assertTrue(created.isCreator());
        assertFalse(joined.isCreator());
        assertEquals(ELEMENT_SIZE, opened.elementSize());
        publishInt(joined, 3);
        final SlickEntry entry = new SlickEntry();
        assertTrue(opened.read(new SlickCursor(), entry));
        assertEquals(3, opened.buffer().getInt(entry.offset()));
    }

    @Test
    void shouldHandEachDrainedEntryWithItsIndexAndLength()
    {
        final SlickQueue queue = shm.track(SlickQueue.local(CAPACITY, ELEMENT_SIZE));
        publishInt(queue, 1);
        final long pair = queue.reserve(2);
        queue.publish(pair, 2);
        final List<String> seen = new ArrayList<>();

        final int read = queue.drain(
            new SlickCursor(), (buffer, offset, length, index) -> seen.add(index + ":" + length), CAPACITY);

        assertEquals(2, read);
        assertEquals(List.of("0:" + ELEMENT_SIZE, "1:" + 2 * ELEMENT_SIZE), seen);
    }

    @Test
    void shouldLeaveAnAbortedEntryForTheNextRead()
    {
        final SlickQueue queue = shm.track(SlickQueue.local(CAPACITY, ELEMENT_SIZE));
        for (int i = 0; i < 3; i++)
        {
            publishInt(queue, i);
        }
        final SlickCursor cursor = new SlickCursor();
        final List<Integer> seen = new ArrayList<>();

        final int consumed = queue.controlledDrain(
            cursor,
            (buffer, offset, length, index) ->
            {
                seen.add(buffer.getInt(offset));
                return 1 == index ? Action.ABORT : Action.CONTINUE;
            },
            CAPACITY);

        assertEquals(1, consumed);
        assertEquals(List.of(0, 1), seen);
        assertEquals(1, cursor.position());
        final SlickEntry entry = new SlickEntry();
        assertTrue(queue.read(cursor, entry));
        assertEquals(1, entry.index());
    }

    @Test
    void shouldStopAfterBreakAndGoOnAfterCommit()
    {
        final SlickQueue queue = shm.track(SlickQueue.local(CAPACITY, ELEMENT_SIZE));
        for (int i = 0; i < 4; i++)
        {
            publishInt(queue, i);
        }
        final SlickCursor cursor = new SlickCursor();

        assertEquals(2, queue.controlledDrain(
            cursor, (buffer, offset, length, index) -> 1 == index ? Action.BREAK : Action.COMMIT, CAPACITY));
        assertEquals(2, cursor.position());
        assertEquals(2, queue.controlledDrain(cursor, (buffer, offset, length, index) -> Action.COMMIT, CAPACITY));
        assertEquals(0, queue.controlledDrain(cursor, (buffer, offset, length, index) -> Action.CONTINUE, 1));
    }

    @Test
    void shouldReturnZeroFromTheCopyingReadWhenNothingIsReady()
    {
        final SlickQueue queue = shm.track(SlickQueue.local(CAPACITY, ELEMENT_SIZE));
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        final SlickCursor cursor = new SlickCursor();

        assertEquals(0, queue.read(cursor, destination, 0));
        publishInt(queue, 9);
        assertEquals(ELEMENT_SIZE, queue.read(cursor, destination, 0));
        assertEquals(9, destination.getInt(0));
        assertEquals(0, queue.read(cursor, destination, 0));
    }

    @Test
    void shouldWaitWithTheConfiguredIdleStrategyUntilTheTimeout() throws InterruptedException
    {
        final AtomicInteger idles = new AtomicInteger();
        final SlickQueue queue = shm.track(SlickQueue.local(
            CAPACITY, ELEMENT_SIZE, new SlickConfig().idleStrategy(() -> new CountingIdleStrategy(idles))));

        assertFalse(queue.read(new SlickCursor(), new SlickEntry(), 0, TimeUnit.NANOSECONDS));

        assertEquals(1, idles.get());
    }

    @Test
    void shouldWakeAWaitingReadOnInterrupt()
    {
        final SlickQueue queue = shm.track(SlickQueue.local(CAPACITY, ELEMENT_SIZE));

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class,
            () -> queue.read(new SlickCursor(), new SlickEntry(), 1, TimeUnit.MINUTES));

        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void shouldCreateOrOpenOneSharedCursor()
    {
        final String name = shm.next("slick-cursor");
        final AtomicCursor created = shm.track(AtomicCursor.createOrOpen(name));
        final AtomicCursor joined = shm.track(AtomicCursor.createOrOpen(name));

        created.store(17);

        assertEquals(17, joined.load());
        assertThrows(IllegalStateException.class, () -> AtomicCursor.create(name));
    }

    private static void publishInt(final SlickQueue queue, final int value)
    {
        final long index = queue.reserve();
        queue.buffer().putInt(queue.offset(index), value);
        assertTrue(queue.publish(index));
    }
}
