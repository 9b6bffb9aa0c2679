package dev.shmq.tool;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a command's loop when the JVM is asked to shut down (SIGINT from Ctrl-C, SIGTERM), and holds the shutdown
 * until the loop has finished its output (a terminal's cursor shown again), for at most {@link #FINISH_TIMEOUT_MS}.
 * The JVM then exits with the signal's usual status (130 for SIGINT, 143 for SIGTERM). Run in-process, as the tests do,
 * {@link #finish()} removes the hook again.
 */
final class StopOnShutdown
{
    /** How long the shutdown waits for the loop to finish. */
    static final long FINISH_TIMEOUT_MS = 2000;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    /**
     * @param name the hook thread's name.
     */
    StopOnShutdown(final String name)
    {
        hook = new Thread(() ->
        {
            stop.countDown();
            try
            {
                finished.await(FINISH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * @param timeoutNanos how long to wait.
     * @return true if the JVM is shutting down, at once or within the timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean awaitStop(final long timeoutNanos) throws InterruptedException
    {
        return stop.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** The loop is done: lets a shutdown in progress go on, or removes the hook if there is none. */
    void finish()
    {
        finished.countDown();
        if (stop.getCount() > 0)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the JVM began shutting down meanwhile: the hook runs, and finds the loop finished
            }
        }
    }
}
