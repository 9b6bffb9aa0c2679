package dev.shmq.reliability;

import dev.shmq.core.CheckedPayload;
import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.PeerLines;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.testkit.ShmqPeers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * SlickQueue under load across eight processes: four producers (Java and C++, {@code reserve()} and
 * {@code reserve(n)}), two work-stealing readers on one shared cursor (Java and C++) and two broadcast readers (Java
 * and C++). Producers hold back while the write index is more than a quarter of the ring ahead of the slowest
 * reader's published cursor, so nobody is lapped: every entry goes to exactly one stealer, and every broadcast
 * reader sees every entry in each producer's order. A second scenario laps readers on purpose and checks that they
 * count exactly what they lost.
 */
@ExtendWith(ShmTestExtension.class)
class SlickStressTest
{
    private static final int ELEMENT_SIZE = CheckedPayload.MIN_LENGTH;
    private static final String ESIZE = Integer.toString(ELEMENT_SIZE);
    private static final int CAPACITY = 1 << 18;
    private static final long WINDOW = CAPACITY / 4;
    private static final int[] ENTRY_ELEMENTS = { 1, 4, 1, 3 };
    private static final int PRODUCERS = ENTRY_ELEMENTS.length;
    private static final int STOPS = 2;
    private static final Duration START = Duration.ofSeconds(60);

    private static NativePeer peer;

    @BeforeAll
    static void compilePeer()
    {
        peer = ShmqPeers.slick();
    }

    @Test
    void shouldDeliverEveryEntryToOneStealerAndToEveryBroadcastReaderAcrossEightProcesses(final ShmTestNames names)
    {
        run(names, StressFigures.messages(), "slick 4P/2steal/2bcast");
    }

    @Test
    @Tag("soak")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldSoakEveryEntryToOneStealerAndToEveryBroadcastReaderAcrossEightProcesses(final ShmTestNames names)
    {
        run(names, StressFigures.soakMessages(), "slick 4P/2steal/2bcast soak");
    }

    private static void run(final ShmTestNames names, final long messages, final String scenario)
    {
        final String name = names.next("slick-stress");
        final String stealCursorName = names.next("steal-cursor");
        final String javaProgressName = names.next("java-watch");
        final String cppProgressName = names.next("cpp-watch");
        final long perProducer = messages / PRODUCERS;
        final Duration deadline = Duration.ofSeconds(60 + messages / 50_000);
        final List<ChildProcess> children = new ArrayList<>();
        try (SlickQueue queue = SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE);
            AtomicCursor stealCursor = AtomicCursor.create(stealCursorName);
            AtomicCursor javaProgress = AtomicCursor.create(javaProgressName);
            AtomicCursor cppProgress = AtomicCursor.create(cppProgressName))
        {
            final String producersArg = Integer.toString(PRODUCERS);
            final ChildProcess javaStealer = ChildJvm.mainClass(ReliabilityMain.class).name("java-steal")
                .args("slick-steal", name, stealCursorName, ESIZE, producersArg).start();
            children.add(javaStealer);
            final ChildProcess cppStealer = peer.start("steal-tally", name, stealCursorName, ESIZE, producersArg);
            children.add(cppStealer);
            final ChildProcess javaWatcher = ChildJvm.mainClass(ReliabilityMain.class).name("java-watch")
                .args("slick-watch", name, ESIZE, javaProgressName, Integer.toString(STOPS), producersArg).start();
            children.add(javaWatcher);
            final ChildProcess cppWatcher = peer.start("watch", name, ESIZE, cppProgressName, Integer.toString(STOPS),
                producersArg);
            children.add(cppWatcher);
            final List<ChildProcess> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++)
            {
                producers.add(ChildJvm.mainClass(ReliabilityMain.class).name("java-produce-" + p)
                    .args(producerArgs("slick-produce-paced", name, perProducer, p, stealCursorName, javaProgressName,
                        cppProgressName)).start());
            }
            children.addAll(producers);
            for (final ChildProcess child : children)
            {
                child.awaitLine("READY", START);
            }

            final long start = System.nanoTime();
            producers.forEach((producer) -> producer.send("GO"));
            for (int p = 2; p < PRODUCERS; p++)
            {
                final ChildProcess producer = peer.start(producerArgs("produce-paced", name, perProducer, p,
                    stealCursorName, javaProgressName, cppProgressName));
                children.add(producer);
                producers.add(producer);
            }
            for (final ChildProcess producer : producers)
            {
                producer.awaitLine("DONE", deadline);
                assertEquals(0, producer.waitFor(deadline), producer.describe());
            }
            for (long stop = 0; stop < STOPS; stop++)
            {
                final long index = queue.reserve();
                CheckedPayload.fill(queue.buffer(), queue.offset(index), ELEMENT_SIZE, CheckedPayload.STOP, stop);
                queue.publish(index);
            }

            final long[] expected = new long[PRODUCERS];
            Arrays.fill(expected, perProducer);
            final SequenceTally stolen = new SequenceTally(PRODUCERS);
            for (final ChildProcess stealer : List.of(javaStealer, cppStealer))
            {
                final String done = stealer.awaitLine("DONE", deadline);
                assertEquals(0, PeerLines.numbers(done).get("lost"), "a stealer was lapped: " + done);
                stolen.addLine(done);
                assertEquals(0, stealer.waitFor(deadline), stealer.describe());
            }
            stolen.assertExactlyOnce(expected);
            for (final ChildProcess watcher : List.of(javaWatcher, cppWatcher))
            {
                final String done = watcher.awaitLine("DONE", deadline);
                assertEquals(0, PeerLines.numbers(done).get("lost"), "a broadcast reader was lapped: " + done);
                assertEquals(messages / PRODUCERS * PRODUCERS, PeerLines.numbers(done).get("read"), done);
                final SequenceTally seen = new SequenceTally(PRODUCERS);
                seen.addLine(done);
                seen.assertExactlyOnce(expected);
                assertEquals(0, watcher.waitFor(deadline), watcher.describe());
            }
            final long elapsed = System.nanoTime() - start;
            StressFigures.report(scenario, perProducer * PRODUCERS, children.size(), elapsed,
                "(reserve n=" + Arrays.toString(ENTRY_ELEMENTS) + ", Java+C++ each role, capacity " + CAPACITY +
                "; every entry to 1 of 2 stealers and to both broadcast readers)");
            queue.unlink();
            stealCursor.unlink();
            javaProgress.unlink();
            cppProgress.unlink();
        }
        finally
        {
            children.forEach(ChildProcess::close);
        }
    }

    private static String[] producerArgs(final String mode, final String name, final long count, final int producer,
        final String... cursors)
    {
        final List<String> args = new ArrayList<>(List.of(mode, name, ESIZE, Long.toString(count),
            Integer.toString(producer), Integer.toString(ENTRY_ELEMENTS[producer]), Long.toString(WINDOW)));
        args.addAll(List.of(cursors));
        return args.toArray(new String[0]);
    }

    @Test
    void shouldCountExactlyWhatLappedJavaAndCppBroadcastReadersLost(final ShmTestNames names)
    {
        final String name = names.next("slick-lapped");
        final int capacity = 4096;
        final long perProducer = StressFigures.messages() / 4;
        final long total = 3 * perProducer;
        final Duration deadline = Duration.ofSeconds(60 + total / 50_000);
        // One producer after the other (C++, then Java, then this JVM), so that the ring's content is known exactly.
        try (SlickQueue queue = SlickQueue.createOrOpen(name, capacity, ELEMENT_SIZE))
        {
            final long start = System.nanoTime();
            try (ChildProcess cppProducer = peer.start("produce", name, ESIZE, Long.toString(perProducer), "0", "1"))
            {
                assertEquals(0, cppProducer.waitFor(deadline), cppProducer.describe());
            }
            final String unused = names.next("unused-cursor");
            try (AtomicCursor ignored = AtomicCursor.create(unused);
                ChildProcess javaProducer = ChildJvm.mainClass(ReliabilityMain.class)
                    .args("slick-produce-paced", name, ESIZE, Long.toString(perProducer), "1", "1",
                        Long.toString(Long.MAX_VALUE / 2), unused).start())
            {
                // Paced on a cursor nobody moves, with a window no run reaches: it never waits.
                javaProducer.awaitLine("READY", START);
                javaProducer.send("GO");
                assertEquals(0, javaProducer.waitFor(deadline), javaProducer.describe());
                ignored.unlink();
            }
            for (long sequence = 0; sequence < perProducer; sequence++)
            {
                final long index = queue.reserve();
                CheckedPayload.fill(queue.buffer(), queue.offset(index), ELEMENT_SIZE, 2, sequence);
                queue.publish(index);
            }
            final long elapsed = System.nanoTime() - start;

            // Single-element entries, no wrap markers. A reader from 0 finds in slot 0 an index of the newest lap,
            // skips to it (counting everything before as lost) and reads to the end: total % capacity entries.
            final long readable = 0 == total % capacity ? capacity : total % capacity;
            final SlickCursor cursor = new SlickCursor();
            final SlickEntry entry = new SlickEntry();
            long seen = 0;
            while (queue.read(cursor, entry))
            {
                CheckedPayload.verify(queue.buffer(), entry.offset(), entry.length());
                assertEquals(perProducer - readable + seen, CheckedPayload.sequence(queue.buffer(), entry.offset()));
                seen++;
            }
            assertEquals(readable, seen, "the newest lap from slot 0 on");
            assertEquals(total - readable, cursor.lossCount(), "Java counts exactly what it lost");
            assertEquals(total, cursor.position());
            try (ChildProcess cppReader = peer.start("consume", name, ESIZE, Long.toString(readable), "0"))
            {
                final Map<String, Long> done = PeerLines.numbers(cppReader.awaitLine("DONE", deadline));
                assertEquals(readable, done.get("read"), cppReader.describe());
                assertEquals(total - readable, done.get("lost"), "C++ counts exactly the same loss");
                assertEquals(0, cppReader.waitFor(deadline), cppReader.describe());
            }
            assertFalse(queue.read(cursor, entry));
            StressFigures.report("slick lapped readers", total, 3, elapsed,
                "(C++, Java, Java producers one after the other into capacity " + capacity +
                "; Java and C++ readers each lost exactly " + (total - readable) + ")");
            queue.unlink();
        }
    }
}
