package dev.shmq.reliability;

import dev.shmq.core.CheckedPayload;
import dev.shmq.core.ShmSegments;
import dev.shmq.slick.SlickQueue;
import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.testkit.ShmqPeers;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eight processes (four Java child JVMs, four C++ {@code slick_peer race-create}) create-or-open one SlickQueue name
 * at the same moment: exactly one initialises, all attach to a ready header, and the segment is intact afterwards
 * (nobody's late write wiped the initialiser's). A large ring makes the window for creation races wide.
 */
@ExtendWith(ShmTestExtension.class)
class CreationRaceTest
{
    private static final int ELEMENT_SIZE = CheckedPayload.MIN_LENGTH;
    private static final int CAPACITY = 1 << 21;
    private static final int PROCESSES = 8;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static NativePeer peer;

    @BeforeAll
    static void compilePeer()
    {
        peer = ShmqPeers.slick();
    }

    @RepeatedTest(3)
    void shouldLetExactlyOneOfEightJavaAndCppProcessesInitialiseAndAllAttach(final ShmTestNames names)
    {
        final String name = names.next("slick-race");
        final String size = Integer.toString(CAPACITY);
        final String esize = Integer.toString(ELEMENT_SIZE);
        final List<ChildProcess> children = new ArrayList<>();
        try
        {
            for (int i = 0; i < PROCESSES; i++)
            {
                children.add(0 == i % 2 ?
                    ChildJvm.mainClass(ReliabilityMain.class).name("java-race-" + i)
                        .args("slick-race", name, size, esize).start() :
                    peer.start("race-create", name, size, esize));
            }
            for (final ChildProcess child : children)
            {
                child.awaitLine("WAITING", DEADLINE);
            }
            final long start = System.nanoTime();
            children.forEach((child) -> child.send("GO"));
            int initialisers = 0;
            for (final ChildProcess child : children)
            {
                final String attached = child.awaitLine("ATTACHED", DEADLINE);
                initialisers += attached.endsWith("initialiser=1") ? 1 : 0;
            }
            final long elapsed = System.nanoTime() - start;
            assertEquals(1, initialisers, "exactly one initialiser among " + children);
            try (SlickQueue queue = SlickQueue.open(name, ELEMENT_SIZE))
            {
                assertIntact(queue.buffer(), CAPACITY);
            }
            children.forEach((child) -> child.send("exit"));
            for (final ChildProcess child : children)
            {
                assertEquals(0, child.waitFor(DEADLINE), child.describe());
            }
            System.out.printf("RELIABILITY creation race: %d processes attached in %d ms, 1 initialiser%n",
                PROCESSES, TimeUnit.NANOSECONDS.toMillis(elapsed));
        }
        finally
        {
            children.forEach(ChildProcess::close);
            // Nobody unlinks in race mode (C++ creators would, at exit): remove the name here.
            ShmSegments.in(names.directory()).remove(name, true);
        }
    }

    /**
     * Two threads of this JVM: one creates, the other calls create-or-open as soon as the file appears. The one that
     * initialises must be alone, and its header must survive.
     */
    @Test
    void shouldKeepTheInitialisersHeaderWhenAnotherCreatorAttachesWhileTheObjectIsStillBeingAllocated(
        final ShmTestNames names) throws Exception
    {
        final String name = names.next("slick-race-local");
        final ExecutorService executor = Executors.newFixedThreadPool(2);
        final CountDownLatch started = new CountDownLatch(1);
        try
        {
            final Future<SlickQueue> second = executor.submit(() ->
            {
                started.countDown();
                final Path path = names.directory().resolve(name);
                while (!Files.exists(path))
                {
                    Thread.onSpinWait();
                }
                return SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE);
            });
            started.await();
            final Future<SlickQueue> first =
                executor.submit(() -> SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE));
            try (SlickQueue a = first.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                SlickQueue b = second.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
            {
                assertTrue(a.isCreator() ^ b.isCreator(), "exactly one initialiser: " + a + ", " + b);
                assertIntact(a.buffer(), CAPACITY);
                a.unlink();
            }
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    private static void assertIntact(final AtomicBuffer buffer, final int capacity)
    {
        assertEquals(
            SlickQueueDescriptor.INIT_STATE_READY, buffer.getIntVolatile(SlickQueueDescriptor.INIT_STATE_OFFSET));
        assertEquals(SlickQueueDescriptor.MAGIC, buffer.getIntVolatile(SlickQueueDescriptor.HEADER_MAGIC_OFFSET));
        assertEquals(capacity, buffer.getInt(SlickQueueDescriptor.SIZE_OFFSET));
        assertEquals(ELEMENT_SIZE, buffer.getInt(SlickQueueDescriptor.ELEMENT_SIZE_OFFSET));
        assertEquals(SlickQueueDescriptor.NONE, buffer.getLongVolatile(SlickQueueDescriptor.LAST_PUBLISHED_OFFSET));
        for (int slot = 0; slot < capacity; slot++)
        {
            final long index = buffer.getLongVolatile(
                SlickQueueDescriptor.slotOffset(slot) + SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET);
            if (SlickQueueDescriptor.NONE != index)
            {
                throw new AssertionError("slot " + slot + " data_index=" + index + " (expected empty: the header " +
                    "and slots the initialiser wrote were overwritten)");
            }
        }
    }
}
