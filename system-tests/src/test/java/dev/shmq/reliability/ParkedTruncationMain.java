package dev.shmq.reliability;

import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child JVM for {@code ShmEnvironmentTest}: a thread waits on an empty queue until its idle strategy parks it; the
 * test truncates the object from outside, and the waiter must wake with an {@link IllegalStateException} naming the
 * truncation, checked before its next access, instead of touching the missing pages (SIGBUS).
 *
 * <pre>
 * ParkedTruncationMain zeroq|slick NAME   prints READY once the waiter is parked, waits for a line, then
 *                                          WAITER &lt;what the wait ended with&gt; and DONE
 * </pre>
 */
public final class ParkedTruncationMain
{
    private static final long WAIT_MILLIS = 10_000;
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private ParkedTruncationMain()
    {
    }

    /**
     * @param args the protocol and the object's name.
     * @throws Exception if the handshake fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final String protocol = args[0];
        final String name = args[1];
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final AutoCloseable queue;
        final Runnable wait;
        if ("zeroq".equals(protocol))
        {
            final ZeroqQueue zeroq = ZeroqQueue.create(name, 16, 64);
            queue = zeroq;
            wait = () -> outcome.set(awaitElement(zeroq));
        }
        else
        {
            // Parks from the start: 1 spin, 1 yield, then park 1 ms at most.
            final SlickQueue slick = SlickQueue.createOrOpen(name, 16, 64, new SlickConfig()
                .idleStrategy(() -> new BackoffIdleStrategy(1, 1, 1_000, TimeUnit.MILLISECONDS.toNanos(1))));
            queue = slick;
            wait = () -> outcome.set(awaitEntry(slick));
        }
        try (queue)
        {
            final Thread waiter = new Thread(() ->
            {
                try
                {
                    wait.run();
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            }, "waiter");
            final long start = System.nanoTime();
            waiter.start();
            // The idle strategies park in the end: TIMED_WAITING is the waiter asleep between two attempts, and past
            // the first millisecond every attempt checks the length first.
            while (Thread.State.TIMED_WAITING != waiter.getState() || System.nanoTime() - start < SETTLE_NANOS)
            {
                Thread.onSpinWait();
            }
            System.out.println("READY");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            waiter.join(WAIT_MILLIS * 2);
            System.out.println("WAITER " + outcome.get());
            System.out.println("DONE");
        }
    }

    private static Object awaitElement(final ZeroqQueue queue)
    {
        try
        {
            return new ZeroqPyQueue(queue).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            return ex;
        }
    }

    private static Object awaitEntry(final SlickQueue queue)
    {
        try
        {
            return queue.read(new SlickCursor(), new SlickEntry(), WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            return ex;
        }
    }
}
