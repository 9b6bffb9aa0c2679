package dev.shmq.interop;

import dev.shmq.core.CheckedPayload;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.testkit.ShmqPeers;
import dev.shmq.zeroq.ZeroqQueue;
import dev.shmq.zeroq.ZeroqRange;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * zeroq across processes with a native peer written in C++ from the spec ({@code peers/zeroq_peer.cpp}).
 */
@ExtendWith(ShmTestExtension.class)
class ZeroqInteropTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int ELEMENT_SIZE = 40;
    private static final int PER_PRODUCER = 100_000;

    private static NativePeer peer;

    @BeforeAll
    static void compilePeer()
    {
        peer = ShmqPeers.zeroq();
    }

    @Test
    void shouldLetPeerCreateJavaPutAndPeerGet(final ShmTestNames names) throws Exception
    {
        final String name = names.next("zq-peer-creates");
        try (ChildProcess creator = peer.start("create", name, "64", Integer.toString(ELEMENT_SIZE));
            ChildProcess consumer = startWhenCreated(creator, name))
        {
            try (ZeroqQueue queue = ZeroqQueue.open(name))
            {
                assertEquals(64, queue.capacity());
                assertEquals(ELEMENT_SIZE, queue.elementSize());
                final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
                for (long seq = 0; seq < PER_PRODUCER; seq++)
                {
                    CheckedPayload.fill(element, 0, ELEMENT_SIZE, 0, seq);
                    queue.put(element, 0, ELEMENT_SIZE);
                }
                CheckedPayload.fill(element, 0, ELEMENT_SIZE, CheckedPayload.STOP, 0);
                queue.put(element, 0, ELEMENT_SIZE);
            }
            final ZeroqTally tally = new ZeroqTally(1);
            tally.addPeerLine(consumer.awaitLine("DONE", DEADLINE));
            assertEquals(0, consumer.waitFor(DEADLINE), consumer.describe());
            tally.assertExactlyOnce(PER_PRODUCER);

            creator.send("exit");
            assertEquals(0, creator.waitFor(DEADLINE), creator.describe());
        }
    }

    private static ChildProcess startWhenCreated(final ChildProcess creator, final String name)
    {
        creator.awaitLine("READY", DEADLINE);
        final ChildProcess consumer = peer.start("get", name, "1");
        consumer.awaitLine("READY", DEADLINE);
        return consumer;
    }

    @Test
    void shouldLetJavaCreatePeerPutAndJavaGet(final ShmTestNames names) throws Exception
    {
        final String name = names.next("zq-java-creates");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 32, ELEMENT_SIZE);
            ChildProcess producer = peer.start("put", name, "0", Integer.toString(PER_PRODUCER)))
        {
            final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
            final ZeroqTally tally = new ZeroqTally(1);
            for (int i = 0; i < PER_PRODUCER; i++)
            {
                assertTrue(queue.poll(element, 0, DEADLINE.toNanos(), TimeUnit.NANOSECONDS), producer.describe());
                CheckedPayload.verify(element, 0, ELEMENT_SIZE);
                tally.record(CheckedPayload.producer(element, 0), CheckedPayload.sequence(element, 0));
            }
            assertEquals(0, producer.waitFor(DEADLINE), producer.describe());
            tally.assertExactlyOnce(PER_PRODUCER);
            assertTrue(queue.isEmpty());
        }
    }

    @Test
    void shouldDeliverExactlyOnceWithJavaAndPeerProducersAndConsumersAtOnce(final ShmTestNames names)
        throws Exception
    {
        final String name = names.next("zq-mixed");
        final int peerProducers = 2;
        final int javaProducers = 2;
        final int peerConsumers = 2;
        final int javaConsumers = 2;
        final int producers = peerProducers + javaProducers;
        final ExecutorService executor = Executors.newCachedThreadPool();
        final List<ChildProcess> children = new ArrayList<>();
        // A small ring, so that producers outrun consumers, see Full, and retry.
        try (ZeroqQueue queue = ZeroqQueue.create(name, 16, ELEMENT_SIZE))
        {
            for (int c = 0; c < peerConsumers; c++)
            {
                children.add(peer.start("get", name, Integer.toString(producers)));
            }
            final List<Future<ZeroqTally>> javaTallies = new ArrayList<>();
            for (int c = 0; c < javaConsumers; c++)
            {
                javaTallies.add(executor.submit(() -> consume(queue, producers)));
            }
            final List<ChildProcess> peerProducersRunning = new ArrayList<>();
            for (int p = 0; p < peerProducers; p++)
            {
                final ChildProcess child = peer.start("put", name, Integer.toString(p), Integer.toString(PER_PRODUCER));
                children.add(child);
                peerProducersRunning.add(child);
            }
            final List<Future<Long>> javaProduced = new ArrayList<>();
            for (int p = peerProducers; p < producers; p++)
            {
                final int producer = p;
                javaProduced.add(executor.submit(() -> produce(queue, producer, producer % 2 == 0)));
            }

            for (final ChildProcess child : peerProducersRunning)
            {
                assertEquals(0, child.waitFor(DEADLINE), child.describe());
            }
            for (final Future<Long> produced : javaProduced)
            {
                assertEquals(PER_PRODUCER, produced.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            }
            final UnsafeBuffer stop = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
            CheckedPayload.fill(stop, 0, ELEMENT_SIZE, CheckedPayload.STOP, 0);
            for (int c = 0; c < peerConsumers + javaConsumers; c++)
            {
                queue.put(stop, 0, ELEMENT_SIZE);
            }

            final ZeroqTally total = new ZeroqTally(producers);
            for (final Future<ZeroqTally> tally : javaTallies)
            {
                total.add(tally.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            }
            for (final ChildProcess child : children.subList(0, peerConsumers))
            {
                total.addPeerLine(child.awaitLine("DONE", DEADLINE));
                assertEquals(0, child.waitFor(DEADLINE), child.describe());
            }
            total.assertExactlyOnce(PER_PRODUCER);
            assertTrue(queue.isEmpty());
        }
        finally
        {
            children.forEach(ChildProcess::close);
            executor.shutdownNow();
        }
    }

    private static long produce(final ZeroqQueue queue, final int producer, final boolean batched)
        throws InterruptedException
    {
        final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        final ZeroqRange range = new ZeroqRange();
        long seq = 0;
        while (seq < PER_PRODUCER)
        {
            if (batched)
            {
                final int claimed = queue.tryClaim((int)Math.min(8, PER_PRODUCER - seq), range);
                for (int i = 0; i < claimed; i++)
                {
                    CheckedPayload.fill(queue.buffer(), queue.offset(range.position() + i), ELEMENT_SIZE, producer,
                        seq + i);
                }
                queue.commit(range);
                seq += claimed;
                if (0 == claimed)
                {
                    Thread.onSpinWait();
                }
            }
            else
            {
                CheckedPayload.fill(element, 0, ELEMENT_SIZE, producer, seq);
                queue.put(element, 0, ELEMENT_SIZE);
                seq++;
            }
        }
        return seq;
    }

    private static ZeroqTally consume(final ZeroqQueue queue, final int producers) throws InterruptedException
    {
        final ZeroqTally tally = new ZeroqTally(producers);
        final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
        while (true)
        {
            queue.take(element, 0);
            if (CheckedPayload.STOP == CheckedPayload.producer(element, 0))
            {
                return tally;
            }
            CheckedPayload.verify(element, 0, ELEMENT_SIZE);
            tally.record(CheckedPayload.producer(element, 0), CheckedPayload.sequence(element, 0));
        }
    }
}
