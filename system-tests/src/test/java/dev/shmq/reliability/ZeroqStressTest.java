package dev.shmq.reliability;

import dev.shmq.core.CheckedPayload;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.testkit.ShmqPeers;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * zeroq under load across eight processes: four producers and four consumers, half Java child JVMs and half C++
 * peers, on a small ring so that producers see Full and consumers see Empty all the time. Every element is
 * delivered exactly once and each consumer sees each producer's elements in order.
 */
@ExtendWith(ShmTestExtension.class)
class ZeroqStressTest
{
    private static final int ELEMENT_SIZE = 32;
    private static final int CAPACITY = 1024;
    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 4;
    private static final Duration START = Duration.ofSeconds(60);

    private static NativePeer peer;

    @BeforeAll
    static void compilePeer()
    {
        peer = ShmqPeers.zeroq();
    }

    @Test
    void shouldDeliverEveryElementExactlyOnceWithFourProducerAndFourConsumerProcesses(final ShmTestNames names)
    {
        run(names.next("zq-stress"), StressFigures.messages(), "zeroq 4P/4C");
    }

    @Test
    @Tag("soak")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldSoakEveryElementExactlyOnceWithFourProducerAndFourConsumerProcesses(final ShmTestNames names)
    {
        run(names.next("zq-soak"), StressFigures.soakMessages(), "zeroq 4P/4C soak");
    }

    private static void run(final String name, final long messages, final String scenario)
    {
        final long perProducer = messages / PRODUCERS;
        final Duration deadline = Duration.ofSeconds(60 + messages / 100_000);
        final List<ChildProcess> children = new ArrayList<>();
        try (ZeroqQueue queue = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE))
        {
            final List<ChildProcess> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++)
            {
                final ChildProcess consumer = 0 == c % 2 ?
                    ChildJvm.mainClass(ReliabilityMain.class).name("java-get-" + c)
                        .args("zeroq-get", name, Integer.toString(PRODUCERS)).start() :
                    peer.start("get", name, Integer.toString(PRODUCERS));
                children.add(consumer);
                consumers.add(consumer);
            }
            final List<ChildProcess> javaProducers = new ArrayList<>();
            for (int p = 0; p < 2; p++)
            {
                final ChildProcess producer = ChildJvm.mainClass(ReliabilityMain.class).name("java-put-" + p)
                    .args("zeroq-put", name, Integer.toString(p), Long.toString(perProducer)).start();
                children.add(producer);
                javaProducers.add(producer);
            }
            for (final ChildProcess child : children)
            {
                child.awaitLine("READY", START);
            }

            final long start = System.nanoTime();
            javaProducers.forEach((producer) -> producer.send("GO"));
            final List<ChildProcess> producers = new ArrayList<>(javaProducers);
            for (int p = 2; p < PRODUCERS; p++)
            {
                final ChildProcess producer = peer.start("put", name, Integer.toString(p), Long.toString(perProducer));
                children.add(producer);
                producers.add(producer);
            }
            for (final ChildProcess producer : producers)
            {
                producer.awaitLine("DONE", deadline);
                assertEquals(0, producer.waitFor(deadline), producer.describe());
            }
            final UnsafeBuffer stop = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
            CheckedPayload.fill(stop, 0, ELEMENT_SIZE, CheckedPayload.STOP, 0);
            for (int c = 0; c < CONSUMERS; c++)
            {
                assertTrue(queue.offer(stop, 0, ELEMENT_SIZE, deadline.toNanos(), TimeUnit.NANOSECONDS));
            }
            final SequenceTally tally = new SequenceTally(PRODUCERS);
            for (final ChildProcess consumer : consumers)
            {
                tally.addLine(consumer.awaitLine("DONE", deadline));
                assertEquals(0, consumer.waitFor(deadline), consumer.describe());
            }
            final long elapsed = System.nanoTime() - start;

            final long[] expected = new long[PRODUCERS];
            Arrays.fill(expected, perProducer);
            tally.assertExactlyOnce(expected);
            assertTrue(queue.isEmpty(), "nothing left behind");
            StressFigures.report(scenario, perProducer * PRODUCERS, PRODUCERS + CONSUMERS, elapsed,
                "(2 Java + 2 C++ producers, 2 Java + 2 C++ consumers, capacity " + CAPACITY + ")");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        finally
        {
            children.forEach(ChildProcess::close);
        }
    }
}
