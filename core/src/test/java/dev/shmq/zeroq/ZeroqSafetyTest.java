package dev.shmq.zeroq;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import dev.shmq.core.TempShm;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safety contract of {@link ZeroqQueue} under misuse: calls after close, someone else's object under our name,
 * bad arguments and throwing handlers never crash, stall the queue or lose an element.
 */
class ZeroqSafetyTest
{
    private static final int CAPACITY = 8;
    private static final int ELEMENT_SIZE = 8;

    private final TempShm shm = new TempShm();

    @AfterEach
    void tearDown()
    {
        shm.close();
    }

    @Test
    void shouldThrowClosedOnEveryCallAfterCloseOfLocalQueue()
    {
        assertEveryCallThrowsClosed(ZeroqQueue.local(CAPACITY, ELEMENT_SIZE), "(local)");
    }

    @Test
    void shouldThrowClosedOnEveryCallAfterCloseOfSharedQueue()
    {
        final String name = shm.next("zeroq-closed");
        assertEveryCallThrowsClosed(shm.track(ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE)), name);
    }

    private static void assertEveryCallThrowsClosed(final ZeroqQueue queue, final String name)
    {
        assertTrue(offer(queue, element(1)));
        queue.close();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        final ZeroqRange range = new ZeroqRange();
        final ZeroqPyQueue py = new ZeroqPyQueue(queue);
        final List<Executable> calls = List.of(
            () -> offer(queue, element(2)),
            () -> queue.offer(buffer, 0, ELEMENT_SIZE),
            () -> poll(queue),
            () -> queue.poll(buffer, 0),
            () -> py.putNowait(element(2)),
            () -> py.getNowait(),
            () -> py.put(element(2), 1, TimeUnit.MILLISECONDS),
            () -> py.get(1, TimeUnit.MILLISECONDS),
            () -> py.get(),
            () -> queue.tryClaim(),
            () -> queue.tryAcquire(),
            () -> queue.commit(0),
            () -> queue.release(0),
            () -> queue.tryClaim(2, range),
            () -> queue.tryAcquire(2, range),
            () -> queue.offerBatch(buffer, 0, 1, range),
            () -> queue.drain((b, o, l, p) -> { }, 4),
            () -> queue.size(),
            () -> queue.isStalled(),
            () -> queue.isHeldByConsumer(),
            () -> queue.unblock());
        for (final Executable call : calls)
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, call);
            assertEquals("zeroq queue " + name + " is closed", ex.getMessage());
        }
    }

    @Test
    void shouldWakeBlockedTakeWithClosed() throws Exception
    {
        final ZeroqQueue queue = ZeroqQueue.local(CAPACITY, ELEMENT_SIZE);
        final CompletableFuture<byte[]> taker = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return new ZeroqPyQueue(queue).get();
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        queue.close();
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> taker.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().endsWith("is closed"), ex.getCause().getMessage());
    }

    @Test
    void shouldNotUnlinkQueueCreatedUnderTheSameNameByAnother()
    {
        final String name = shm.next("zeroq-reused");
        final ZeroqQueue old = shm.track(ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE));
        assertTrue(old.unlink());
        final ZeroqQueue current = shm.track(ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE));
        old.close();
        assertTrue(Files.exists(TempShm.path(name)), "old.close() must leave the new object alone");
        try (ZeroqQueue attached = ZeroqQueue.open(name))
        {
            assertTrue(offer(current, element(7)));
            assertArrayEquals(element(7), poll(attached));
        }
        current.close();
        assertFalse(Files.exists(TempShm.path(name)), "the creator of the live object still unlinks it");
    }

    @Test
    void shouldRejectShortOrMisplacedSourceWithoutClaimingACell()
    {
        final ZeroqQueue queue = ZeroqQueue.local(CAPACITY, ELEMENT_SIZE);
        final UnsafeBuffer shortSource = new UnsafeBuffer(new byte[ELEMENT_SIZE - 1]);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        final ZeroqRange range = new ZeroqRange();

        assertEquals("src offset=0 length=8 (expected 0 <= offset and offset + length <= src.capacity=7)",
            assertThrows(IllegalArgumentException.class, () -> queue.offer(shortSource, 0, ELEMENT_SIZE))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.offer(source, -1, ELEMENT_SIZE));
        assertThrows(IllegalArgumentException.class, () -> queue.offer(source, 1, ELEMENT_SIZE));
        assertThrows(IllegalArgumentException.class, () -> queue.offer(null, 0, ELEMENT_SIZE));
        assertThrows(IllegalArgumentException.class,
            () -> queue.offer(shortSource, 0, ELEMENT_SIZE, 1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalArgumentException.class, () -> new ZeroqPyQueue(queue).putNowait(null));
        assertEquals("src offset=0 length=16 (expected 0 <= offset and offset + length <= src.capacity=8)",
            assertThrows(IllegalArgumentException.class, () -> queue.offerBatch(source, 0, 2, range)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.offerBatch(source, 0, 0, range));

        assertTrue(queue.isEmpty(), "nothing was claimed");
        assertFullCycle(queue);
    }

    @Test
    void shouldRejectShortDestinationWithoutTakingTheElement() throws InterruptedException
    {
        final ZeroqQueue queue = ZeroqQueue.local(CAPACITY, ELEMENT_SIZE);
        assertTrue(offer(queue, element(42)));
        final UnsafeBuffer shortDestination = new UnsafeBuffer(new byte[ELEMENT_SIZE - 1]);

        assertThrows(IllegalArgumentException.class, () -> queue.poll(shortDestination, 0));
        assertThrows(IllegalArgumentException.class, () -> queue.take(shortDestination, 0));
        assertThrows(IllegalArgumentException.class,
            () -> queue.poll(shortDestination, 0, 1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalArgumentException.class, () -> queue.poll(new UnsafeBuffer(new byte[16]), 9));

        assertArrayEquals(element(42), poll(queue), "the element is still there");
        assertFullCycle(queue);
    }

    @Test
    void shouldRejectCommitAndReleaseOfPositionsNotHandedOut()
    {
        final ZeroqQueue queue = ZeroqQueue.local(CAPACITY, ELEMENT_SIZE);
        assertThrows(IllegalArgumentException.class, () -> queue.commit(0), "never claimed");
        assertThrows(IllegalArgumentException.class, () -> queue.commit(5), "never claimed");
        assertThrows(IllegalArgumentException.class, () -> queue.release(0), "never acquired");

        final long claimed = queue.tryClaim();
        queue.buffer().putLong(queue.offset(claimed), 9);
        queue.commit(claimed);
        assertEquals("position=0 (expected one claimed and not yet committed: enqueue_pos=1, cell 0 sequence=1)",
            assertThrows(IllegalArgumentException.class, () -> queue.commit(claimed)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.release(claimed), "committed, not acquired");

        final long acquired = queue.tryAcquire();
        assertEquals(claimed, acquired);
        queue.release(acquired);
        assertThrows(IllegalArgumentException.class, () -> queue.release(acquired), "released twice");

        final ZeroqRange range = new ZeroqRange();
        assertEquals(2, queue.tryClaim(2, range));
        final ZeroqRange tooLong = new ZeroqRange();
        tooLong.set(range.position(), 3);
        assertThrows(IllegalArgumentException.class, () -> queue.commit(tooLong));
        assertEquals(ZeroqQueue.NO_POSITION, queue.tryAcquire(), "the bad range committed nothing");
        queue.commit(range);
        assertEquals(2, queue.tryAcquire(2, range));
        queue.release(range);
        assertFullCycle(queue);
    }

    @Test
    void shouldRejectASecondCommitOrReleaseHoweverThePositionWasFirstCommittedOrReleased()
    {
        final ZeroqQueue queue = ZeroqQueue.local(CAPACITY, ELEMENT_SIZE);
        final ZeroqRange range = new ZeroqRange();

        // a run's last position committed with the run, then alone: the run's claim ended at it
        assertEquals(2, queue.tryClaim(2, range));
        final long last = range.position() + 1;
        queue.commit(range);
        assertThrows(IllegalArgumentException.class, () -> queue.commit(last), "committed with its run");
        assertEquals(2, queue.tryAcquire(2, range));
        queue.release(range);
        assertThrows(IllegalArgumentException.class, () -> queue.release(last), "released with its run");

        // the run's last position committed alone, then with the run
        assertEquals(2, queue.tryClaim(2, range));
        queue.commit(range.position() + 1);
        assertThrows(IllegalArgumentException.class, () -> queue.commit(range), "its last position is committed");
        queue.commit(range.position());
        assertEquals(2, queue.tryAcquire(2, range));
        queue.release(range.position() + 1);
        assertThrows(IllegalArgumentException.class, () -> queue.release(range), "its last position is released");
        queue.release(range.position());

        // two claims outstanding, committed out of order, each once
        final long first = queue.tryClaim();
        final long second = queue.tryClaim();
        queue.commit(first);
        queue.commit(second);
        assertThrows(IllegalArgumentException.class, () -> queue.commit(first));
        assertThrows(IllegalArgumentException.class, () -> queue.commit(second));
        final long acquiredFirst = queue.tryAcquire();
        final long acquiredSecond = queue.tryAcquire();
        queue.release(acquiredSecond);
        queue.release(acquiredFirst);
        assertThrows(IllegalArgumentException.class, () -> queue.release(acquiredFirst));
        assertThrows(IllegalArgumentException.class, () -> queue.release(acquiredSecond));

        assertTrue(queue.isEmpty());
        assertFullCycle(queue);
    }

    @Test
    void shouldDeliverEveryElementWhenDrainHandlerThrows() throws InterruptedException
    {
        final ZeroqQueue queue = ZeroqQueue.local(CAPACITY, ELEMENT_SIZE);
        for (int i = 0; i < CAPACITY; i++)
        {
            assertTrue(offer(queue, element(i)));
        }
        final List<Long> seen = new ArrayList<>();
        final IllegalStateException thrown = new IllegalStateException("handler failed");
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> queue.drain(
            (buffer, offset, length, position) ->
            {
                seen.add(buffer.getLong(offset));
                if (2 == seen.size() - 1)
                {
                    throw thrown;
                }
            },
            CAPACITY));
        assertEquals(thrown, ex);
        assertEquals(List.of(0L, 1L, 2L), seen, "element 2 was handed over when the handler threw");

        // The cells are free for every producer at once: the queue can be filled again while 3..7 are kept back.
        for (int i = 0; i < CAPACITY; i++)
        {
            assertTrue(offer(queue, element(100 + i)), "cell " + i + " free");
        }
        // The kept-back elements come first, in order, through every consuming call.
        assertEquals(2, queue.drain((buffer, offset, length, position) -> seen.add(buffer.getLong(offset)), 2));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seen);
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        assertTrue(queue.poll(destination, 0));
        assertEquals(5L, destination.getLong(0));
        final ZeroqPyQueue py = new ZeroqPyQueue(queue);
        assertEquals(6L, new UnsafeBuffer(py.getNowait()).getLong(0));
        assertEquals(7L, new UnsafeBuffer(py.get()).getLong(0));
        for (int i = 0; i < CAPACITY; i++)
        {
            assertArrayEquals(element(100 + i), poll(queue));
        }
        assertNull(poll(queue));
    }

    @Test
    void shouldNotUseAFreshQueueWhoseCreatorHasNotWrittenItsCellsYet()
    {
        final String name = shm.next("zeroq-rust-order");
        final ShmSegment creator = shm.track(ShmSegment.create(
            ShmName.of(name), ZeroqDescriptor.totalLength(CAPACITY, ELEMENT_SIZE)));
        // As zeroq's Rust creator does: the header first (element_size included), the cells afterwards.
        creator.buffer().putLong(ZeroqDescriptor.BUFFER_MASK_OFFSET, CAPACITY - 1);
        creator.buffer().putLongRelease(ZeroqDescriptor.ELEMENT_SIZE_OFFSET, ELEMENT_SIZE);

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> ZeroqQueue.open(name, new ZeroqConfig().openTimeout(20, TimeUnit.MILLISECONDS)));
        assertEquals("zeroq segment " + name + " cells not initialised: cell 7 sequence=0, cell 1 sequence=0 " +
            "(expected 7 and 1 in a queue never used, within the open timeout)", ex.getMessage());

        for (int i = 0; i < CAPACITY; i++)
        {
            creator.buffer().putLongRelease(ZeroqDescriptor.cellOffset(i), i);
        }
        try (ZeroqQueue opened = ZeroqQueue.open(name, new ZeroqConfig().openTimeout(20, TimeUnit.MILLISECONDS)))
        {
            assertFullCycle(opened);
        }
    }

    @Test
    void shouldResolveNamesInTheConfiguredDirectoryOfBothQueues() throws IOException
    {
        final Path directory = Files.createTempDirectory(ShmName.defaultDirectory(), "shmq-test-dir-");
        final String name = "shmq-test-in-dir";
        try
        {
            final ZeroqConfig zeroqConfig = new ZeroqConfig().directory(directory);
            try (ZeroqQueue created = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE, zeroqConfig);
                ZeroqQueue opened = ZeroqQueue.open(name, zeroqConfig))
            {
                assertTrue(Files.isRegularFile(directory.resolve(name)));
                assertFalse(Files.exists(TempShm.path(name)), "nothing in the default directory");
                assertTrue(offer(created, element(5)));
                assertArrayEquals(element(5), poll(opened));
            }
            assertFalse(Files.exists(directory.resolve(name)), "the creator unlinked it in the directory");

            final SlickConfig slickConfig = new SlickConfig().directory(directory);
            try (SlickQueue created = SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE, slickConfig);
                SlickQueue opened = SlickQueue.open(name, ELEMENT_SIZE, slickConfig))
            {
                assertTrue(created.isCreator() && !opened.isCreator());
                assertTrue(Files.isRegularFile(directory.resolve(name)));
            }
            assertFalse(Files.exists(directory.resolve(name)));
        }
        finally
        {
            Files.deleteIfExists(directory.resolve(name));
            Files.delete(directory);
        }
    }

    /** Fills the queue to capacity and empties it: proves no cell is held. */
    private static void assertFullCycle(final ZeroqQueue queue)
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            assertTrue(offer(queue, element(i)), "cell " + i + " free");
        }
        assertFalse(offer(queue, element(99)));
        for (int i = 0; i < CAPACITY; i++)
        {
            assertArrayEquals(element(i), poll(queue));
        }
        assertNull(poll(queue));
    }

    /** What the removed {@code offer(byte[])} did: offers the array's bytes. */
    private static boolean offer(final ZeroqQueue queue, final byte[] item)
    {
        return queue.offer(new UnsafeBuffer(item), 0, item.length);
    }

    /** What the removed {@code poll()} returned: the next element in a new array, or null if none is ready. */
    private static byte[] poll(final ZeroqQueue queue)
    {
        final byte[] item = new byte[queue.elementSize()];
        return queue.poll(new UnsafeBuffer(item), 0) ? item : null;
    }

    private static byte[] element(final long value)
    {
        final byte[] bytes = new byte[ELEMENT_SIZE];
        new UnsafeBuffer(bytes).putLong(0, value);
        return bytes;
    }
}
