package dev.shmq.perf.bridge;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The raw Aeron side of the benchmark: an embedded media driver configured as {@code shmq bridge} configures its
 * own (SHARED threading mode, the back-off idle strategy of {@link #idleStrategy()}, a directory of its own deleted on
 * start and on close) and an Aeron client on it. Publications and subscriptions use Aeron's defaults, as the bridge
 * does.
 */
final class EmbeddedAeron implements AutoCloseable
{
    /** Spins before yielding: the bridge's own value ({@code BridgeRunner}). */
    static final int SPINS = 100;

    /** Yields before parking: the bridge's own value. */
    static final int YIELDS = 10;

    /** The first park. */
    static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);

    /** The longest park: parks double from {@link #MIN_PARK_NANOS} up to this. */
    static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** How every loop of the benchmark's processes waits, and the embedded drivers' shared thread. */
    static final String IDLE_DESCRIPTION = "BackoffIdleStrategy(spins=" + SPINS + ", yields=" + YIELDS +
        ", park 1..100 us)";

    private final MediaDriver driver;
    private final Aeron aeron;

    private EmbeddedAeron(final String directory)
    {
        MediaDriver launched = null;
        try
        {
            launched = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(directory)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idleStrategy())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .errorHandler((error) -> System.err.println("aeron driver error: " + error)));
            this.aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(launched.aeronDirectoryName())
                .errorHandler((error) -> System.err.println("aeron client error: " + error)));
            this.driver = launched;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(launched);
            throw ex;
        }
    }

    /**
     * @param directory the driver's directory, deleted on start and on close.
     * @return the driver and a client connected to it.
     */
    static EmbeddedAeron launch(final String directory)
    {
        return new EmbeddedAeron(directory);
    }

    /** @return a new back-off idle strategy with the bridge's parameters: spin, yield, then park up to 100 us. */
    static IdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy(SPINS, YIELDS, MIN_PARK_NANOS, MAX_PARK_NANOS);
    }

    /** @return the client. */
    Aeron aeron()
    {
        return aeron;
    }

    /** Closes the client, then the driver, whose directory is deleted. */
    @Override
    public void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }
}
