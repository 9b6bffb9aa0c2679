package dev.shmq.reliability;

import dev.shmq.core.CheckedPayload;
import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.zeroq.ZeroqQueue;
import dev.shmq.zeroq.ZeroqRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the reliability tests: one Java process per producer, consumer or victim, the counterpart of the
 * native peers' modes. Every mode prints {@code READY} once attached and {@code DONE ...} at the end; the stress
 * modes wait for a line ({@code GO}) after {@code READY}, so that JVM start-up stays out of the figures; the hold
 * modes stop at a chosen point, print where, and block on stdin until the test kills them.
 *
 * <pre>
 * zeroq-put NAME PRODUCER COUNT                      put checked elements (odd producers in batches of 8)
 * zeroq-get NAME PRODUCERS                           take until a stop element; DONE p0=count/sum/sumsq ...
 * zeroq-claim-hold NAME PRODUCER COUNT               put COUNT, claim one more, write half, CLAIMED pos, block
 * zeroq-acquire-hold NAME                            acquire one, ACQUIRED pos producer seq, block (no release)
 * slick-produce-paced NAME ESIZE COUNT PRODUCER N WINDOW CURSOR...
 * slick-steal NAME CURSOR ESIZE PRODUCERS            shared-cursor reader until a stop entry
 * slick-watch NAME ESIZE PROGRESS STOPS PRODUCERS    broadcast reader publishing its cursor to PROGRESS
 * slick-race NAME SIZE ESIZE                         WAITING, wait for a line, create-or-open, ATTACHED
 * slick-reserve-hold NAME ESIZE PRODUCER COUNT       publish COUNT, reserve one, write half, RESERVED index, block
 * truncate-victim NAME                               create a zeroq queue, READY, wait for a line (the test
 *                                                    truncates the file meanwhile), then use every cell: CAUGHT ...
 * open-denied NAME DIR                               open NAME and create in DIR, printing each error: ERROR ...
 * </pre>
 */
public final class ReliabilityMain
{
    private static final long NO_PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int ZEROQ_BATCH = 8;
    private static final long RACE_INIT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private static final BufferedReader STDIN =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private ReliabilityMain()
    {
    }

    /**
     * @param args the mode and its arguments.
     * @throws Exception on any failure, which exits non-zero with a stack trace.
     */
    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "zeroq-put":
                zeroqPut(args[1], Long.parseLong(args[2]), Long.parseLong(args[3]));
                break;
            case "zeroq-get":
                zeroqGet(args[1], Integer.parseInt(args[2]));
                break;
            case "zeroq-claim-hold":
                zeroqClaimHold(args[1], Long.parseLong(args[2]), Long.parseLong(args[3]));
                break;
            case "zeroq-acquire-hold":
                zeroqAcquireHold(args[1]);
                break;
            case "slick-produce-paced":
                slickProducePaced(args);
                break;
            case "slick-steal":
                slickSteal(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                break;
            case "slick-watch":
                slickWatch(args[1], Integer.parseInt(args[2]), args[3], Long.parseLong(args[4]),
                    Integer.parseInt(args[5]));
                break;
            case "slick-race":
                slickRace(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                break;
            case "slick-reserve-hold":
                slickReserveHold(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
                break;
            case "truncate-victim":
                truncateVictim(args[1]);
                break;
            case "open-denied":
                openDenied(args[1], args[2]);
                break;
            default:
                throw new IllegalArgumentException("mode=" + args[0] + " (expected one listed in the Javadoc)");
        }
        System.out.flush();
    }

    private static void say(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    private static void awaitLine() throws IOException
    {
        STDIN.readLine();
    }

    private static void blockUntilKilled(final String what) throws IOException
    {
        awaitLine();
        throw new IllegalStateException(what + " was told to go on (expected to be killed)");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static void zeroqPut(final String name, final long producer, final long count) throws Exception
    {
        try (ZeroqQueue queue = ZeroqQueue.open(name))
        {
            final int elementSize = queue.elementSize();
            final UnsafeBuffer element = new UnsafeBuffer(new byte[elementSize]);
            final ZeroqRange range = new ZeroqRange();
            say("READY");
            awaitLine();
            long sequence = 0;
            while (sequence < count)
            {
                if (1 == (producer & 1))
                {
                    // Batched claims: several cells with one CAS, committed in order.
                    final int claimed = queue.tryClaim((int)Math.min(ZEROQ_BATCH, count - sequence), range);
                    for (int i = 0; i < claimed; i++)
                    {
                        CheckedPayload.fill(queue.buffer(), queue.offset(range.position() + i), elementSize, producer,
                            sequence + i);
                    }
                    queue.commit(range);
                    sequence += claimed;
                    if (0 == claimed)
                    {
                        Thread.yield();
                    }
                }
                else
                {
                    CheckedPayload.fill(element, 0, elementSize, producer, sequence);
                    queue.put(element, 0, elementSize);
                    sequence++;
                }
            }
            say("DONE put=" + count);
        }
    }

    private static void zeroqGet(final String name, final int producers) throws Exception
    {
        try (ZeroqQueue queue = ZeroqQueue.open(name))
        {
            final int elementSize = queue.elementSize();
            final UnsafeBuffer element = new UnsafeBuffer(new byte[elementSize]);
            final SequenceTally tally = new SequenceTally(producers);
            say("READY");
            while (true)
            {
                if (!queue.poll(element, 0, NO_PROGRESS_NANOS, TimeUnit.NANOSECONDS))
                {
                    throw new IllegalStateException("no element for 30 s after " + tally.total());
                }
                final long producer = CheckedPayload.producer(element, 0);
                if (CheckedPayload.STOP == producer)
                {
                    break;
                }
                CheckedPayload.verify(element, 0, elementSize);
                tally.record(producer, CheckedPayload.sequence(element, 0), false);
            }
            say("DONE" + tally.format());
        }
    }

    private static void zeroqClaimHold(final String name, final long producer, final long count) throws Exception
    {
        final ZeroqQueue queue = ZeroqQueue.open(name);
        final int elementSize = queue.elementSize();
        final UnsafeBuffer element = new UnsafeBuffer(new byte[elementSize]);
        for (long sequence = 0; sequence < count; sequence++)
        {
            CheckedPayload.fill(element, 0, elementSize, producer, sequence);
            queue.put(element, 0, elementSize);
        }
        final long position = queue.tryClaim();
        if (ZeroqQueue.NO_POSITION == position)
        {
            throw new IllegalStateException("queue full (expected a free cell to claim)");
        }
        CheckedPayload.fill(element, 0, elementSize, producer, count);
        queue.buffer().putBytes(queue.offset(position), element, 0, elementSize / 2);
        say("CLAIMED " + position);
        blockUntilKilled("zeroq-claim-hold");
    }

    private static void zeroqAcquireHold(final String name) throws Exception
    {
        final ZeroqQueue queue = ZeroqQueue.open(name);
        final long position = queue.tryAcquire();
        if (ZeroqQueue.NO_POSITION == position)
        {
            throw new IllegalStateException("queue empty (expected an element to acquire)");
        }
        final int offset = queue.offset(position);
        say("ACQUIRED " + position + " " + CheckedPayload.producer(queue.buffer(), offset) + " " +
            CheckedPayload.sequence(queue.buffer(), offset));
        blockUntilKilled("zeroq-acquire-hold");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static void slickProducePaced(final String[] args) throws Exception
    {
        final String name = args[1];
        final int elementSize = Integer.parseInt(args[2]);
        final long count = Long.parseLong(args[3]);
        final long producer = Long.parseLong(args[4]);
        final int n = Integer.parseInt(args[5]);
        final long window = Long.parseLong(args[6]);
        final List<AtomicCursor> cursors = new ArrayList<>();
        try (SlickQueue queue = SlickQueue.open(name, elementSize))
        {
            for (int i = 7; i < args.length; i++)
            {
                cursors.add(AtomicCursor.open(args[i]));
            }
            say("READY");
            awaitLine();
            long waits = 0;
            for (long sequence = 0; sequence < count; sequence++)
            {
                final long start = System.nanoTime();
                while (queue.initialReadingIndex() - slowest(cursors) > window)
                {
                    if (System.nanoTime() - start > NO_PROGRESS_NANOS)
                    {
                        throw new IllegalStateException("readers made no progress for 30 s at write index " +
                            queue.initialReadingIndex() + ", slowest cursor " + slowest(cursors));
                    }
                    waits++;
                    Thread.yield();
                }
                final long index = 1 == n ? queue.reserve() : queue.reserve(n);
                CheckedPayload.fill(queue.buffer(), queue.offset(index), n * elementSize, producer, sequence);
                queue.publish(index, n);
            }
            say("DONE produced=" + count + " waits=" + waits);
        }
        finally
        {
            cursors.forEach(AtomicCursor::close);
        }
    }

    private static long slowest(final List<AtomicCursor> cursors)
    {
        long slowest = Long.MAX_VALUE;
        for (final AtomicCursor cursor : cursors)
        {
            slowest = Math.min(slowest, cursor.load());
        }
        return slowest;
    }

    private static void slickSteal(final String name, final String cursorName, final int elementSize,
        final int producers)
    {
        try (SlickQueue queue = SlickQueue.open(name, elementSize);
            AtomicCursor cursor = AtomicCursor.open(cursorName))
        {
            final SlickEntry entry = new SlickEntry();
            final SequenceTally tally = new SequenceTally(producers);
            say("READY");
            long lastProgress = System.nanoTime();
            while (true)
            {
                if (!queue.read(cursor, entry))
                {
                    if (System.nanoTime() - lastProgress > NO_PROGRESS_NANOS)
                    {
                        throw new IllegalStateException("no entry for 30 s after claiming " + tally.total());
                    }
                    Thread.yield();
                    continue;
                }
                lastProgress = System.nanoTime();
                CheckedPayload.verify(queue.buffer(), entry.offset(), entry.length());
                final long producer = CheckedPayload.producer(queue.buffer(), entry.offset());
                if (CheckedPayload.STOP == producer)
                {
                    break;
                }
                tally.record(producer, CheckedPayload.sequence(queue.buffer(), entry.offset()), false);
            }
            say("DONE claimed=" + tally.total() + " lost=" + queue.lossCount() + tally.format());
        }
    }

    private static void slickWatch(final String name, final int elementSize, final String progressName,
        final long stopsExpected, final int producers)
    {
        try (SlickQueue queue = SlickQueue.open(name, elementSize);
            AtomicCursor progress = AtomicCursor.open(progressName))
        {
            final SlickCursor cursor = new SlickCursor();
            final SlickEntry entry = new SlickEntry();
            final SequenceTally tally = new SequenceTally(producers);
            say("READY");
            long stops = 0;
            long lastProgress = System.nanoTime();
            while (stops < stopsExpected)
            {
                final long lostBefore = cursor.lossCount();
                if (!queue.read(cursor, entry))
                {
                    if (System.nanoTime() - lastProgress > NO_PROGRESS_NANOS)
                    {
                        throw new IllegalStateException("no entry for 30 s after " + tally.total() + " at cursor=" +
                            cursor.position());
                    }
                    Thread.yield();
                    continue;
                }
                lastProgress = System.nanoTime();
                CheckedPayload.verify(queue.buffer(), entry.offset(), entry.length());
                final long producer = CheckedPayload.producer(queue.buffer(), entry.offset());
                final long sequence = CheckedPayload.sequence(queue.buffer(), entry.offset());
                progress.store(cursor.position());
                if (CheckedPayload.STOP == producer)
                {
                    stops++;
                    continue;
                }
                tally.record(producer, sequence, cursor.lossCount() == lostBefore);
            }
            say("DONE read=" + tally.total() + " lost=" + cursor.lossCount() + " stops=" + stops + tally.format());
        }
    }

    private static void slickRace(final String name, final int size, final int elementSize) throws Exception
    {
        say("WAITING");
        awaitLine();
        try (SlickQueue queue = SlickQueue.createOrOpen(name, size, elementSize,
            new SlickConfig().openTimeout(RACE_INIT_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)))
        {
            final int initState = queue.buffer().getIntVolatile(SlickQueueDescriptor.INIT_STATE_OFFSET);
            final int magic = queue.buffer().getIntVolatile(SlickQueueDescriptor.HEADER_MAGIC_OFFSET);
            if (SlickQueueDescriptor.INIT_STATE_READY != initState || SlickQueueDescriptor.MAGIC != magic ||
                queue.capacity() != size || queue.elementSize() != elementSize)
            {
                throw new IllegalStateException("init_state=" + initState + " magic=0x" + Integer.toHexString(magic) +
                    " size=" + queue.capacity() + " element_size=" + queue.elementSize() +
                    " (expected a ready header)");
            }
            say("ATTACHED " + ProcessHandle.current().pid() + " initialiser=" + (queue.isCreator() ? 1 : 0));
            awaitLine();
            say("DONE");
        }
    }

    private static void slickReserveHold(final String name, final int elementSize, final long producer,
        final long count) throws Exception
    {
        final SlickQueue queue = SlickQueue.open(name, elementSize);
        for (long sequence = 0; sequence < count; sequence++)
        {
            final long index = queue.reserve();
            CheckedPayload.fill(queue.buffer(), queue.offset(index), elementSize, producer, sequence);
            queue.publish(index);
        }
        final long held = queue.reserve();
        final UnsafeBuffer element = new UnsafeBuffer(new byte[elementSize]);
        CheckedPayload.fill(element, 0, elementSize, producer, count);
        queue.buffer().putBytes(queue.offset(held), element, 0, elementSize / 2);
        say("RESERVED " + held);
        blockUntilKilled("slick-reserve-hold");
    }

    private static void truncateVictim(final String name) throws Exception
    {
        try (ZeroqQueue queue = ZeroqQueue.create(name, 1024, 64))
        {
            final UnsafeBuffer element = new UnsafeBuffer(new byte[64]);
            say("READY " + queue.buffer().capacity());
            awaitLine();
            try
            {
                int moved = 0;
                for (int i = 0; i < queue.capacity(); i++)
                {
                    moved += queue.offer(element, 0, 64) ? 1 : 0;
                }
                say("NO FAULT moved=" + moved);
            }
            catch (final Throwable ex)
            {
                say("CAUGHT " + ex);
            }
            say("DONE");
        }
    }

    private static void openDenied(final String name, final String directory)
    {
        try (ZeroqQueue queue = ZeroqQueue.open(name))
        {
            say("OPENED " + queue.name());
        }
        catch (final RuntimeException ex)
        {
            say("ERROR " + ex.getMessage());
        }
        try (dev.shmq.core.ShmSegment segment = dev.shmq.core.ShmSegment.create(
            dev.shmq.core.ShmName.of(java.nio.file.Paths.get(directory), "shmq-denied"), 4096))
        {
            say("CREATED " + segment.name().path());
        }
        catch (final RuntimeException ex)
        {
            say("ERROR " + ex.getMessage());
        }
        say("DONE");
    }
}
