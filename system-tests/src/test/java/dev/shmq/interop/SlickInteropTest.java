package dev.shmq.interop;

import dev.shmq.core.CheckedPayload;
import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.PeerLines;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.testkit.ShmqPeers;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SlickQueue v1.4.0 across processes with a native peer written in C++ from the spec ({@code slick_peer.cpp} over
 * {@code slick_queue.hpp}, the same struct definitions as the Java descriptors).
 */
@ExtendWith(ShmTestExtension.class)
class SlickInteropTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int ELEMENT_SIZE = CheckedPayload.MIN_LENGTH;
    private static final String ESIZE = Integer.toString(ELEMENT_SIZE);

    /** How {@link #consume} waits between reads. */
    private static final SlickConfig YIELDING = new SlickConfig().idleStrategy(YieldingIdleStrategy::new);

    private static NativePeer peer;

    @BeforeAll
    static void compilePeer()
    {
        peer = ShmqPeers.slick();
    }

    /** Publishes checked entries of n elements; n = 1 takes the fetch_add path, n > 1 the CAS path. */
    private static void produce(final SlickQueue queue, final long producer, final long count, final int n)
    {
        for (long sequence = 0; sequence < count; sequence++)
        {
            final long index = 1 == n ? queue.reserve() : queue.reserve(n);
            CheckedPayload.fill(queue.buffer(), queue.offset(index), n * queue.elementSize(), producer, sequence);
            queue.publish(index, n);
        }
    }

    /** Reads with an own cursor until {@code count} entries arrived, checking content and each producer's order. */
    private static Map<Long, Long> consume(final SlickQueue queue, final SlickCursor cursor, final long count)
        throws InterruptedException
    {
        final Map<Long, Long> next = new HashMap<>();
        final SlickEntry entry = new SlickEntry();
        for (long i = 0; i < count; i++)
        {
            assertTrue(queue.read(cursor, entry, DEADLINE.toNanos(), TimeUnit.NANOSECONDS),
                "entry " + i + " of " + count);
            CheckedPayload.verify(queue.buffer(), entry.offset(), entry.length());
            final long producer = CheckedPayload.producer(queue.buffer(), entry.offset());
            final long sequence = CheckedPayload.sequence(queue.buffer(), entry.offset());
            final long expected = next.getOrDefault(producer, 0L);
            assertEquals(expected, sequence, "producer " + producer + " order at index " + entry.index());
            next.put(producer, sequence + 1);
        }
        return next;
    }

    @Test
    void shouldLetCppCreateJavaProduceAndCppRead(final ShmTestNames names)
    {
        final String name = names.next("slick-cpp-creates");
        final int count = 10_000;
        try (ChildProcess creator = peer.start("create", name, "65536", ESIZE))
        {
            assertTrue(creator.awaitLine("READY", DEADLINE).contains("initialiser=1"), creator.describe());
            try (ChildProcess reader = peer.start("consume", name, ESIZE, Integer.toString(count));
                SlickQueue queue = SlickQueue.open(name, ELEMENT_SIZE))
            {
                reader.awaitLine("READY", DEADLINE);
                assertFalse(queue.isCreator());
                assertEquals(65536, queue.capacity());
                for (long sequence = 0; sequence < count; sequence++)
                {
                    final int n = 0 == sequence % 2 ? 1 : 3;
                    final long index = 1 == n ? queue.reserve() : queue.reserve(n);
                    CheckedPayload.fill(queue.buffer(), queue.offset(index), n * ELEMENT_SIZE, 5, sequence);
                    queue.publish(index, n);
                }
                final Map<String, Long> done = PeerLines.numbers(reader.awaitLine("DONE", DEADLINE));
                assertEquals(count, done.get("read"), reader.describe());
                assertEquals(0, done.get("lost"));
                assertEquals(count, done.get("p5"));
                assertEquals(0, reader.waitFor(DEADLINE), reader.describe());
            }
            creator.send("exit");
            assertEquals(0, creator.waitFor(DEADLINE), creator.describe());
        }
    }

    @Test
    void shouldLetJavaCreateCppProduceAndJavaRead(final ShmTestNames names) throws InterruptedException
    {
        final String name = names.next("slick-java-creates");
        final int count = 10_000;
        try (SlickQueue queue = SlickQueue.createOrOpen(name, 65536, ELEMENT_SIZE, YIELDING);
            ChildProcess single = peer.start("produce", name, ESIZE, Integer.toString(count), "1", "1");
            ChildProcess multi = peer.start("produce", name, ESIZE, Integer.toString(count), "2", "4"))
        {
            assertTrue(queue.isCreator());
            final SlickCursor cursor = new SlickCursor();
            final Map<Long, Long> next = consume(queue, cursor, 2L * count);
            assertEquals(Map.of(1L, (long)count, 2L, (long)count), next);
            assertEquals(0, cursor.lossCount());
            assertEquals(0, single.waitFor(DEADLINE), single.describe());
            assertEquals(0, multi.waitFor(DEADLINE), multi.describe());
            queue.unlink();
        }
    }

    @Test
    void shouldKeepEveryProducersOrderWithCppAndJavaProducersMixingReservePaths(final ShmTestNames names)
        throws Exception
    {
        final String name = names.next("slick-mixed");
        final int count = 10_000;
        final ExecutorService executor = Executors.newCachedThreadPool();
        // Large enough that nobody is lapped: 4 producers x 10,000 entries of 1, 4, 1 and 3 elements.
        try (SlickQueue queue = SlickQueue.createOrOpen(name, 1 << 17, ELEMENT_SIZE, YIELDING);
            ChildProcess cppReader = peer.start("consume", name, ESIZE, Integer.toString(4 * count)))
        {
            cppReader.awaitLine("READY", DEADLINE);
            final SlickCursor javaCursor = new SlickCursor();
            final Future<Map<Long, Long>> javaReader = executor.submit(() -> consume(queue, javaCursor, 4L * count));
            try (ChildProcess cppSingle = peer.start("produce", name, ESIZE, Integer.toString(count), "0", "1");
                ChildProcess cppMulti = peer.start("produce", name, ESIZE, Integer.toString(count), "1", "4"))
            {
                final Future<?> javaSingle = executor.submit(() -> produce(queue, 2, count, 1));
                final Future<?> javaMulti = executor.submit(() -> produce(queue, 3, count, 3));
                javaSingle.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                javaMulti.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(0, cppSingle.waitFor(DEADLINE), cppSingle.describe());
                assertEquals(0, cppMulti.waitFor(DEADLINE), cppMulti.describe());
            }
            final Map<Long, Long> expected = Map.of(0L, (long)count, 1L, (long)count, 2L, (long)count, 3L, (long)count);
            assertEquals(expected, javaReader.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, javaCursor.lossCount());
            final Map<String, Long> done = PeerLines.numbers(cppReader.awaitLine("DONE", DEADLINE));
            assertEquals(4L * count, done.get("read"), cppReader.describe());
            assertEquals(0, done.get("lost"));
            for (long producer = 0; producer < 4; producer++)
            {
                assertEquals(count, done.get("p" + producer), cppReader.describe());
            }
            queue.unlink();
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldConsumeEveryEntryExactlyOnceWithCppAndJavaStealingFromOneSharedCursor(final ShmTestNames names)
        throws Exception
    {
        final String name = names.next("slick-steal");
        final String cursorName = names.next("slick-steal-cursor");
        final int count = 20_000;
        final ExecutorService executor = Executors.newCachedThreadPool();
        try (SlickQueue queue = SlickQueue.createOrOpen(name, 1 << 15, ELEMENT_SIZE);
            AtomicCursor cursor = AtomicCursor.create(cursorName))
        {
            final SlickEntry entry = new SlickEntry();
            // Java claims the first entry, the C++ consumer the second: both take part before the race starts.
            produce(queue, 0, 1, 1);
            assertTrue(queue.read(cursor, entry));
            final Set<Long> javaClaimed = new HashSet<>(List.of(entry.index()));
            try (ChildProcess cppConsumer = peer.start("steal", name, cursorName, ESIZE))
            {
                cppConsumer.awaitLine("READY", DEADLINE);
                final long second = queue.reserve();
                CheckedPayload.fill(queue.buffer(), queue.offset(second), ELEMENT_SIZE, 1, 0);
                queue.publish(second);
                assertEquals("FIRST " + second, cppConsumer.awaitLine("FIRST", DEADLINE));

                final CompletableFuture<Void> producing = CompletableFuture.runAsync(
                    () -> produce(queue, 2, count, 1), executor);
                final Future<List<Long>> javaConsumer = executor.submit(() -> steal(queue, cursor, producing));
                producing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                // One stop entry per consumer: each stops at the first it claims.
                for (long stop = 0; stop < 2; stop++)
                {
                    final long index = queue.reserve();
                    CheckedPayload.fill(queue.buffer(), queue.offset(index), ELEMENT_SIZE, CheckedPayload.STOP, stop);
                    queue.publish(index);
                }
                for (final long index : javaConsumer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                {
                    assertTrue(javaClaimed.add(index), "Java claimed index " + index + " twice");
                }
                final Map<String, Long> done = PeerLines.numbers(cppConsumer.awaitLine("DONE", DEADLINE));
                assertEquals(0, cppConsumer.waitFor(DEADLINE), cppConsumer.describe());

                // Every published entry (indexes 0 .. count + 1) exactly once: Java's exactly, C++'s by count and
                // the sums of the indexes and of their squares.
                final long total = count + 2;
                long sum = 0;
                long squares = 0;
                for (long index = 0; index < total; index++)
                {
                    if (!javaClaimed.contains(index))
                    {
                        sum += index;
                        squares += index * index;
                    }
                }
                assertTrue(done.get("claimed") >= 1, cppConsumer.describe());
                assertEquals(total, javaClaimed.size() + done.get("claimed"), "claims add up to every entry");
                assertEquals(sum, done.get("sum"), "C++ claimed exactly the entries Java did not");
                assertEquals(squares, done.get("sumsq"));
                assertEquals(0, done.get("lost"));
            }
            queue.unlink();
            cursor.unlink();
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    private static List<Long> steal(
        final SlickQueue queue, final AtomicCursor cursor, final CompletableFuture<?> producing)
    {
        final List<Long> claimed = new ArrayList<>();
        final SlickEntry entry = new SlickEntry();
        while (true)
        {
            if (!queue.read(cursor, entry))
            {
                Thread.yield();
                continue;
            }
            CheckedPayload.verify(queue.buffer(), entry.offset(), entry.length());
            if (CheckedPayload.STOP == CheckedPayload.producer(queue.buffer(), entry.offset()))
            {
                assertTrue(producing.isDone(), "stop entries come last");
                return claimed;
            }
            claimed.add(entry.index());
        }
    }

    @Test
    void shouldWaitForCppCreatorStillInitialising(final ShmTestNames names) throws Exception
    {
        final String name = names.next("slick-handshake");
        final ExecutorService executor = Executors.newCachedThreadPool();
        try (ChildProcess creator = peer.start("hold-init", name, "64", ESIZE))
        {
            creator.awaitLine("READY", DEADLINE);
            final Future<SlickQueue> opener = executor.submit(() -> SlickQueue.open(name, ELEMENT_SIZE));
            final Future<SlickQueue> secondCreator =
                executor.submit(() -> SlickQueue.createOrOpen(name, 64, ELEMENT_SIZE, YIELDING));
            assertFalse(opener.isDone(), "open must wait while init_state is 2");
            assertFalse(secondCreator.isDone(), "create-or-open must wait while init_state is 2");
            creator.send("go");
            creator.awaitLine("INITIALISED", DEADLINE);
            try (SlickQueue opened = opener.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                SlickQueue created = secondCreator.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
            {
                assertFalse(opened.isCreator());
                assertFalse(created.isCreator(), "the C++ process initialised it");
                assertEquals(64, created.capacity());
                produce(opened, 9, 3, 1);
                assertEquals(Map.of(9L, 3L), consume(created, new SlickCursor(), 3));
            }
            creator.send("exit");
            assertEquals(0, creator.waitFor(DEADLINE), creator.describe());
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldCountExactlyWhatALappedReaderLostAsCppDoes(final ShmTestNames names)
    {
        final String name = names.next("slick-lapped");
        final int capacity = 64;
        try (SlickQueue queue = SlickQueue.createOrOpen(name, capacity, ELEMENT_SIZE);
            ChildProcess producer = peer.start("produce", name, ESIZE, Integer.toString(3 * capacity), "4", "1"))
        {
            assertEquals(0, producer.waitFor(DEADLINE), producer.describe());
            final SlickCursor cursor = new SlickCursor();
            final SlickEntry entry = new SlickEntry();
            assertTrue(queue.read(cursor, entry));
            assertEquals(2L * capacity, cursor.lossCount(), "skipped two laps");
            assertEquals(2L * capacity, CheckedPayload.sequence(queue.buffer(), entry.offset()));
            for (int i = 1; i < capacity; i++)
            {
                assertTrue(queue.read(cursor, entry));
                assertEquals(2L * capacity + i, CheckedPayload.sequence(queue.buffer(), entry.offset()));
            }
            assertFalse(queue.read(cursor, entry));
            assertEquals(2L * capacity, cursor.lossCount());

            try (ChildProcess reader = peer.start("consume", name, ESIZE, Integer.toString(capacity), "0"))
            {
                final Map<String, Long> done = PeerLines.numbers(reader.awaitLine("DONE", DEADLINE));
                assertEquals(2L * capacity, done.get("lost"), "C++ counts the same loss");
                assertEquals(0, reader.waitFor(DEADLINE), reader.describe());
            }
            queue.unlink();
        }
    }

    @Test
    void shouldFollowWrapMarkersInBothDirections(final ShmTestNames names)
    {
        final String name = names.next("slick-wrap");
        final int capacity = 16;
        try (SlickQueue queue = SlickQueue.createOrOpen(name, capacity, ELEMENT_SIZE))
        {
            // Five entries of 3 elements fill slots 0-14; the sixth would cross the end, so it starts the next lap
            // at index 16 and leaves a wrap marker in slot 15.
            try (ChildProcess producer = peer.start("produce", name, ESIZE, "6", "6", "3"))
            {
                assertEquals(0, producer.waitFor(DEADLINE), producer.describe());
            }
            final SlickCursor cursor = new SlickCursor(15);
            final SlickEntry entry = new SlickEntry();
            assertTrue(queue.read(cursor, entry), "Java follows the C++ wrap marker");
            assertEquals(16, entry.index());
            assertEquals(3, entry.count());
            assertEquals(5, CheckedPayload.sequence(queue.buffer(), entry.offset()));
            assertEquals(0, cursor.lossCount());

            // Java writes the next lap the same way: entries at 19, 22, 25, 28, then 31 wraps to 32.
            produce(queue, 7, 5, 3);
            try (ChildProcess reader = peer.start("consume", name, ESIZE, "1", "31"))
            {
                final Map<String, Long> done = PeerLines.numbers(reader.awaitLine("DONE", DEADLINE));
                assertEquals(0, done.get("lost"), "C++ follows the Java wrap marker: " + reader.describe());
                assertEquals(1, done.get("p7"), reader.describe());
                assertEquals(0, reader.waitFor(DEADLINE), reader.describe());
            }
            queue.unlink();
        }
    }
}
