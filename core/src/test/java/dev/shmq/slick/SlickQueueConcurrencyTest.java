package dev.shmq.slick;

import dev.shmq.core.TempShm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlickQueueConcurrencyTest
{
    private static final int PRODUCERS = 3;
    private static final int ENTRIES_PER_PRODUCER = Integer.getInteger("shmq.test.slick.entries", 20_000);
    private static final int ELEMENT_SIZE = 16;
    private static final int PRODUCER_ID_OFFSET = 0;
    private static final int SEQUENCE_OFFSET = 8;

    private final TempShm shm = new TempShm();

    @AfterEach
    void after()
    {
        shm.close();
    }

    /** Every entry: producer id and sequence in the first element, the sequence again in each further element. */
    private static void produce(final SlickQueue queue, final int producerId, final int entries, final boolean batches)
    {
        int sequence = 0;
        while (sequence < entries)
        {
            final int mode = sequence % 4;
            if (batches && 3 == mode && sequence + 3 <= entries)
            {
                final long first = queue.reserveBatch(3);
                for (int i = 0; i < 3; i++)
                {
                    write(queue, first + i, producerId, sequence++);
                }
                queue.publishBatch(first, 3);
                continue;
            }
            final int n = 0 == mode ? 1 : 1 + (sequence % 3);
            final long index = 1 == n ? queue.reserve() : queue.reserve(n);
            write(queue, index, producerId, sequence);
            for (int i = 1; i < n; i++)
            {
                queue.buffer().putLong(queue.offset(index + i) + SEQUENCE_OFFSET, sequence);
            }
            queue.publish(index, n);
            sequence++;
        }
    }

    private static void write(final SlickQueue queue, final long index, final int producerId, final int sequence)
    {
        queue.buffer().putInt(queue.offset(index) + PRODUCER_ID_OFFSET, producerId);
        queue.buffer().putLong(queue.offset(index) + SEQUENCE_OFFSET, sequence);
    }

    @Test
    void shouldDeliverEveryEntryInEachProducersOrderToBroadcastReaders() throws Exception
    {
        final String name = shm.next("slick");
        // Room for every element (entries have at most 3): readers are never lapped, so nothing may be lost.
        final int capacity = Integer.highestOneBit(PRODUCERS * ENTRIES_PER_PRODUCER * 3) << 1;
        final SlickQueue creator = shm.track(SlickQueue.createOrOpen(name, capacity, ELEMENT_SIZE));
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();

        for (int p = 0; p < PRODUCERS; p++)
        {
            final int producerId = p;
            final SlickQueue mapping = shm.track(SlickQueue.open(name, ELEMENT_SIZE));
            threads.add(new Thread(() -> run(failure, () ->
            {
                start.await();
                produce(mapping, producerId, ENTRIES_PER_PRODUCER, 1 == producerId);
            })));
        }
        final SlickQueue readerMapping = shm.track(SlickQueue.open(name, ELEMENT_SIZE));
        final int[][] lastSeen = new int[2][PRODUCERS];
        for (int r = 0; r < 2; r++)
        {
            final SlickQueue queue = 0 == r ? readerMapping : creator;
            final int[] last = lastSeen[r];
            threads.add(new Thread(() -> run(failure, () ->
            {
                java.util.Arrays.fill(last, -1);
                final SlickCursor cursor = new SlickCursor();
                final SlickEntry entry = new SlickEntry();
                int received = 0;
                start.await();
                while (received < PRODUCERS * ENTRIES_PER_PRODUCER && null == failure.get())
                {
                    if (!queue.read(cursor, entry))
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    final int producerId = queue.buffer().getInt(entry.offset() + PRODUCER_ID_OFFSET);
                    final long sequence = queue.buffer().getLong(entry.offset() + SEQUENCE_OFFSET);
                    assertEquals(last[producerId] + 1, sequence, "producer " + producerId + " order");
                    for (int i = 1; i < entry.count(); i++)
                    {
                        assertEquals(sequence, queue.buffer().getLong(entry.offset() + i * ELEMENT_SIZE +
                            SEQUENCE_OFFSET));
                    }
                    last[producerId] = (int)sequence;
                    received++;
                }
                assertEquals(0, cursor.lossCount());
            })));
        }

        threads.forEach(Thread::start);
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertNull(failure.get());
        for (final int[] last : lastSeen)
        {
            for (int p = 0; p < PRODUCERS; p++)
            {
                assertEquals(ENTRIES_PER_PRODUCER - 1, last[p]);
            }
        }
        assertEquals(0, creator.lossCount());
    }

    @Test
    void shouldGiveEveryEntryToExactlyOneOfFourStealersWithLocalCursor() throws Exception
    {
        final SlickQueue queue = SlickQueue.local(1 << 16, ELEMENT_SIZE);
        final AtomicCursor cursor = AtomicCursor.local();
        assertFalse(cursor.isShared());
        shouldStealEveryEntryExactlyOnce(queue, queue, cursor, cursor);
    }

    @Test
    void shouldGiveEveryEntryToExactlyOneOfFourStealersWithSharedCursor() throws Exception
    {
        final String name = shm.next("slick");
        final String cursorName = shm.next("slick");
        final SlickQueue producer = shm.track(SlickQueue.createOrOpen(name, 1 << 16, ELEMENT_SIZE));
        final SlickQueue consumers = shm.track(SlickQueue.open(name, ELEMENT_SIZE));
        final AtomicCursor created = shm.track(AtomicCursor.create(cursorName));
        final AtomicCursor opened = shm.track(AtomicCursor.open(cursorName));
        assertTrue(opened.isShared());
        assertEquals(0, opened.load());
        shouldStealEveryEntryExactlyOnce(producer, consumers, created, opened);
        assertTrue(created.unlink());
    }

    private static void shouldStealEveryEntryExactlyOnce(
        final SlickQueue producer, final SlickQueue consumers, final AtomicCursor first, final AtomicCursor second)
        throws Exception
    {
        final int entries = 40_000;
        final AtomicIntegerArray claims = new AtomicIntegerArray(entries);
        final AtomicInteger claimed = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        final int[] perStealer = new int[4];
        threads.add(new Thread(() -> run(failure, () -> produce(producer, 0, entries, true))));
        for (int s = 0; s < 4; s++)
        {
            final int stealer = s;
            final AtomicCursor cursor = 0 == s % 2 ? first : second;
            threads.add(new Thread(() -> run(failure, () ->
            {
                final SlickEntry entry = new SlickEntry();
                while (claimed.get() < entries && null == failure.get())
                {
                    if (!consumers.read(cursor, entry))
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    final int sequence = (int)consumers.buffer().getLong(entry.offset() + SEQUENCE_OFFSET);
                    claims.incrementAndGet(sequence);
                    claimed.incrementAndGet();
                    perStealer[stealer]++;
                }
            })));
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertNull(failure.get());
        assertEquals(entries, claimed.get());
        for (int i = 0; i < entries; i++)
        {
            assertEquals(1, claims.get(i), "entry " + i);
        }
        assertEquals(0, consumers.lossCount());
        assertFalse(consumers.read(first, new SlickEntry()));
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private static void run(final AtomicReference<Throwable> failure, final Body body)
    {
        try
        {
            body.run();
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }
}
