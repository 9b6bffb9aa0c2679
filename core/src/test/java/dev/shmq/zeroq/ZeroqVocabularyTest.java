package dev.shmq.zeroq;

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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vocabulary zeroq shares with SlickQueue: {@code create} fails if the name exists, {@code createOrOpen} joins,
 * handlers get the position, a controlled drain honours every action, waits use the configured idle strategy, and
 * the Python dialect lives in {@link ZeroqPyQueue}.
 */
class ZeroqVocabularyTest
{
    private static final int CAPACITY = 4;
    private static final int ELEMENT_SIZE = 8;

    private final TempShm shm = new TempShm();

    @AfterEach
    void tearDown()
    {
        shm.close();
    }

    @Test
    void shouldFailToCreateAnExistingNameAndLeaveTheQueueThere()
    {
        final String name = shm.next("zeroq-create-twice");
        final ZeroqQueue first = shm.track(ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE));
        offerLong(first, 7);

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE));

        assertTrue(ex.getMessage().contains("already exists"), ex.getMessage());
        assertTrue(Files.exists(TempShm.path(name)));
        assertEquals(7, pollLong(first));
    }

    @Test
    void shouldCreateOrOpenTheSameQueue()
    {
        final String name = shm.next("zeroq-create-or-open");
        final ZeroqQueue created = shm.track(ZeroqQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE));
        final ZeroqQueue opened = shm.track(ZeroqQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE));

        assertTrue(created.isCreator());
        assertFalse(opened.isCreator());
        offerLong(created, 42);
        assertEquals(42, pollLong(opened));
    }

    @Test
    void shouldRefuseToCreateOrOpenAQueueOfAnotherShape()
    {
        final String name = shm.next("zeroq-create-or-open-shape");
        final ZeroqQueue created = shm.track(ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE));
        offerLong(created, 5);

        final IllegalStateException ex = assertThrows(
            IllegalStateException.class, () -> ZeroqQueue.createOrOpen(name, CAPACITY * 2, ELEMENT_SIZE));

        assertTrue(ex.getMessage().contains("capacity=" + CAPACITY) &&
            ex.getMessage().contains("expected capacity=" + CAPACITY * 2), ex.getMessage());
        assertTrue(Files.exists(TempShm.path(name)), "the failed call must not unlink the existing queue");
        assertEquals(5, pollLong(created));
    }

    @Test
    void shouldHandEachDrainedElementWithItsPositionAndLength()
    {
        final ZeroqQueue queue = shm.track(ZeroqQueue.local(CAPACITY, ELEMENT_SIZE));
        for (int i = 0; i < 3; i++)
        {
            offerLong(queue, 100 + i);
        }
        final List<Long> seen = new ArrayList<>();

        final int drained = queue.drain(
            (buffer, offset, length, position) ->
            {
                assertEquals(ELEMENT_SIZE, length);
                assertEquals(100 + position, buffer.getLong(offset));
                seen.add(position);
            },
            10);

        assertEquals(3, drained);
        assertEquals(List.of(0L, 1L, 2L), seen);
    }

    @Test
    void shouldKeepAnAbortedElementForThisInstanceOnly()
    {
        final String name = shm.next("zeroq-abort");
        final ZeroqQueue queue = shm.track(ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE));
        final ZeroqQueue other = shm.track(ZeroqQueue.open(name));
        for (int i = 0; i < 3; i++)
        {
            offerLong(queue, i);
        }
        final List<Long> seen = new ArrayList<>();

        final int consumed = queue.controlledDrain(
            (buffer, offset, length, position) ->
            {
                seen.add(buffer.getLong(offset));
                return 1 == position ? Action.ABORT : Action.CONTINUE;
            },
            CAPACITY);

        assertEquals(1, consumed);
        assertEquals(List.of(0L, 1L), seen);
        assertFalse(other.poll(new UnsafeBuffer(new byte[ELEMENT_SIZE]), 0), "claimed elements stay with the drainer");
        assertEquals(1, pollLong(queue));
        assertEquals(2, pollLong(queue));
        assertFalse(queue.poll(new UnsafeBuffer(new byte[ELEMENT_SIZE]), 0));
    }

    @Test
    void shouldStopAfterBreakAndDeliverTheRestNext()
    {
        final ZeroqQueue queue = shm.track(ZeroqQueue.local(CAPACITY, ELEMENT_SIZE));
        for (int i = 0; i < 3; i++)
        {
            offerLong(queue, i);
        }
        final List<Long> seen = new ArrayList<>();

        assertEquals(1, queue.controlledDrain((buffer, offset, length, position) -> Action.BREAK, CAPACITY));
        assertEquals(2, queue.controlledDrain(
            (buffer, offset, length, position) ->
            {
                seen.add(buffer.getLong(offset));
                return Action.CONTINUE;
            },
            CAPACITY));

        assertEquals(List.of(1L, 2L), seen);
    }

    @Test
    void shouldFreeCommittedCellsForProducersDuringTheDrain()
    {
        final String name = shm.next("zeroq-commit");
        final ZeroqQueue queue = shm.track(ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE));
        final ZeroqQueue producer = shm.track(ZeroqQueue.open(name));
        for (int i = 0; i < CAPACITY; i++)
        {
            offerLong(queue, i);
        }
        final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        final List<Boolean> offered = new ArrayList<>();

        final int consumed = queue.controlledDrain(
            (buffer, offset, length, position) ->
            {
                offered.add(producer.offer(element, 0, ELEMENT_SIZE));
                return 0 == position ? Action.COMMIT : Action.CONTINUE;
            },
            CAPACITY);

        assertEquals(CAPACITY, consumed);
        // The run holds every cell until element 0 is committed; then its cell is free for the next lap.
        assertEquals(List.of(false, true, false, false), offered);
    }

    @Test
    void shouldWaitWithTheConfiguredIdleStrategyAndHonourInterrupts()
    {
        final AtomicInteger idles = new AtomicInteger();
        final ZeroqQueue queue = shm.track(ZeroqQueue.local(CAPACITY, ELEMENT_SIZE, new ZeroqConfig().idleStrategy(
            () -> new CountingIdleStrategy(idles))));
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[ELEMENT_SIZE]);

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> queue.poll(dst, 0, 1, TimeUnit.MINUTES));

        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(1, idles.get());
    }

    @Test
    void shouldSpeakZeroqsPythonDialect() throws InterruptedException
    {
        final ZeroqPyQueue queue = new ZeroqPyQueue(shm.track(ZeroqQueue.local(2, 1)));

        assertTrue(queue.empty());
        assertThrows(QueueEmptyException.class, queue::getNowait);
        assertThrows(QueueEmptyException.class, () -> queue.get(1, TimeUnit.MILLISECONDS));
        queue.putNowait(new byte[]{1});
        queue.put(new byte[]{2}, 1, TimeUnit.MILLISECONDS);
        assertTrue(queue.full());
        assertEquals(2, queue.qsize());
        assertThrows(QueueFullException.class, () -> queue.putNowait(new byte[]{3}));
        assertThrows(QueueFullException.class, () -> queue.put(new byte[]{3}, 1, TimeUnit.MILLISECONDS));
        assertArrayEquals(new byte[]{1}, queue.getNowait());
        assertArrayEquals(new byte[]{2}, queue.get());
        final IllegalArgumentException wrongLength =
            assertThrows(IllegalArgumentException.class, () -> queue.putNowait(new byte[]{1, 2}));
        assertTrue(wrongLength.getMessage().contains("length=2"), wrongLength.getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.putNowait(null));
        assertTrue(queue.empty());
    }

    private static void offerLong(final ZeroqQueue queue, final long value)
    {
        final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        element.putLong(0, value);
        assertTrue(queue.offer(element, 0, ELEMENT_SIZE));
    }

    private static long pollLong(final ZeroqQueue queue)
    {
        final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        assertTrue(queue.poll(element, 0));
        return element.getLong(0);
    }
}
