package dev.shmq.reliability;

import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.zeroq.ZeroqDescriptor;
import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.zeroq.QueueEmptyException;
import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import dev.shmq.zeroq.ZeroqRange;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Hostile and corrupt segments: a seeded fuzzer mutates header, slot, cell and length fields of valid SlickQueue and
 * zeroq segments and truncates the files, then opens each with {@link SlickQueue#open}, {@link SlickQueue#createOrOpen}
 * and {@link ZeroqQueue#open} and runs a few operations with short timeouts. Every case must end in a clear
 * exception (IllegalArgumentException, IllegalStateException, QueueFull/QueueEmpty) or a well-defined result, never
 * a crash, an access outside the mapping (Agrona's bounds checks would throw IndexOutOfBoundsException) or a hang.
 * {@code -Dshmq.fuzz.seed} reproduces a run; {@code -Dshmq.fuzz.cases} sizes it (100,000 with {@code -Psoak}).
 */
@ExtendWith(ShmTestExtension.class)
class HostileSegmentFuzzTest
{
    private static final int DEFAULT_CASES = 10_000;
    private static final int SOAK_CASES = 100_000;
    private static final int ELEMENT_SIZE = 16;
    private static final int CAPACITY = 16;
    private static final long OPEN_TIMEOUT_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long[] INTERESTING = {
        0, 1, 2, 3, 15, 16, 17, 63, 64, 65, -1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL, 1L << 32,
        Long.MAX_VALUE, Long.MIN_VALUE, 1L << 47, 1L << 48, (1L << 48) - 1, 0xFFFFL, 0x10000L, 1L << 30, 1L << 31 };

    @Test
    void shouldFailClearlyOrBehaveOnEveryMutatedOrTruncatedSegment(final ShmTestNames names)
    {
        final long seed = Long.getLong("shmq.fuzz.seed", System.nanoTime());
        final int cases = Integer.getInteger("shmq.fuzz.cases",
            Boolean.getBoolean("shmq.soak") ? SOAK_CASES : DEFAULT_CASES);
        System.out.println("RELIABILITY fuzz seed=" + seed + " cases=" + cases + " (-Dshmq.fuzz.seed=" + seed +
            " reproduces)");
        final String name = names.next("fuzz");
        final Path path = names.directory().resolve(name);
        final Map<String, Integer> outcomes = new TreeMap<>();
        final long start = System.nanoTime();
        try
        {
            assertTimeoutPreemptively(Duration.ofSeconds(150), () ->
            {
                final SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < cases; i++)
                {
                    final boolean slick = random.nextBoolean();
                    final byte[] image = slick ? slickImage(random) : zeroqImage(random);
                    final byte[] mutated = mutate(image, random, slick);
                    Files.write(path, mutated);
                    final String outcome;
                    try
                    {
                        outcome = slick ? exerciseSlick(name, random) : exerciseZeroq(name, random);
                    }
                    catch (final RuntimeException | Error ex)
                    {
                        throw new AssertionError("case " + i + " seed=" + seed + " (" + (slick ? "slick" : "zeroq") +
                            ", length " + mutated.length + "): unexpected " + ex, ex);
                    }
                    outcomes.merge((slick ? "slick " : "zeroq ") + outcome, 1, Integer::sum);
                }
            });
        }
        finally
        {
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException ignore)
            {
                // the extension removes it and reports the leak
            }
        }
        System.out.printf("RELIABILITY fuzz %d cases in %.1f s, no crash, no hang, no out-of-bounds access: %s%n",
            cases, (System.nanoTime() - start) / 1e9, outcomes);
    }

    private static byte[] slickImage(final SplittableRandom random)
    {
        final ByteBuffer image = ByteBuffer.allocate(SlickQueueDescriptor.totalLength(CAPACITY, ELEMENT_SIZE))
            .order(ByteOrder.LITTLE_ENDIAN);
        image.putInt(SlickQueueDescriptor.HEADER_MAGIC_OFFSET, SlickQueueDescriptor.MAGIC);
        image.putInt(SlickQueueDescriptor.INIT_STATE_OFFSET, SlickQueueDescriptor.INIT_STATE_READY);
        image.putInt(SlickQueueDescriptor.SIZE_OFFSET, CAPACITY);
        image.putInt(SlickQueueDescriptor.ELEMENT_SIZE_OFFSET, ELEMENT_SIZE);
        // A plausible history: some entries published, the rest empty.
        final int published = random.nextInt(3 * CAPACITY);
        image.putLong(SlickQueueDescriptor.RESERVED_OFFSET, SlickQueueDescriptor.packReserved(published, 1));
        image.putLong(SlickQueueDescriptor.LAST_PUBLISHED_OFFSET, published == 0 ? SlickQueueDescriptor.NONE :
            published - 1);
        for (int slot = 0; slot < CAPACITY; slot++)
        {
            final long index = slot < published ? slot + (long)(published - 1 - slot) / CAPACITY * CAPACITY :
                SlickQueueDescriptor.NONE;
            image.putLong(SlickQueueDescriptor.slotOffset(slot) + SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET, index);
            image.putInt(SlickQueueDescriptor.slotOffset(slot) + SlickQueueDescriptor.SLOT_SIZE_OFFSET, 1);
        }
        return image.array();
    }

    private static byte[] zeroqImage(final SplittableRandom random)
    {
        final ByteBuffer image = ByteBuffer.allocate(ZeroqDescriptor.totalLength(CAPACITY, ELEMENT_SIZE))
            .order(ByteOrder.LITTLE_ENDIAN);
        image.putLong(ZeroqDescriptor.ELEMENT_SIZE_OFFSET, ELEMENT_SIZE);
        image.putLong(ZeroqDescriptor.BUFFER_MASK_OFFSET, CAPACITY - 1);
        final long dequeue = random.nextInt(4 * CAPACITY);
        final long enqueue = dequeue + random.nextInt(CAPACITY + 1);
        image.putLong(ZeroqDescriptor.ENQUEUE_POS_OFFSET, enqueue);
        image.putLong(ZeroqDescriptor.DEQUEUE_POS_OFFSET, dequeue);
        for (long position = enqueue - CAPACITY; position < enqueue; position++)
        {
            final int cell = (int)(position & (CAPACITY - 1));
            // committed and not yet read: position + 1; read (or never used): position + capacity
            final long sequence = position >= dequeue ? position + 1 : Math.max(position, 0) + CAPACITY;
            image.putLong(ZeroqDescriptor.cellOffset(cell), position < 0 ? cell : sequence);
        }
        return image.array();
    }

    private static long interesting(final SplittableRandom random)
    {
        return random.nextInt(4) == 0 ? random.nextLong() : INTERESTING[random.nextInt(INTERESTING.length)];
    }

    private static byte[] mutate(final byte[] image, final SplittableRandom random, final boolean slick)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        final int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.nextInt(5))
            {
                case 0:
                    // a header field
                    if (slick)
                    {
                        final int[] ints = { SlickQueueDescriptor.SIZE_OFFSET, SlickQueueDescriptor.ELEMENT_SIZE_OFFSET,
                            SlickQueueDescriptor.HEADER_MAGIC_OFFSET, SlickQueueDescriptor.INIT_STATE_OFFSET };
                        final int[] longs = { SlickQueueDescriptor.RESERVED_OFFSET,
                            SlickQueueDescriptor.LAST_PUBLISHED_OFFSET };
                        if (random.nextBoolean())
                        {
                            buffer.putInt(ints[random.nextInt(ints.length)], (int)interesting(random));
                        }
                        else
                        {
                            buffer.putLong(longs[random.nextInt(longs.length)], interesting(random));
                        }
                    }
                    else
                    {
                        buffer.putLong(8 * random.nextInt(ZeroqDescriptor.HEADER_LENGTH / 8), interesting(random));
                    }
                    break;
                case 1:
                    // a slot's data_index or size, or a cell's sequence
                    if (slick)
                    {
                        final int slot = SlickQueueDescriptor.slotOffset(random.nextInt(CAPACITY));
                        if (random.nextBoolean())
                        {
                            buffer.putLong(slot + SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET, interesting(random));
                        }
                        else
                        {
                            buffer.putInt(slot + SlickQueueDescriptor.SLOT_SIZE_OFFSET, (int)interesting(random));
                        }
                    }
                    else
                    {
                        buffer.putLong(ZeroqDescriptor.cellOffset(random.nextInt(CAPACITY)), interesting(random));
                    }
                    break;
                case 2:
                    image[random.nextInt(image.length)] = (byte)random.nextInt();
                    break;
                case 3:
                    // truncate (possibly below the header) or extend
                    final int length = random.nextBoolean() ? random.nextInt(image.length + 1) :
                        image.length + random.nextInt(1, 64);
                    return java.util.Arrays.copyOf(image, length);
                default:
                    // nothing else: many cases keep a valid segment, so the operations below run too
                    break;
            }
        }
        return image;
    }

    private static String exerciseSlick(final String name, final SplittableRandom random)
    {
        final SlickQueue queue;
        try
        {
            final SlickConfig config = new SlickConfig().openTimeout(OPEN_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
            queue = random.nextBoolean() ? SlickQueue.open(name, ELEMENT_SIZE, config) :
                SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE, config);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return "rejected at open";
        }
        try (queue)
        {
            final SlickEntry entry = new SlickEntry();
            final SlickCursor cursor = new SlickCursor(random.nextBoolean() ? 0 : interesting(random) & Long.MAX_VALUE);
            int read = 0;
            for (int i = 0; i < 3 * CAPACITY && queue.read(cursor, entry); i++)
            {
                checkEntry(queue, entry);
                read++;
            }
            if (queue.readLast(entry))
            {
                checkEntry(queue, entry);
            }
            final AtomicCursor shared = AtomicCursor.local();
            shared.store(random.nextBoolean() ? 0 : interesting(random));
            for (int i = 0; i < CAPACITY && queue.read(shared, entry); i++)
            {
                checkEntry(queue, entry);
            }
            final int n = 1 + random.nextInt(queue.maxEntryElements());
            final long index = queue.reserve(n);
            queue.buffer().setMemory(queue.offset(index), n * ELEMENT_SIZE, (byte)7);
            queue.publish(index, n);
            return read > 0 ? "opened, read" : "opened, nothing to read";
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return "rejected in use";
        }
    }

    private static void checkEntry(final SlickQueue queue, final SlickEntry entry)
    {
        if (entry.offset() < 0 || entry.length() < 1 ||
            (long)entry.offset() + entry.length() > queue.buffer().capacity())
        {
            throw new AssertionError("entry " + entry + " outside the mapping of " + queue.buffer().capacity());
        }
        queue.buffer().getByte(entry.offset() + entry.length() - 1);
    }

    private static String exerciseZeroq(final String name, final SplittableRandom random) throws InterruptedException
    {
        final ZeroqQueue queue;
        try
        {
            queue = ZeroqQueue.open(name, new ZeroqConfig().openTimeout(OPEN_TIMEOUT_NANOS, TimeUnit.NANOSECONDS));
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return "rejected at open";
        }
        try (queue)
        {
            final UnsafeBuffer element = new UnsafeBuffer(new byte[queue.elementSize()]);
            final ZeroqRange range = new ZeroqRange();
            int moved = 0;
            queue.isStalled();
            queue.isHeldByConsumer();
            queue.size();
            for (int i = 0; i < 2 * CAPACITY; i++)
            {
                moved += queue.poll(element, 0) ? 1 : 0;
                moved += queue.offer(element, 0, element.capacity()) ? 1 : 0;
            }
            moved += queue.tryAcquire(1 + random.nextInt(CAPACITY), range);
            queue.release(range);
            moved += queue.tryClaim(1 + random.nextInt(CAPACITY), range);
            queue.commit(range);
            queue.offer(element, 0, element.capacity(), 1, TimeUnit.MILLISECONDS);
            try
            {
                new ZeroqPyQueue(queue).get(1, TimeUnit.MILLISECONDS);
            }
            catch (final QueueEmptyException ex)
            {
                moved += 0;
            }
            queue.unblock();
            return moved > 0 ? "opened, moved elements" : "opened, nothing moved";
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return "rejected in use";
        }
    }
}
