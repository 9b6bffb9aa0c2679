package dev.shmq.reliability;

import dev.shmq.slick.AtomicCursor;
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

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SlickQueue with concurrent multi-element producers of both languages and lapped broadcast readers of both
 * languages, on a valid queue that must never look corrupt. One small ring (64 slots, and 16 in a second run, where a
 * wrap marker can retake the slot of {@code last_published}) of 16-byte elements; two Java producer threads (one child
 * JVM) and two C++ producers publish flat out entries of 1 to 7 elements (mixed within each producer, so
 * {@code reserve(n)} wraps and leaves wrap markers, racing {@code reserve()}), every element
 * {@link SlickStamp stamped} with producer, sequence, entry size, the position it was written for and a check. Five
 * readers from index 0, three of them slowed down (50 us of sleep every few entries) so that they are lapped by many
 * laps at a time; on a ring this small the others are lapped too:
 * <ul>
 * <li>{@code java-copy}, a child JVM: the validating copying read, which must never hand out bytes that a later
 * reservation wrote (slow);</li>
 * <li>{@code java-inplace} and {@code java-inplace-fast}, threads of this JVM: zero-copy reads with {@code readLast}
 * every 16 entries while the producers run; bytes checked after use against a lapping producer's reservation
 * (medium, and flat out);</li>
 * <li>{@code cpp-copy} ({@code slick_peer lapped-read copy}): the peer's validating {@code read_copy} (flat out);</li>
 * <li>{@code cpp-inplace} ({@code slick_peer lapped-read inplace}): zero-copy reads with {@code read_last} (slow).</li>
 * </ul>
 * Another thread of this JVM calls {@code readLast} in a loop while the producers run, checking what it gets the
 * same way. When the producers are done the test stores the final reserved index where the readers see it, and they
 * read up to it. Each reports the elements delivered, the elements its cursor counted lost, its final position, how
 * the entries it was handed were stamped (see {@link SlickStamp}), and any exception. Asserted for every reader:
 * nothing thrown (read, copying read, readLast, in either language) and no corruption reported: the validating
 * reads never hand out bytes of a later reservation, and the zero-copy ones see such bytes only when a reservation a
 * lap ahead shows a producer lapped them; each producer's sequences increase over the cleanly stamped entries (those
 * are provably the entries' own bytes); final position == final reserved index; and
 * {@code published <= delivered + lost <= final index}. A third run with single-element entries only asserts
 * {@code delivered + lost == published} exactly, in both languages.
 *
 * <p>The limit of the protocol: when a reader is lapped by whole laps (its slot holds a newer index) it jumps to that
 * index and counts {@code index - position} as lost, and that span includes the positions that wrapping producers
 * left unused inside it (between a wrap marker's origin and the start of the next lap). Nobody can know how many
 * there were: the markers that told were overwritten. So for a lapped reader,
 * {@code published <= delivered + lost <= final index - start}; with single-element entries (no wrap, no unused
 * positions) it is exact: {@code delivered + lost == published}. A reader never lapped has {@code lost == 0} and
 * {@code delivered == published}. Only on the marker path, where the marker itself tells where the unused positions
 * began ({@code origin = index - (capacity - slot)}), is the count exact with entries of several elements.
 *
 * <p>A second limit of the protocol: a producer lapped by the other producers between its reserve and its publish
 * (descheduled, say: on 2 cores with 10 busy threads, hundreds of entries a run on 64 slots, tens of thousands on 16)
 * writes its elements, then its slot, over an entry of a newer lap. No reader can see that from {@code reserved}
 * (the late producer's reservation is old), so even a validating read may hand out such an entry. The stamps name
 * the position each element was written for, so a reader counts those entries as {@code late} instead of corrupt,
 * and the test checks that a producer did report being lapped while writing ({@code lapped} in its {@code DONE} line)
 * whenever a reader saw one. The late publish also leaves the slot pointing back at the old index, so a reader
 * waiting at that slot (its position is beyond the old index) sees "no data" until a later lap rewrites the slot: a
 * producer whose last entry is late (preempted for a few ms while the others finish) stops such a reader for good.
 * Any live queue gets more laps; here, once the producers are done, this JVM publishes one lap of single-element
 * entries (counted as published) before the final index is taken.
 *
 * <p>Entries per producer: {@code -Dshmq.stress.messages} (1,000,000 by default: 4,000,000 entries a run, about
 * 16,000,000 elements with mixed sizes), and {@code -Dshmq.soak.messages} in the soak runs ({@code -Psoak}).
 */
@ExtendWith(ShmTestExtension.class)
class SlickMixedStressTest
{
    private static final int CAPACITY = 64;
    /** Fewer slots than 4 producers can hold reserved (4 x 7): a wrap marker may retake last_published's slot. */
    private static final int TINY_CAPACITY = 16;
    private static final int MAX_N = 7;
    private static final int JAVA_PRODUCERS = 2;
    private static final int CPP_PRODUCERS = 2;
    private static final int PRODUCERS = JAVA_PRODUCERS + CPP_PRODUCERS;
    /** A slow reader sleeps 50 us after every this many entries: the producers lap it by many laps at a time. */
    private static final long SLOW = 16;
    private static final long MEDIUM = 64;
    private static final long FAST = 0;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern RESULT = Pattern.compile("^(DONE|FAIL)");
    private static final List<String> SLOW_READERS = List.of("java-copy", "java-inplace", "cpp-inplace");

    private static NativePeer peer;

    @BeforeAll
    static void compilePeer()
    {
        peer = ShmqPeers.slick();
    }

    @Test
    void shouldNeverReportCorruptionAndBoundEveryLappedReadersCountWithMixedEntrySizes(final ShmTestNames names)
    {
        run(names, CAPACITY, MAX_N, StressFigures.messages(), "slick mixed n=1..7 lapped");
    }

    @Test
    void shouldNeverReportCorruptionWhenWrapMarkersRetakeTheLastPublishedSlot(final ShmTestNames names)
    {
        run(names, TINY_CAPACITY, MAX_N, StressFigures.messages(), "slick mixed n=1..7 tiny ring");
    }

    @Test
    void shouldCountExactlyWhatEveryLappedReaderLostWithSingleElementEntries(final ShmTestNames names)
    {
        run(names, CAPACITY, 1, StressFigures.messages(), "slick n=1 lapped");
    }

    @Test
    @Tag("soak")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldSoakMixedEntrySizesWithLappedReaders(final ShmTestNames names)
    {
        run(names, CAPACITY, MAX_N, StressFigures.soakMessages(), "slick mixed n=1..7 lapped soak");
        run(names, TINY_CAPACITY, MAX_N, StressFigures.soakMessages(),
            "slick mixed n=1..7 tiny ring soak");
    }

    @Test
    @Tag("soak")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldSoakSingleElementEntriesWithLappedReaders(final ShmTestNames names)
    {
        run(names, CAPACITY, 1, StressFigures.soakMessages(), "slick n=1 lapped soak");
    }

    private static void run(
        final ShmTestNames names, final int capacity, final int maxN, final long perProducer, final String scenario)
    {
        final String name = names.next("slick-mixed");
        final String endName = names.next("slick-mixed-end");
        final Duration deadline = Duration.ofSeconds(60 + perProducer * PRODUCERS / 20_000);
        final String maxNArg = Integer.toString(maxN);
        final String producersArg = Integer.toString(PRODUCERS);
        final List<ChildProcess> children = new ArrayList<>();
        try (SlickQueue queue = SlickQueue.createOrOpen(name, capacity, SlickStamp.ELEMENT_SIZE);
            AtomicCursor end = AtomicCursor.create(endName))
        {
            final Map<String, ChildProcess> childReaders = startChildReaders(name, endName, maxNArg, producersArg);
            children.addAll(childReaders.values());
            final List<ChildProcess> producers = new ArrayList<>();
            producers.add(ChildJvm.mainClass(SlickMixedMain.class).name("java-produce")
                .args("produce", name, Long.toString(perProducer), "0", Integer.toString(JAVA_PRODUCERS), maxNArg)
                .start());
            for (int p = JAVA_PRODUCERS; p < PRODUCERS; p++)
            {
                producers.add(peer.start("produce-mixed", name, Long.toString(perProducer), Integer.toString(p),
                    maxNArg));
            }
            children.addAll(producers);
            for (final ChildProcess child : children)
            {
                child.awaitLine("READY", START);
            }

            // This JVM's readers share the creator's queue instance; each owns its cursor.
            final Map<String, AtomicReference<String>> threadResults = new LinkedHashMap<>();
            final List<Thread> threads = new ArrayList<>();
            threads.add(readerThread("java-inplace", threadResults,
                () -> new SlickStampReader(queue, end, maxN, PRODUCERS, false, MEDIUM).run()));
            threads.add(readerThread("java-inplace-fast", threadResults,
                () -> new SlickStampReader(queue, end, maxN, PRODUCERS, false, FAST).run()));
            threads.add(readerThread("java-read-last", threadResults,
                () -> SlickStampReader.readLastUntilEnd(queue, end, maxN, PRODUCERS)));
            final long start = System.nanoTime();
            threads.forEach(Thread::start);
            producers.forEach((producer) -> producer.send("GO"));
            final Map<String, Long> produced = awaitProducers(producers, deadline);
            final long producedElements = produced.get("elements");
            final long lappedProducers = produced.get("lapped");
            long published = 0;
            for (int p = 0; p < PRODUCERS; p++)
            {
                published += SlickStamp.elements(p, perProducer, maxN);
            }
            assertEquals(published, producedElements, "elements the producers say they published");
            published += flushLap(queue, capacity);
            final long finalIndex = queue.initialReadingIndex();
            // release: the readers read up to the final index once they see it.
            end.store(finalIndex);
            if (1 == maxN)
            {
                assertEquals(published, finalIndex, "single-element entries leave no unused positions");
            }
            else
            {
                assertTrue(finalIndex > published, "final index=" + finalIndex + " published=" + published +
                    " (expected wrap markers to leave unused positions)");
            }

            final Map<String, String> results = new LinkedHashMap<>();
            for (final Map.Entry<String, ChildProcess> reader : childReaders.entrySet())
            {
                final ChildProcess child = reader.getValue();
                final String line = child.awaitLine(RESULT, deadline);
                results.put(reader.getKey(), line.startsWith("DONE") ? line : line + child.describe());
            }
            for (final Thread thread : threads)
            {
                thread.join(deadline.toMillis());
            }
            threadResults.forEach((reader, line) -> results.put(reader, String.valueOf(line.get())));
            final long elapsed = System.nanoTime() - start;

            final String figures = assertReaders(scenario, results, published, finalIndex, maxN, lappedProducers);
            for (final ChildProcess reader : childReaders.values())
            {
                assertEquals(0, reader.waitFor(deadline), reader.describe());
            }
            StressFigures.report(scenario, published, children.size() + 1, elapsed,
                "(capacity " + capacity + ", 2 Java + 2 C++ producers, n=1.." + maxN + ", published=" + published +
                " final index=" + finalIndex + " lapped producers' entries=" + lappedProducers + figures + ')');
            queue.unlink();
            end.unlink();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        finally
        {
            children.forEach(ChildProcess::close);
        }
    }

    /** @return the producers' reports summed: {@code elements} published and {@code lapped} entries. */
    private static Map<String, Long> awaitProducers(final List<ChildProcess> producers, final Duration deadline)
    {
        final Map<String, Long> sums = new HashMap<>(Map.of("elements", 0L, "lapped", 0L));
        for (final ChildProcess producer : producers)
        {
            final String done = producer.awaitLine(RESULT, deadline);
            assertTrue(done.startsWith("DONE"), done + producer.describe());
            final Map<String, Long> numbers = PeerLines.numbers(done);
            sums.merge("elements", numbers.get("elements"), Long::sum);
            sums.merge("lapped", numbers.get("lapped"), Long::sum);
            assertEquals(0, producer.waitFor(deadline), producer.describe());
        }
        return sums;
    }

    private static Map<String, ChildProcess> startChildReaders(
        final String name, final String endName, final String maxNArg, final String producersArg)
    {
        final Map<String, ChildProcess> childReaders = new LinkedHashMap<>();
        childReaders.put("java-copy", ChildJvm.mainClass(SlickMixedMain.class).name("java-copy-read")
            .args("copy-read", name, endName, maxNArg, producersArg, Long.toString(SLOW)).start());
        childReaders.put("cpp-copy", peer.start("lapped-read", name, endName, maxNArg, producersArg, "copy",
            Long.toString(FAST)));
        childReaders.put("cpp-inplace", peer.start("lapped-read", name, endName, maxNArg, producersArg,
            "inplace", Long.toString(SLOW)));
        return childReaders;
    }

    /**
     * One lap of single-element entries rewrites every slot: a reader waiting at a slot that a lapped producer's late
     * publish left pointing back moves on (see the class comment).
     *
     * @return the elements published.
     */
    private static long flushLap(final SlickQueue queue, final int capacity)
    {
        for (long sequence = 0; sequence < capacity; sequence++)
        {
            final long index = queue.reserve();
            SlickStamp.fill(queue.buffer(), queue.offset(index), index, 1, SlickStamp.FLUSH_PRODUCER, sequence);
            queue.publish(index);
        }
        return capacity;
    }

    /**
     * Every reader's verdict first, then one assertion with all of them, so a failure shows the whole run.
     *
     * @return the readers' figures for the report line.
     */
    private static String assertReaders(
        final String scenario,
        final Map<String, String> results,
        final long published,
        final long finalIndex,
        final int maxN,
        final long lappedProducers)
    {
        final List<String> failures = new ArrayList<>();
        final StringBuilder figures = new StringBuilder();
        for (final Map.Entry<String, String> result : results.entrySet())
        {
            final String reader = result.getKey();
            final String line = result.getValue();
            System.out.println("READER " + scenario + " " + reader + ": " + line);
            if (!line.startsWith("DONE"))
            {
                failures.add(reader + " reported a failure on a valid queue: " + line);
            }
            else if (reader.equals("java-read-last"))
            {
                if (0 == PeerLines.numbers(line).get("lasts"))
                {
                    failures.add(reader + " never got an entry from readLast: " + line);
                }
            }
            else
            {
                final Map<String, Long> numbers = PeerLines.numbers(line);
                check(reader, numbers, published, finalIndex, 1 == maxN, lappedProducers, failures);
                figures.append("; ").append(reader).append(" delivered=").append(numbers.get("delivered"))
                    .append(" lost=").append(numbers.get("lost")).append(" late=").append(numbers.get("late"));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n(published=" + published +
            ", final index=" + finalIndex + ')');
        return figures.toString();
    }

    private static Thread readerThread(
        final String reader, final Map<String, AtomicReference<String>> results, final Supplier<String> body)
    {
        final AtomicReference<String> result = new AtomicReference<>();
        results.put(reader, result);
        return new Thread(() -> result.set(body.get()), reader);
    }

    private static void check(
        final String reader,
        final Map<String, Long> done,
        final long published,
        final long finalIndex,
        final boolean exact,
        final long lappedProducers,
        final List<String> failures)
    {
        final long accounted = done.get("delivered") + done.get("lost");
        if (finalIndex != done.get("position"))
        {
            failures.add(reader + " stopped at position=" + done.get("position") + " (expected the final index=" +
                finalIndex + ')');
        }
        if (exact && published != accounted)
        {
            failures.add(reader + ": delivered + lost=" + accounted + " (expected exactly published=" + published +
                ", off by " + (accounted - published) + ')');
        }
        if (!exact && (accounted < published || accounted > finalIndex))
        {
            failures.add(reader + ": delivered + lost=" + accounted + " (expected published=" + published +
                " <= it <= final index=" + finalIndex + ", off published by " + (accounted - published) + ')');
        }
        if (0 == done.get("clean"))
        {
            failures.add(reader + " verified no entry");
        }
        if (reader.endsWith("copy") && 0 != done.get("torn"))
        {
            failures.add(reader + " handed out " + done.get("torn") + " torn entries");
        }
        if (0 != done.get("late") && 0 == lappedProducers)
        {
            failures.add(reader + " was handed " + done.get("late") + " entries not cleanly stamped and not " +
                "overwritten by a lapping producer, but no producer was lapped while writing");
        }
        if (reader.contains("inplace") && 0 == done.get("lasts"))
        {
            failures.add(reader + " never got an entry from readLast");
        }
        if (SLOW_READERS.contains(reader) && 0 == done.get("lost"))
        {
            failures.add(reader + " was slowed down but never lapped");
        }
    }

}
