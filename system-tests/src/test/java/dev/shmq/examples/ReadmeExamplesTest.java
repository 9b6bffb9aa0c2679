package dev.shmq.examples;

import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.testkit.ShmqPeers;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every README example; examples about processes run their halves in separate processes.
 */
@ExtendWith(ShmTestExtension.class)
class ReadmeExamplesTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static ChildProcess example(final String... args)
    {
        return ChildJvm.mainClass(ReadmeExamples.class).name(args[0]).args(args).start();
    }

    private static void awaitCreated(final ShmTestNames names, final String name, final CompletableFuture<?> creator)
    {
        final Path path = names.directory().resolve(name);
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!Files.exists(path))
        {
            assertFalse(creator.isCompletedExceptionally(), () -> "creator failed: " + creator);
            assertTrue(System.nanoTime() < deadline, "not created within " + DEADLINE);
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldRunZeroqInProcess() throws InterruptedException
    {
        assertEquals(101_250, ReadmeExamples.zeroqInProcess());
    }

    @Test
    void shouldRunZeroqProducerAndConsumerInTwoProcesses(final ShmTestNames names) throws Exception
    {
        final String name = names.next("orders");
        final int count = 3000;  // more than the capacity: the producer waits for the consumer process
        final CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> run(
            () -> ReadmeExamples.zeroqProducer(name, count)));
        awaitCreated(names, name, producer);
        try (ChildProcess consumer = example("zeroq-consumer", name, Integer.toString(count)))
        {
            final long expected = 100_000L * count + (long)count * (count - 1) / 2;
            assertEquals("SUM " + expected, consumer.awaitLine("SUM", DEADLINE));
            assertEquals(0, consumer.waitFor(DEADLINE), consumer.describe());
        }
        producer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertFalse(Files.exists(names.directory().resolve(name)), "the consumer unlinked it");
    }

    @Test
    void shouldPollWithBusySpinAndTimeout(final ShmTestNames names) throws InterruptedException
    {
        final String name = names.next("busy-spin");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 2, 8))
        {
            assertFalse(ReadmeExamples.zeroqBusySpin(name));
            assertTrue(queue.offer(new UnsafeBuffer(new byte[8]), 0, 8));
            assertTrue(ReadmeExamples.zeroqBusySpin(name));
        }
    }

    @Test
    void shouldDrainOrdersInBatches()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(64, 16))
        {
            final UnsafeBuffer order = new UnsafeBuffer(new byte[16]);
            long expected = 0;
            for (int i = 0; i < 50; i++)
            {
                order.putLong(8, 1000 + i);
                expected += 1000 + i;
                assertTrue(queue.offer(order, 0, 16));
            }
            assertEquals(expected, ReadmeExamples.zeroqDrain(queue));
            assertTrue(queue.isEmpty());
        }
    }

    @Test
    void shouldPassVideoFramesZeroCopyBetweenProcesses(final ShmTestNames names) throws Exception
    {
        final String name = names.next("camera");
        final int frames = 12;  // three times the capacity
        final CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> run(
            () -> ReadmeExamples.zeroqFrameProducer(name, new ReadmeExamples.FramePattern(), frames)));
        awaitCreated(names, name, producer);
        try (ChildProcess consumer = example("zeroq-frames-consumer", name, Integer.toString(frames)))
        {
            assertEquals("FRAMES " + frames, consumer.awaitLine("FRAMES", DEADLINE));
            assertEquals(0, consumer.waitFor(DEADLINE), consumer.describe());
        }
        producer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldRunSlickQueueLocal()
    {
        assertEquals("BUY 100 ESZ6", ReadmeExamples.slickLocal());
    }

    @Test
    void shouldPublishVariableLengthMessagesToAnotherProcess(final ShmTestNames names)
    {
        final String name = names.next("md");
        final List<String> messages = List.of("ESZ6 5012.25", "NQZ6 17710.5", "CLF7 71.05 bid");
        ReadmeExamples.slickPublisher(name, messages);
        try (ChildProcess subscriber = example("slick-subscriber", name, Integer.toString(messages.size())))
        {
            assertEquals("RECEIVED " + String.join(",", messages), subscriber.awaitLine("RECEIVED", DEADLINE));
            assertEquals(0, subscriber.waitFor(DEADLINE), subscriber.describe());
        }
        try (SlickQueue queue = SlickQueue.open(name, 1))
        {
            assertTrue(queue.unlink());
        }
    }

    @Test
    void shouldShareWorkBetweenTwoWorkerProcesses(final ShmTestNames names)
    {
        final String name = names.next("jobs");
        final String cursorName = names.next("jobs-cursor");
        final int jobs = 2000;
        try (SlickQueue queue = SlickQueue.create(name, 4096, 64);
            AtomicCursor cursor = AtomicCursor.create(cursorName))
        {
            for (long job = 1; job <= jobs; job++)
            {
                final long index = queue.reserve();
                queue.buffer().putLong(queue.offset(index), job);
                queue.publish(index);
            }
            try (ChildProcess first = example("slick-worker", name, cursorName);
                ChildProcess second = example("slick-worker", name, cursorName))
            {
                final long total = processed(first) + processed(second);
                assertEquals((long)jobs * (jobs + 1) / 2, total, "every job processed exactly once");
            }
            assertEquals(jobs, cursor.load());
            queue.unlink();
            cursor.unlink();
        }
    }

    private static long processed(final ChildProcess worker)
    {
        final long processed = Long.parseLong(worker.awaitLine("PROCESSED", DEADLINE).split(" ")[1]);
        assertEquals(0, worker.waitFor(DEADLINE), worker.describe());
        return processed;
    }

    @Test
    void shouldReadWhatACppProducerWrites(final ShmTestNames names)
    {
        final String name = names.next("orders-cpp");
        final NativePeer peer = ShmqPeers.slick();
        try (ChildProcess creator = peer.start("create", name, "1024", "16"))
        {
            creator.awaitLine("READY", DEADLINE);
            try (ChildProcess producer = peer.start("produce", name, "16", "100", "7", "1"))
            {
                assertEquals(0, producer.waitFor(DEADLINE), producer.describe());
            }
            // The peer writes {id = producer, price_ticks = sequence}: the last of 100 has price 99.
            assertEquals(99, ReadmeExamples.slickFromCpp(name, 100));
            creator.send("exit");
            assertEquals(0, creator.waitFor(DEADLINE), creator.describe());
        }
    }

    private interface Example
    {
        void run() throws Exception;
    }

    private static void run(final Example example)
    {
        try
        {
            example.run();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
