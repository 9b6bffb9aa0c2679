package dev.shmq.bridge;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one bridge direction as a process of its own, as {@code shmq bridge} does: an embedded Aeron media driver (or
 * an external one, by its directory), an Aeron client, and the {@link BridgeAgent} on an {@link AgentRunner} until
 * the process is told to stop (SIGINT, SIGTERM), the agent terminates, or it has moved a given number of elements.
 * Every few seconds, and when it stops, it prints one line of counters.
 *
 * <p>The embedded driver runs its conductor, sender and receiver on one thread with a back-off idle strategy (the
 * bridge is one of several processes on a host, not the only one), in a directory of its own that is deleted when
 * it closes.
 */
public final class BridgeRunner implements AutoCloseable
{
    /** How often the counters are printed unless told otherwise. */
    public static final long DEFAULT_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** How long {@link #run} waits for the agent to stop once told to. */
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int SPINS = 100;
    private static final int YIELDS = 10;
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final MediaDriver driver;
    private final Aeron aeron;
    private final AtomicLong aeronErrors = new AtomicLong();
    private final PrintStream log;
    private final CountDownLatch closed = new CountDownLatch(1);

    private BridgeRunner(final Path externalDriverDirectory, final PrintStream log)
    {
        this.log = log;
        final ErrorHandler errorHandler = (error) ->
        {
            aeronErrors.incrementAndGet();
            log.println("shmq: bridge: aeron error: " + error);
        };
        MediaDriver embedded = null;
        try
        {
            final Aeron.Context client = new Aeron.Context().errorHandler(errorHandler);
            if (null == externalDriverDirectory)
            {
                embedded = MediaDriver.launchEmbedded(new MediaDriver.Context()
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(idleStrategy())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .errorHandler(errorHandler));
                client.aeronDirectoryName(embedded.aeronDirectoryName());
            }
            else
            {
                client.aeronDirectoryName(externalDriverDirectory.toString());
            }
            this.aeron = Aeron.connect(client);
            this.driver = embedded;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(embedded);
            throw ex;
        }
    }

    /**
     * Starts the Aeron side of a bridge process.
     *
     * @param externalDriverDirectory an external media driver's directory, or null to embed one.
     * @param log                     where the counters and Aeron's errors are printed.
     * @return the runner; {@link #aeron()} adds the publication or subscription.
     */
    public static BridgeRunner launch(final Path externalDriverDirectory, final PrintStream log)
    {
        return new BridgeRunner(externalDriverDirectory, log);
    }

    /** @return the idle strategy the driver and the bridge agent use: spin, yield, then park up to 100 µs. */
    static BackoffIdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy(SPINS, YIELDS, MIN_PARK_NANOS, MAX_PARK_NANOS);
    }

    /** @return the Aeron client. */
    public Aeron aeron()
    {
        return aeron;
    }

    /** @return errors Aeron reported to this process (driver and client). */
    public long aeronErrors()
    {
        return aeronErrors.get();
    }

    /**
     * Runs the agent until the JVM is asked to shut down, the agent terminates, or {@code stopAfter} elements have
     * moved; prints the counters every {@code logIntervalNanos} and once at the end.
     *
     * @param agent            the bridge direction.
     * @param label            how the log lines name it, e.g. {@code "bridge out zeroq orders"}.
     * @param stopAfter        stop once this many elements have moved; 0 for never.
     * @param logIntervalNanos how often to print the counters.
     * @return true if it stopped as asked (a signal or the count), false if the agent failed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean run(final BridgeAgent agent, final String label, final long stopAfter, final long logIntervalNanos)
        throws InterruptedException
    {
        final CountDownLatch stop = new CountDownLatch(1);
        final AgentRunner runner = new AgentRunner(idleStrategy(), (error) ->
        {
            agent.counters().countError();
            log.println("shmq: " + label + ": " + error.getMessage());
        }, null, agent);
        final Thread hook = new Thread(() ->
        {
            stop.countDown();
            // Hold the JVM until the caller has closed this runner, so the driver's directory is deleted.
            awaitQuietly(closed);
        }, label + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final Thread thread = AgentRunner.startOnThread(runner);
        try
        {
            long nextLog = System.nanoTime() + logIntervalNanos;
            while (!stop.await(CHECK_INTERVAL_NANOS, TimeUnit.NANOSECONDS))
            {
                if (!thread.isAlive() || stopAfter > 0 && agent.counters().elements() >= stopAfter)
                {
                    break;
                }
                if (System.nanoTime() - nextLog >= 0)
                {
                    log.println("shmq: " + label + ": " + agent.counters() + " aeron_errors=" + aeronErrors.get());
                    nextLog += logIntervalNanos;
                }
            }
            // The agent's thread ends by itself only when the agent terminated (AgentTerminationException).
            final boolean failed = !thread.isAlive();
            runner.close((int)STOP_TIMEOUT_MILLIS, (t) -> log.println("shmq: " + label + ": still stopping"));
            log.println("shmq: " + label + ": stopped: " + agent.counters() + " aeron_errors=" + aeronErrors.get());
            return !failed;
        }
        finally
        {
            if (1 == stop.getCount())
            {
                removeHook(hook);
            }
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the JVM is shutting down for another reason: the hook runs, and waits for close()
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the Aeron client and the embedded driver, whose directory is deleted. */
    @Override
    public void close()
    {
        try
        {
            CloseHelper.closeAll(aeron, driver);
        }
        finally
        {
            closed.countDown();
        }
    }
}
