package dev.shmq.reliability;

import dev.shmq.core.CheckedPayload;
import dev.shmq.core.ShmSegments;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.testkit.ShmqPeers;
import dev.shmq.tool.ShmqTool;
import dev.shmq.zeroq.QueueEmptyException;
import dev.shmq.zeroq.QueueFullException;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes killed with SIGKILL at chosen points (a Java child JVM or a C++ peer stops there, prints a line and
 * blocks on stdin; the test kills it after seeing the line): the others keep working, no call blocks past its
 * timeout, everything committed before the kill is delivered, and zeroq's stalls are detected, reported and
 * recovered without losing or duplicating a committed element.
 */
@ExtendWith(ShmTestExtension.class)
class FaultInjectionTest
{
    private static final int ELEMENT_SIZE = 32;
    private static final int CAPACITY = 64;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final long SHORT_TIMEOUT_MS = 50;

    private static NativePeer zeroqPeer;
    private static NativePeer slickPeer;

    @BeforeAll
    static void compilePeers()
    {
        zeroqPeer = ShmqPeers.zeroq();
        slickPeer = ShmqPeers.slick();
    }

    private static ChildProcess victim(final String language, final String javaMode, final NativePeer peer,
        final String cppMode, final String... args)
    {
        if ("java".equals(language))
        {
            final String[] all = new String[args.length + 1];
            all[0] = javaMode;
            System.arraycopy(args, 0, all, 1, args.length);
            return ChildJvm.mainClass(ReliabilityMain.class).name("java-" + javaMode).args(all).start();
        }
        final String[] all = new String[args.length + 1];
        all[0] = cppMode;
        System.arraycopy(args, 0, all, 1, args.length);
        return peer.start(all);
    }

    private static String tool(final int expectedExit, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = new ShmqTool(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0])).run(args);
        final String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, "shmq " + String.join(" ", args) + ":\n" + text);
        return text;
    }

    private static void take(final ZeroqQueue queue, final UnsafeBuffer element, final long producer,
        final long sequence)
    {
        assertTrue(assertTimeoutPreemptively(BOUND,
            () -> queue.poll(element, 0, DEADLINE.toNanos(), TimeUnit.NANOSECONDS)));
        CheckedPayload.verify(element, 0, ELEMENT_SIZE);
        assertEquals(producer, CheckedPayload.producer(element, 0), "producer");
        assertEquals(sequence, CheckedPayload.sequence(element, 0), "sequence of producer " + producer);
    }

    private static void put(final ZeroqQueue queue, final UnsafeBuffer element, final long producer,
        final long sequence)
    {
        CheckedPayload.fill(element, 0, ELEMENT_SIZE, producer, sequence);
        assertTrue(queue.offer(element, 0, ELEMENT_SIZE), "room for producer " + producer + " seq " + sequence);
    }

    @ParameterizedTest(name = "{0} producer")
    @ValueSource(strings = { "java", "cpp" })
    void shouldDetectReportAndRecoverAZeroqProducerKilledBetweenClaimAndCommit(
        final String language, final ShmTestNames names)
    {
        final String name = names.next("zq-dead-producer");
        final int committed = 10;
        try (ZeroqQueue queue = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE);
            ChildProcess producer = victim(language, "zeroq-claim-hold", zeroqPeer, "claim-hold", name, "0",
                Integer.toString(committed)))
        {
            assertEquals("CLAIMED " + committed, producer.awaitLine("CLAIMED", DEADLINE));
            assertEquals(ChildProcess.SIGKILL_EXIT_CODE, producer.kill());

            // Other producers keep working: another process puts 20 elements behind the dead claim.
            try (ChildProcess other = zeroqPeer.start("put", name, "1", "20"))
            {
                assertEquals(0, other.waitFor(DEADLINE), other.describe());
            }
            final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
            for (long sequence = 0; sequence < committed; sequence++)
            {
                take(queue, element, 0, sequence);
            }
            // Stalled, not empty: consumers time out, the API and the tool say why.
            assertThrows(QueueEmptyException.class, () -> assertTimeoutPreemptively(BOUND,
                () -> new ZeroqPyQueue(queue).get(SHORT_TIMEOUT_MS, TimeUnit.MILLISECONDS)));
            assertTrue(queue.isStalled());
            assertFalse(queue.isHeldByConsumer());
            assertEquals(21, queue.size(), "the dead claim and the 20 behind it");
            final String inspected = tool(ShmqTool.EXIT_FAILURE, "inspect", name);
            assertTrue(inspected.contains("yes, at position " + committed), inspected);
            assertTrue(inspected.contains("claimed_uncommitted  1"), inspected);

            final String unblocked = tool(ShmqTool.EXIT_OK, "unblock", name);
            assertTrue(unblocked.startsWith("unblocked: freed a cell claimed by a producer"), unblocked);
            assertFalse(queue.isStalled());
            // Everything committed arrives once, in order; the half-written element never does.
            for (long sequence = 0; sequence < 20; sequence++)
            {
                take(queue, element, 1, sequence);
            }
            assertThrows(QueueEmptyException.class, () -> new ZeroqPyQueue(queue).getNowait());
            // The freed cell is usable in later laps.
            for (long sequence = 0; sequence < 3L * CAPACITY; sequence++)
            {
                put(queue, element, 2, sequence);
                take(queue, element, 2, sequence);
            }
            assertTrue(queue.isEmpty());
            assertEquals("not blocked: nothing to do", tool(ShmqTool.EXIT_OK, "unblock", name).trim());
        }
    }

    @ParameterizedTest(name = "{0} consumer")
    @ValueSource(strings = { "java", "cpp" })
    void shouldDetectAndRecoverAZeroqConsumerKilledBetweenAcquireAndRelease(
        final String language, final ShmTestNames names)
    {
        final String name = names.next("zq-dead-consumer");
        try (ZeroqQueue queue = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE))
        {
            final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
            for (long sequence = 0; sequence < 5; sequence++)
            {
                put(queue, element, 0, sequence);
            }
            try (ChildProcess consumer = victim(language, "zeroq-acquire-hold", zeroqPeer, "acquire-hold", name))
            {
                assertEquals("ACQUIRED 0 0 0", consumer.awaitLine("ACQUIRED", DEADLINE));
                assertEquals(ChildProcess.SIGKILL_EXIT_CODE, consumer.kill());
            }
            // Other consumers keep working past the held cell.
            for (long sequence = 1; sequence < 5; sequence++)
            {
                take(queue, element, 0, sequence);
            }
            // Producers fill the ring up to the held cell, then time out there: full, held by a dead consumer.
            for (long sequence = 5; sequence < CAPACITY; sequence++)
            {
                put(queue, element, 0, sequence);
            }
            CheckedPayload.fill(element, 0, ELEMENT_SIZE, 0, CAPACITY);
            assertThrows(QueueFullException.class, () -> assertTimeoutPreemptively(BOUND,
                () -> new ZeroqPyQueue(queue).put(element.byteArray(), SHORT_TIMEOUT_MS, TimeUnit.MILLISECONDS)));
            assertTrue(queue.isHeldByConsumer());
            assertFalse(queue.isStalled());
            final String inspected = tool(ShmqTool.EXIT_FAILURE, "inspect", name);
            assertTrue(inspected.contains("held_by_consumer     yes, position 0"), inspected);

            final String unblocked = tool(ShmqTool.EXIT_OK, "unblock", name);
            assertTrue(unblocked.startsWith("unblocked: freed a cell acquired by a consumer"), unblocked);
            assertFalse(queue.isHeldByConsumer());
            put(queue, element, 0, CAPACITY);
            // Everything committed and not taken by the dead consumer arrives once, in order.
            for (long sequence = 5; sequence <= CAPACITY; sequence++)
            {
                take(queue, element, 0, sequence);
            }
            assertThrows(QueueEmptyException.class, () -> new ZeroqPyQueue(queue).getNowait());
            assertTrue(queue.isEmpty());
        }
    }

    @ParameterizedTest(name = "{0} producer")
    @ValueSource(strings = { "java", "cpp" })
    void shouldDeliverEverythingPublishedBeforeASlickProducerDiedBetweenReserveAndPublish(
        final String language, final ShmTestNames names)
    {
        final String name = names.next("slick-dead-producer");
        final int published = 10;
        final int elementSize = CheckedPayload.MIN_LENGTH;
        try (SlickQueue queue = SlickQueue.createOrOpen(name, CAPACITY, elementSize,
                new SlickConfig().idleStrategy(YieldingIdleStrategy::new));
            ChildProcess producer = victim(language, "slick-reserve-hold", slickPeer, "reserve-hold", name,
                Integer.toString(elementSize), "0", Integer.toString(published)))
        {
            assertEquals("RESERVED " + published, producer.awaitLine("RESERVED", DEADLINE));
            assertEquals(ChildProcess.SIGKILL_EXIT_CODE, producer.kill());

            // Other producers keep working.
            final int after = 20;
            for (long sequence = 0; sequence < after; sequence++)
            {
                final long index = queue.reserve();
                CheckedPayload.fill(queue.buffer(), queue.offset(index), elementSize, 1, sequence);
                queue.publish(index);
            }
            final SlickCursor cursor = new SlickCursor();
            final SlickEntry entry = new SlickEntry();
            for (long sequence = 0; sequence < published; sequence++)
            {
                assertTrue(queue.read(cursor, entry));
                CheckedPayload.verify(queue.buffer(), entry.offset(), entry.length());
                assertEquals(sequence, CheckedPayload.sequence(queue.buffer(), entry.offset()));
            }
            // The reader waits at the hole, within its timeout: a lossy ring has no recovery but lapping.
            assertFalse(assertTimeoutPreemptively(BOUND,
                () -> queue.read(cursor, entry, SHORT_TIMEOUT_MS, TimeUnit.MILLISECONDS)));
            assertEquals(published, cursor.position());
            // Once producers publish into the hole's slot on the next lap, the reader skips it and counts the lap.
            for (long sequence = after; sequence < CAPACITY + 5; sequence++)
            {
                final long index = queue.reserve();
                CheckedPayload.fill(queue.buffer(), queue.offset(index), elementSize, 1, sequence);
                queue.publish(index);
            }
            long read = 0;
            while (queue.read(cursor, entry))
            {
                CheckedPayload.verify(queue.buffer(), entry.offset(), entry.length());
                read++;
            }
            assertEquals(CAPACITY, cursor.lossCount(), "the hole and the lap after it, counted exactly");
            assertEquals(6, read, "indexes " + (published + CAPACITY) + " to " + (published + CAPACITY + 5));
            queue.unlink();
        }
    }

    @Test
    void shouldTimeOutClearlyOnASlickSegmentWhoseCppCreatorDiedWhileInitialising(final ShmTestNames names)
    {
        final String name = names.next("slick-dead-creator");
        final int elementSize = CheckedPayload.MIN_LENGTH;
        try (ChildProcess creator = slickPeer.start("hold-init", name, "64", Integer.toString(elementSize)))
        {
            creator.awaitLine("READY", DEADLINE);
            assertEquals(ChildProcess.SIGKILL_EXIT_CODE, creator.kill());

            final long timeout = TimeUnit.MILLISECONDS.toNanos(200);
            final SlickConfig config = new SlickConfig().openTimeout(timeout, TimeUnit.NANOSECONDS);
            final IllegalStateException opened = assertThrows(IllegalStateException.class,
                () -> assertTimeoutPreemptively(BOUND, () -> SlickQueue.open(name, elementSize, config)));
            assertTrue(opened.getMessage().startsWith("timed out waiting for initialisation of "), opened.getMessage());
            assertTrue(opened.getMessage().contains("init_state=2 after waiting"), opened.getMessage());
            final IllegalStateException created = assertThrows(IllegalStateException.class,
                () -> assertTimeoutPreemptively(BOUND, () -> SlickQueue.createOrOpen(name, 64, elementSize, config)));
            assertTrue(created.getMessage().contains("init_state=2 after waiting"), created.getMessage());
            final String inspected = tool(ShmqTool.EXIT_FAILURE, "inspect", name);
            assertTrue(inspected.contains("init_state           2 (initialising)"), inspected);
            assertTrue(inspected.contains("died while initialising"), inspected);
        }
        finally
        {
            ShmSegments.in(names.directory()).remove(name, true);
        }
    }
}
