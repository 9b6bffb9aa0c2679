package dev.shmq.tool;

import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A producer paced at {@link #RATE_PER_SECOND} elements per second ({@link #BATCH} elements every
 * {@link #BATCH_PERIOD_NANOS}, on a fixed schedule that catches up after a delay), and for zeroq a consumer that
 * takes what arrives. Each thread records when it completed every element, so a test can tell when a queue's
 * position reached a value: position {@code p} was reached while element {@code p - 1} was put or taken, before
 * {@link #produced(long) produced(p - 1)}, and left again before {@code produced(p)}.
 */
final class PacedTraffic implements AutoCloseable
{
    /** Elements per batch. */
    static final int BATCH = 20;

    /** A batch every 10 ms: 2,000 elements per second. */
    static final long BATCH_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** The paced rate. */
    static final double RATE_PER_SECOND = BATCH * (double)TimeUnit.SECONDS.toNanos(1) / BATCH_PERIOD_NANOS;

    private static final int MAX_ELEMENTS = 60_000;
    private static final long IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long[] producedNanos = new long[MAX_ELEMENTS];
    private final long[] consumedNanos = new long[MAX_ELEMENTS];
    private final AtomicInteger producedCount = new AtomicInteger();
    private final AtomicInteger consumedCount = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private PacedTraffic()
    {
    }

    /**
     * @param queue a new zeroq queue.
     * @return a paced producer and a consumer on it, running.
     */
    static PacedTraffic zeroq(final ZeroqQueue queue)
    {
        final PacedTraffic traffic = new PacedTraffic();
        final UnsafeBuffer element = new UnsafeBuffer(new byte[queue.elementSize()]);
        traffic.start("paced-producer", () -> traffic.produce(() ->
        {
            while (!queue.offer(element, 0, queue.elementSize()))
            {
                if (!traffic.running)
                {
                    return false;
                }
                LockSupport.parkNanos(IDLE_NANOS);
            }
            return true;
        }));
        final UnsafeBuffer taken = new UnsafeBuffer(new byte[queue.elementSize()]);
        traffic.start("consumer", () -> traffic.consume(() -> queue.poll(taken, 0)));
        return traffic;
    }

    /**
     * @param queue a new SlickQueue.
     * @return a paced producer on it, running (a SlickQueue needs no consumer).
     */
    static PacedTraffic slick(final SlickQueue queue)
    {
        final PacedTraffic traffic = new PacedTraffic();
        traffic.start("paced-producer", () -> traffic.produce(() ->
        {
            // One producer is never lapped between its reserve and its publish: every entry is published.
            queue.publish(queue.reserve());
            return true;
        }));
        return traffic;
    }

    /**
     * @param elements how many elements both sides must have completed.
     * @param timeout  how long to wait.
     */
    void awaitBoth(final int elements, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (producedCount.get() < elements || (threads.size() > 1 && consumedCount.get() < elements))
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("traffic did not reach " + elements + " elements within " + timeout + ": produced=" +
                    producedCount.get() + " consumed=" + consumedCount.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * @param index an element's index, below what was produced once {@link #stop()} returned.
     * @return {@link System#nanoTime()} just after it was put.
     */
    long produced(final long index)
    {
        return at(producedNanos, producedCount.get(), index);
    }

    /**
     * @param index an element's index, below what was consumed once {@link #stop()} returned.
     * @return {@link System#nanoTime()} just after it was taken.
     */
    long consumed(final long index)
    {
        return at(consumedNanos, consumedCount.get(), index);
    }

    /** Stops both threads and waits for them: the recorded times are then safe to read. Idempotent. */
    void stop()
    {
        running = false;
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted while stopping " + thread.getName());
            }
            assertTrue(!thread.isAlive(), thread.getName() + " did not stop");
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close()
    {
        stop();
    }

    private static long at(final long[] nanos, final int count, final long index)
    {
        if (index < 0 || index >= count)
        {
            fail("element " + index + " was not recorded (expected 0 to " + (count - 1) + ")");
        }
        return nanos[(int)index];
    }

    private void start(final String name, final Runnable body)
    {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void produce(final Element put)
    {
        long next = System.nanoTime();
        int count = 0;
        while (running && count + BATCH <= MAX_ELEMENTS)
        {
            for (int i = 0; i < BATCH; i++)
            {
                if (!put.once())
                {
                    return;
                }
                producedNanos[count++] = System.nanoTime();
            }
            // release: the times written above are visible to whoever reads the count.
            producedCount.set(count);
            next += BATCH_PERIOD_NANOS;
            for (long wait = next - System.nanoTime(); wait > 0 && running; wait = next - System.nanoTime())
            {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private void consume(final Element take)
    {
        int count = 0;
        while (running && count < MAX_ELEMENTS)
        {
            if (take.once())
            {
                consumedNanos[count++] = System.nanoTime();
                consumedCount.set(count);
            }
            else
            {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
    }

    /** Puts or takes one element. */
    @FunctionalInterface
    private interface Element
    {
        /** @return true if it did. */
        boolean once();
    }
}
