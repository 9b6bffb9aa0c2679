package dev.shmq.perf.bridge;

import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.zeroq.ZeroqQueue;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The sending end of one benchmark run, on host A: writes {@code warmup + count} messages either into a local zeroq
 * queue (which {@code shmq bridge out} takes from) or into a raw Aeron exclusive publication of its own embedded
 * media driver, flat out ({@code mode=tp}) or at a fixed rate ({@code mode=paced}, each message stamped with its
 * intended send time from {@link System#nanoTime()}). A refused offer (full queue, Aeron back-pressure) is retried
 * after the back-off idle strategy of {@link EmbeddedAeron#idleStrategy()}; the paced schedule waits in it too.
 *
 * <p>Prints {@code READY} once attached, {@code RESULT sent=... late=... lag_p50_ns=... lag_p99_ns=...
 * lag_max_ns=...} when done (the lag is how long after its intended time each measured message was accepted), then
 * keeps its publication and driver open until its standard input ends, so that nothing is lost in a closing driver.
 */
public final class BridgeBenchSender
{
    /** How long a raw publication may take to connect to the far subscription. */
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** How far ahead of the first message a paced schedule starts. */
    static final long PACED_START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final WorkerArgs spec;
    private final Outlet outlet;
    private final IdleStrategy idle = EmbeddedAeron.idleStrategy();

    /** Where the messages go: true if accepted, false to try again later. */
    @FunctionalInterface
    interface Outlet
    {
        boolean offer(UnsafeBuffer buffer, int length);
    }

    private BridgeBenchSender(final WorkerArgs spec, final Outlet outlet)
    {
        this.spec = spec;
        this.outlet = outlet;
    }

    /**
     * Runs one sending end; the arguments are {@code key=value} words, see {@link WorkerArgs}.
     *
     * @param args {@code transport=zeroq|aeron mode=tp|paced payload=N warmup=N count=N [rate=N]} and
     *             {@code queue=NAME} or {@code channel=CHANNEL stream=ID aeron-dir=DIR}.
     * @throws IOException if standard input cannot be read.
     */
    public static void main(final String[] args) throws IOException
    {
        final WorkerArgs spec = WorkerArgs.parse(args);
        if (spec.isAeron())
        {
            try (EmbeddedAeron aeron = EmbeddedAeron.launch(spec.string(WorkerArgs.AERON_DIR));
                ExclusivePublication publication = aeron.aeron().addExclusivePublication(
                    spec.string(WorkerArgs.CHANNEL), spec.intValue(WorkerArgs.STREAM)))
            {
                ready();
                awaitConnected(publication);
                new BridgeBenchSender(spec, (buffer, length) -> offered(publication.offer(buffer, 0, length))).run();
                awaitEndOfInput(System.in);
            }
        }
        else
        {
            try (ZeroqQueue queue = ZeroqQueue.open(spec.string(WorkerArgs.QUEUE), new ZeroqConfig()
                .unlinkOnClose(false)))
            {
                ready();
                new BridgeBenchSender(spec, (buffer, length) -> queue.offer(buffer, 0, length)).run();
                awaitEndOfInput(System.in);
            }
        }
    }

    private void run()
    {
        final int payload = spec.payload();
        final long warmup = spec.longValue(WorkerArgs.WARMUP);
        final long total = warmup + spec.longValue(WorkerArgs.COUNT);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(payload));
        for (int i = 0; i < payload; i++)
        {
            buffer.putByte(i, (byte)i);
        }
        if (spec.isPaced())
        {
            paced(buffer, payload, warmup, total);
        }
        else
        {
            for (long sequence = 0; sequence < total; sequence++)
            {
                buffer.putLong(WorkerArgs.SEQUENCE_OFFSET, sequence);
                send(buffer, payload);
            }
            result("RESULT sent=" + total);
        }
    }

    private void paced(final UnsafeBuffer buffer, final int payload, final long warmup, final long total)
    {
        final long intervalNanos = TimeUnit.SECONDS.toNanos(1) / spec.longValue(WorkerArgs.RATE);
        final Histogram lag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long late = 0;
        final long start = System.nanoTime() + PACED_START_DELAY_NANOS;
        for (long sequence = 0; sequence < total; sequence++)
        {
            final long intended = start + sequence * intervalNanos;
            while (System.nanoTime() - intended < 0)
            {
                idle.idle();
            }
            idle.reset();
            // the stamp is the intended send time: waiting to send (a late wake-up, back-pressure) counts as latency
            buffer.putLong(WorkerArgs.STAMP_OFFSET, intended);
            buffer.putLong(WorkerArgs.SEQUENCE_OFFSET, sequence);
            send(buffer, payload);
            final long sentLag = System.nanoTime() - intended;
            if (sequence >= warmup)
            {
                lag.recordValue(Math.min(lag.getHighestTrackableValue(), sentLag));
                if (sentLag > intervalNanos)
                {
                    late++;
                }
            }
        }
        result(String.format(Locale.ROOT, "RESULT sent=%d late=%d lag_p50_ns=%d lag_p99_ns=%d lag_max_ns=%d",
            total, late, lag.getValueAtPercentile(50), lag.getValueAtPercentile(99), lag.getMaxValue()));
    }

    private void send(final UnsafeBuffer buffer, final int payload)
    {
        while (!outlet.offer(buffer, payload))
        {
            idle.idle();
        }
        idle.reset();
    }

    private static boolean offered(final long result)
    {
        if (result > 0)
        {
            return true;
        }
        if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
        {
            throw new IllegalStateException("offer=" + result + " (publication closed or full for good)");
        }
        // NOT_CONNECTED, BACK_PRESSURED, ADMIN_ACTION: try again
        return false;
    }

    private static void awaitConnected(final Publication publication)
    {
        final IdleStrategy idle = EmbeddedAeron.idleStrategy();
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
        while (!publication.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("publication " + publication.channel() + " not connected within " +
                    TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NANOS) + " s (expected the far subscription)");
            }
            idle.idle();
        }
    }

    static void ready()
    {
        System.out.println("READY");
        System.out.flush();
    }

    static void result(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    /** Holds the process (and its publication, driver or queue) until the orchestrator closes standard input. */
    static void awaitEndOfInput(final InputStream in) throws IOException
    {
        final byte[] skipped = new byte[256];
        while (in.read(skipped) >= 0)
        {
            // nothing is expected on standard input but its end
        }
    }
}
