package dev.shmq.zeroq;

import dev.shmq.core.ShmMissingException;
import dev.shmq.core.TempShm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.shmq.zeroq.ZeroqDescriptor.DEQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.ENQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.cellOffset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZeroqQueueTest
{
    private final TempShm shm = new TempShm();

    @AfterEach
    void removeSegments()
    {
        shm.close();
    }

    private static byte[] item(final int elementSize, final long value)
    {
        final byte[] bytes = new byte[elementSize];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        return bytes;
    }

    private static long value(final byte[] item)
    {
        return ByteBuffer.wrap(item).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
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

    @Test
    void shouldWriteByteExactHeaderOnCreate()
    {
        final String name = shm.next("zq-header");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 8, 24))
        {
            assertTrue(queue.isCreator());
            final ByteBuffer file = ByteBuffer.wrap(TempShm.bytes(name)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(32 + 8 * 8 + 24 * 8, file.capacity());
            assertEquals(24, file.getLong(0));
            assertEquals(7, file.getLong(8));
            assertEquals(0, file.getLong(16));
            assertEquals(0, file.getLong(24));
            for (int i = 0; i < 8; i++)
            {
                assertEquals(i, file.getLong(32 + 8 * i), "cell " + i);
            }
        }
    }

    @Test
    void shouldPlaceElementsWhereTheSpecSays()
    {
        final String name = shm.next("zq-data");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 4, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            py.putNowait(item(8, 0x1122334455667788L));
            py.putNowait(item(8, 42));
            final ByteBuffer file = ByteBuffer.wrap(TempShm.bytes(name)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(2, file.getLong(16), "enqueue_pos");
            assertEquals(1, file.getLong(32), "cell 0 committed as pos + 1");
            assertEquals(2, file.getLong(40), "cell 1 committed as pos + 1");
            assertEquals(0x1122334455667788L, file.getLong(32 + 8 * 4));
            assertEquals(42, file.getLong(32 + 8 * 4 + 8));

            assertEquals(0x1122334455667788L, value(py.getNowait()));
            final ByteBuffer after = ByteBuffer.wrap(TempShm.bytes(name)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(1, after.getLong(24), "dequeue_pos");
            assertEquals(0 + 3 + 1, after.getLong(32), "cell 0 released as pos + mask + 1");
        }
    }

    @Test
    void shouldKeepFifoOrderAndReportFullAndEmpty()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 16))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            assertTrue(queue.isEmpty());
            for (int i = 0; i < 4; i++)
            {
                assertTrue(offer(queue, item(16, i)));
            }
            assertTrue(queue.isFull());
            assertEquals(4, queue.size());
            assertFalse(offer(queue, item(16, 99)));
            final QueueFullException full = assertThrows(QueueFullException.class, () -> py.putNowait(item(16, 9)));
            assertTrue(full.getMessage().contains("capacity=4"), full.getMessage());
            for (int i = 0; i < 4; i++)
            {
                assertEquals(i, value(py.getNowait()));
            }
            assertNull(poll(queue));
            assertThrows(QueueEmptyException.class, py::getNowait);
            assertEquals(0, queue.size());
        }
    }

    @Test
    void shouldRejectElementOfWrongLengthNamingBoth()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 16))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> py.putNowait(new byte[15]));
            assertEquals("item length=15 (expected elementSize=16)", ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> queue.offer(new UnsafeBuffer(new byte[32]), 0, 17));
            assertTrue(queue.isEmpty());
        }
    }

    @Test
    void shouldRaiseFullAndEmptyWhenTimeoutPasses() throws InterruptedException
    {
        try (ZeroqQueue queue = ZeroqQueue.local(2, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            assertThrows(QueueEmptyException.class, () -> py.get(2, TimeUnit.MILLISECONDS));
            py.put(item(8, 1), 1, TimeUnit.SECONDS);
            py.put(item(8, 2), 1, TimeUnit.SECONDS);
            assertThrows(QueueFullException.class, () -> py.put(item(8, 3), 2, TimeUnit.MILLISECONDS));
            assertFalse(queue.offer(new UnsafeBuffer(item(8, 3)), 0, 8, 0, TimeUnit.NANOSECONDS));
            assertEquals(1, value(py.get(1, TimeUnit.SECONDS)));
        }
    }

    @Test
    void shouldThrowInterruptedFromBlockedTake()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(2, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, py::get);
            assertFalse(Thread.currentThread().isInterrupted(), "interrupt status consumed by the exception");
        }
    }

    @Test
    void shouldInterruptThreadWaitingInTake() throws Exception
    {
        try (ZeroqQueue queue = ZeroqQueue.local(2, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            final CountDownLatch started = new CountDownLatch(1);
            final Thread taker = new Thread(() ->
            {
                started.countDown();
                assertThrows(InterruptedException.class, py::get);
            });
            taker.start();
            started.await();
            taker.interrupt();
            taker.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(taker.isAlive());
        }
    }

    @Test
    void shouldWakeBlockedTakeWhenElementArrives() throws Exception
    {
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try (ZeroqQueue queue = ZeroqQueue.local(2, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            final Future<byte[]> taken = executor.submit(() -> py.get());
            py.put(item(8, 77));
            assertEquals(77, value(taken.get(30, TimeUnit.SECONDS)));
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldWriteAndReadInPlace()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 64))
        {
            final long claimed = queue.tryClaim();
            assertEquals(0, claimed);
            queue.buffer().putLong(queue.offset(claimed), 123);
            queue.buffer().putLong(queue.offset(claimed) + 56, 456);
            assertEquals(ZeroqQueue.NO_POSITION, queue.tryAcquire(), "invisible until committed");
            assertTrue(queue.isStalled(), "claimed but uncommitted head is a stall, not emptiness");
            queue.commit(claimed);
            assertFalse(queue.isStalled());

            final long acquired = queue.tryAcquire();
            assertEquals(0, acquired);
            assertEquals(123, queue.buffer().getLong(queue.offset(acquired)));
            assertEquals(456, queue.buffer().getLong(queue.offset(acquired) + 56));
            queue.release(acquired);
            assertTrue(queue.isEmpty());
            assertFalse(queue.isStalled());
        }
    }

    @Test
    void shouldClaimBatchWithOneMoveOfEnqueuePosition()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(8, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            final ZeroqRange range = new ZeroqRange();
            assertEquals(5, queue.tryClaim(5, range));
            assertEquals(0, range.position());
            assertEquals(5, queue.buffer().getLong(ENQUEUE_POS_OFFSET));
            for (int i = 0; i < 5; i++)
            {
                queue.buffer().putLong(queue.offset(range.position() + i), 100 + i);
            }
            queue.commit(range);

            assertEquals(3, queue.tryClaim(10, range), "only the free cells are claimed");
            assertEquals(5, range.position());
            queue.commit(range);
            assertEquals(0, queue.tryClaim(1, range));

            for (int i = 0; i < 5; i++)
            {
                assertEquals(100 + i, value(py.getNowait()), "single-element consumer sees batch in order");
            }
            final List<Long> drained = new ArrayList<>();
            assertEquals(3, queue.drain(
                (buffer, offset, length, position) -> drained.add(buffer.getLong(offset)), 8));
            assertEquals(8, queue.buffer().getLong(DEQUEUE_POS_OFFSET));
            assertEquals(3, drained.size());
            assertEquals(0, queue.drain((buffer, offset, length, position) -> drained.add(-1L), 8));
        }
    }

    @Test
    void shouldOfferBatchFromContiguousElements()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 8))
        {
            final UnsafeBuffer src = new UnsafeBuffer(new byte[8 * 6]);
            for (int i = 0; i < 6; i++)
            {
                src.putLong(i * 8, i);
            }
            final ZeroqRange range = new ZeroqRange();
            assertEquals(4, queue.offerBatch(src, 0, 6, range));
            assertEquals(0, queue.offerBatch(src, 32, 2, range));
            final ZeroqRange taken = new ZeroqRange();
            assertEquals(2, queue.tryAcquire(2, taken));
            assertEquals(1, queue.buffer().getLong(queue.offset(taken.position() + 1)));
            queue.release(taken);
            assertEquals(2, queue.offerBatch(src, 32, 2, range));
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            for (long expected = 2; expected < 6; expected++)
            {
                assertEquals(expected, value(py.getNowait()));
            }
        }
    }

    @Test
    void shouldDeliverEveryElementExactlyOnceAcrossThreadsKeepingEachProducersOrder() throws Exception
    {
        final int producers = 4;
        final int consumers = 4;
        final int perProducer = 50_000;
        final ExecutorService executor = Executors.newFixedThreadPool(producers + consumers);
        try (ZeroqQueue queue = ZeroqQueue.local(64, 16))
        {
            final List<Future<long[]>> results = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final int producer = p;
                executor.submit(() ->
                {
                    final UnsafeBuffer element = new UnsafeBuffer(new byte[16]);
                    final ZeroqRange range = new ZeroqRange();
                    for (int seq = 0; seq < perProducer; )
                    {
                        if (producer % 2 == 0)
                        {
                            element.putLong(0, producer);
                            element.putLong(8, seq);
                            queue.put(element, 0, 16);
                            seq++;
                        }
                        else
                        {
                            final int claimed = queue.tryClaim(Math.min(7, perProducer - seq), range);
                            for (int i = 0; i < claimed; i++)
                            {
                                final int offset = queue.offset(range.position() + i);
                                queue.buffer().putLong(offset, producer);
                                queue.buffer().putLong(offset + 8, seq + i);
                            }
                            queue.commit(range);
                            seq += claimed;
                        }
                    }
                    return null;
                });
            }
            final AtomicLong remaining = new AtomicLong((long)producers * perProducer);
            for (int c = 0; c < consumers; c++)
            {
                final int consumer = c;
                results.add(executor.submit(() ->
                {
                    final long[] counts = new long[producers];
                    final long[] last = new long[producers];
                    Arrays.fill(last, -1);
                    final UnsafeBuffer element = new UnsafeBuffer(new byte[16]);
                    while (remaining.get() > 0)
                    {
                        if (consumer % 2 == 0)
                        {
                            if (queue.poll(element, 0, 1, TimeUnit.MILLISECONDS))
                            {
                                record(element.getLong(0), element.getLong(8), counts, last);
                                remaining.decrementAndGet();
                            }
                        }
                        else
                        {
                            final int taken = queue.drain(
                                (buffer, offset, length, position) ->
                                    record(buffer.getLong(offset), buffer.getLong(offset + 8), counts, last),
                                5);
                            remaining.addAndGet(-taken);
                        }
                    }
                    return counts;
                }));
            }
            final long[] total = new long[producers];
            for (final Future<long[]> result : results)
            {
                final long[] counts = result.get(60, TimeUnit.SECONDS);
                for (int p = 0; p < producers; p++)
                {
                    total[p] += counts[p];
                }
            }
            for (int p = 0; p < producers; p++)
            {
                assertEquals(perProducer, total[p], "producer " + p);
            }
            assertTrue(queue.isEmpty());
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    private static void record(final long producer, final long seq, final long[] counts, final long[] last)
    {
        final int p = (int)producer;
        if (seq <= last[p])
        {
            throw new AssertionError("producer " + p + " seq " + seq + " after " + last[p]);
        }
        last[p] = seq;
        counts[p]++;
    }

    @Test
    void shouldUnblockPositionClaimedByDeadProducerWithoutLosingCommittedElements()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            py.putNowait(item(8, 1));
            final long dead = queue.tryClaim();
            py.putNowait(item(8, 3));
            assertFalse(queue.unblock(), "the head is committed: nothing to recover yet");

            assertEquals(1, value(py.getNowait()));
            assertNull(poll(queue), "the dead producer's cell hides the committed element behind it");
            assertTrue(queue.isStalled());

            assertTrue(queue.unblock());
            assertFalse(queue.isStalled());
            assertEquals(3, value(py.getNowait()), "committed element after the stall is delivered");
            assertNull(poll(queue));
            assertFalse(queue.unblock());

            for (int i = 0; i < 4; i++)
            {
                assertTrue(offer(queue, item(8, 10 + i)), "the skipped cell is reusable on the next lap");
            }
            for (int i = 0; i < 4; i++)
            {
                assertEquals(10 + i, value(py.getNowait()));
            }
            assertEquals(1, dead, "the dead claim was position 1");
        }
    }

    @Test
    void shouldStillRejectPositionsNeverHandedOutOnceClaimsHaveMovedOn()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 8))
        {
            for (int i = 0; i < 3; i++)
            {
                queue.commit(queue.tryClaim());
                queue.release(queue.tryAcquire());
            }
            // positions 0..2 went by; 3 is free for its producer (its cell reads 3) but was never claimed
            assertThrows(IllegalArgumentException.class, () -> queue.commit(3), "never claimed");
            assertThrows(IllegalArgumentException.class, () -> queue.commit(2), "committed already");
            assertThrows(IllegalArgumentException.class, () -> queue.commit(-1), "no position");
            assertThrows(IllegalArgumentException.class, () -> queue.release(3), "never acquired");
            assertThrows(IllegalArgumentException.class, () -> queue.release(2), "released already");
            assertThrows(IllegalArgumentException.class, () -> queue.release(-1), "no position");
            final long next = queue.tryClaim();
            assertEquals(3, next);
            queue.commit(next);
            assertEquals(3, queue.tryAcquire());
            queue.release(3);
        }
    }

    @Test
    void shouldCommitAndReleaseAPositionAnotherInstanceClaimed()
    {
        final String name = shm.next("zq-other-instance");
        try (ZeroqQueue claimer = ZeroqQueue.create(name, 4, 8);
            ZeroqQueue committer = ZeroqQueue.open(name))
        {
            final long claimed = claimer.tryClaim();
            committer.commit(claimed);
            final long acquired = claimer.tryAcquire();
            committer.release(acquired);
            assertEquals(0, committer.size());
            assertThrows(IllegalArgumentException.class, () -> committer.release(acquired), "released already");
        }
    }

    @Test
    void shouldNameTheNewestClaimOnlyWhileItIsUncommitted()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 8))
        {
            assertEquals(ZeroqQueue.NO_POSITION, queue.newestUncommittedClaim(), "nothing claimed yet");
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            py.putNowait(item(8, 1));
            assertEquals(ZeroqQueue.NO_POSITION, queue.newestUncommittedClaim(), "position 0 is committed");
            final long dead = queue.tryClaim();
            assertEquals(dead, queue.newestUncommittedClaim());
            assertEquals(1, value(py.getNowait()));
            assertEquals(dead, queue.newestUncommittedClaim(), "still uncommitted once consumers reach it");
        }
    }

    @Test
    void shouldSkipAKnownDeadClaimOnlyOnceConsumersWaitOnIt()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            py.putNowait(item(8, 1));
            final long dead = queue.tryClaim();
            py.putNowait(item(8, 3));
            assertFalse(queue.unblock(dead), "consumers have not reached the dead claim: nothing to do yet");
            assertEquals(3, queue.size(), "nothing was skipped");

            assertEquals(1, value(py.getNowait()));
            assertNull(poll(queue), "consumers wait on the dead claim");
            assertTrue(queue.unblock(dead));
            assertEquals(3, value(py.getNowait()), "the element behind the dead claim is delivered");
            assertTrue(queue.unblock(dead), "a position already passed no longer blocks");
            assertNull(poll(queue));
        }
    }

    @Test
    void shouldLeaveAClaimCommittedMeanwhileAlone()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 8))
        {
            final long slow = queue.tryClaim();
            queue.buffer().putLong(queue.offset(slow), 7);
            queue.commit(slow);
            assertTrue(queue.unblock(slow), "committed: it does not block consumers");
            assertEquals(1, queue.size(), "and it was not skipped");
            assertEquals(7, value(new ZeroqPyQueue(queue).getNowait()));
        }
    }

    @Test
    void shouldRefuseToUnblockAPositionNeverClaimed()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            py.putNowait(item(8, 1));
            final IllegalArgumentException ahead = assertThrows(IllegalArgumentException.class, () -> queue.unblock(1));
            assertTrue(ahead.getMessage().contains("position=1") && ahead.getMessage().contains("enqueue_pos=1"),
                ahead.getMessage());
            assertThrows(IllegalArgumentException.class, () -> queue.unblock(-1));
            for (int i = 0; i < 4; i++)
            {
                assertEquals(1 + i, value(py.getNowait()));
                py.putNowait(item(8, 2 + i));
            }
            assertTrue(queue.unblock(0), "a position a lap behind was passed long ago");
            assertEquals(1, queue.size(), "and nothing was skipped");
        }
    }

    @Test
    void shouldUnblockCellHeldByDeadConsumer()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(2, 8))
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);
            py.putNowait(item(8, 1));
            py.putNowait(item(8, 2));
            final long held = queue.tryAcquire();
            assertEquals(2, value(py.getNowait()));
            assertFalse(offer(queue, item(8, 3)), "position 2 needs the cell the dead consumer holds");
            assertTrue(queue.isHeldByConsumer());
            assertFalse(queue.isStalled());

            assertTrue(queue.unblock());
            assertFalse(queue.isHeldByConsumer());
            assertTrue(offer(queue, item(8, 3)));
            assertEquals(3, value(py.getNowait()));
            assertEquals(0, held);
        }
    }

    @Test
    void shouldOpenReadingElementSizeAndCapacityFromHeader()
    {
        final String name = shm.next("zq-open");
        try (ZeroqQueue creator = ZeroqQueue.create(name, 16, 12);
            ZeroqQueue opener = ZeroqQueue.open(name))
        {
            assertTrue(creator.isCreator());
            assertFalse(opener.isCreator());
            assertEquals(16, opener.capacity());
            assertEquals(12, opener.elementSize());
            new ZeroqPyQueue(opener).putNowait(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
            assertArrayEquals(
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new ZeroqPyQueue(creator).getNowait());
        }
        assertFalse(Files.exists(TempShm.path(name)), "creator unlinks on close");
    }

    @Test
    void shouldNotUnlinkWhenOpenerClosesOrWhenConfiguredNotTo()
    {
        final String name = shm.next("zq-unlink");
        final ZeroqQueue creator = ZeroqQueue.create(name, 2, 8, new ZeroqConfig().unlinkOnClose(false));
        ZeroqQueue.open(name).close();
        assertTrue(Files.exists(TempShm.path(name)));
        creator.close();
        creator.close();
        assertTrue(Files.exists(TempShm.path(name)));
        try (ZeroqQueue reopened = ZeroqQueue.open(name))
        {
            assertTrue(reopened.unlink());
        }
        assertFalse(Files.exists(TempShm.path(name)));
    }

    @Test
    void shouldFailToCreateWhenNameExists()
    {
        final String name = shm.next("zq-exists");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 2, 8))
        {
            assertEquals(name, queue.name());
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> ZeroqQueue.create(name, 2, 8));
            assertTrue(ex.getMessage().contains("already exists"), ex.getMessage());
        }
    }

    @Test
    void shouldRejectBadArgumentsNamingValueAndLimit()
    {
        final String name = shm.next("zq-bad");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroqQueue.create(name, 3, 8))
            .getMessage().startsWith("capacity=3 (expected a power of two"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroqQueue.create(name, 1, 8))
            .getMessage().startsWith("capacity=1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroqQueue.create(name, 4, 0))
            .getMessage().startsWith("elementSize=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroqQueue.create(name, 1 << 30, 1 << 20))
            .getMessage().contains("expected at most 2147483647"));
        assertThrows(IllegalArgumentException.class, () -> ZeroqQueue.create("a/b", 4, 8));
        assertFalse(shm.anyExists(), "nothing created");
    }

    @Test
    void shouldFailToOpenMissingName()
    {
        final String name = shm.next("zq-missing");
        final ShmMissingException ex = assertThrows(ShmMissingException.class, () -> ZeroqQueue.open(name));
        assertTrue(ex.getMessage().contains(name), ex.getMessage());
    }

    @Test
    void shouldRejectHeaderThatDisagreesWithObjectLengthWithoutWriting()
    {
        assertRejected(header(8, 7, 0, 0, 32 + 8 * 8 + 8 * 8 - 1), "length=159 (expected 160");
        assertRejected(header(8, 6, 0, 0, 32 + 7 * 16), "power of two");
        assertRejected(header(0x7FFF_FFFF_FFFFL, 7, 0, 0, 200), "element_size=");
        assertRejected(header(-1L, 7, 0, 0, 200), "element_size=18446744073709551615");
        assertRejected(header(8, -1L, 0, 0, 200), "buffer_mask=18446744073709551615");
        assertRejected(header(8, 3, 9, 2, 32 + 4 * 16), "enqueue_pos=9, dequeue_pos=2");
        assertRejected(header(8, 3, 2, 3, 32 + 4 * 16), "enqueue_pos=2, dequeue_pos=3");
        assertRejected(header(8, 3, 0, 0, 20), "length=20");
    }

    private static byte[] header(
        final long elementSize, final long mask, final long enqueue, final long dequeue, final int length)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        if (length >= 32)
        {
            bytes.putLong(0, elementSize).putLong(8, mask).putLong(16, enqueue).putLong(24, dequeue);
        }
        return bytes.array();
    }

    private void assertRejected(final byte[] content, final String expectedMessagePart)
    {
        final String name = shm.next("zq-corrupt");
        TempShm.write(name, ByteBuffer.wrap(content));
        final IllegalStateException ex = assertThrows(
            IllegalStateException.class,
            () -> ZeroqQueue.open(name, new ZeroqConfig().openTimeout(5, TimeUnit.MILLISECONDS)));
        assertTrue(ex.getMessage().contains(expectedMessagePart), ex.getMessage());
        assertArrayEquals(content, TempShm.bytes(name), "nothing written");
    }

    @Test
    void shouldFailRatherThanSpinOnCorruptCell()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(4, 8))
        {
            queue.buffer().putLong(cellOffset(0), 1_000);
            final IllegalStateException onClaim = assertThrows(IllegalStateException.class, queue::tryClaim);
            assertTrue(onClaim.getMessage().contains("sequence=1000"), onClaim.getMessage());
            assertThrows(IllegalStateException.class, queue::tryAcquire);
        }
    }
}
