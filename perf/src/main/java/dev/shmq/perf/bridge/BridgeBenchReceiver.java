package dev.shmq.perf.bridge;

import dev.shmq.core.MessageHandler;
import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.zeroq.ZeroqQueue;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The receiving end of one benchmark run, on host B: takes {@code warmup + count} messages either from a local zeroq
 * queue (which {@code shmq bridge in} puts into) or from a raw Aeron subscription of its own embedded media driver,
 * polling up to {@value #POLL_LIMIT} at a time and waiting in the back-off idle strategy of
 * {@link EmbeddedAeron#idleStrategy()} when there is none. Every message's sequence number is checked.
 *
 * <p>{@code mode=tp}: the rate over the {@code count} messages after the warm-up, from the arrival of the last
 * warm-up message to that of the last one: {@code RESULT msgs_per_s=... mb_per_s=... seconds=... errors=...}.
 * {@code mode=paced}: the latency of each measured message, {@link System#nanoTime()} on arrival minus the
 * intended send time stamped in it, into an HdrHistogram: {@code RESULT p50_ns=... p99_ns=... p999_ns=...
 * max_ns=... count=... errors=...}, and the percentile distribution (microseconds) to {@code hgrm=PATH}.
 */
public final class BridgeBenchReceiver
{
    /** The most messages taken per poll: what {@code shmq bridge in} polls. */
    static final int POLL_LIMIT = 64;

    /** How long a run may take before the receiver gives up. */
    static final long RUN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final boolean paced;
    private final long warmup;
    private final long total;
    private final int payload;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private long received;
    private long errors;
    private long firstNanos;
    private long lastNanos;

    /** Where the messages come from: polls up to a limit of them into the receiver, returns how many. */
    @FunctionalInterface
    interface Inlet
    {
        int poll(int limit);
    }

    private BridgeBenchReceiver(final WorkerArgs spec)
    {
        this.paced = spec.isPaced();
        this.payload = spec.payload();
        this.warmup = spec.longValue(WorkerArgs.WARMUP);
        this.total = warmup + spec.longValue(WorkerArgs.COUNT);
    }

    /**
     * Runs one receiving end; the arguments are {@code key=value} words, see {@link WorkerArgs}.
     *
     * @param args {@code transport=zeroq|aeron mode=tp|paced payload=N warmup=N count=N [hgrm=PATH]} and
     *             {@code queue=NAME} or {@code channel=CHANNEL stream=ID aeron-dir=DIR}.
     * @throws IOException if the histogram file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final WorkerArgs spec = WorkerArgs.parse(args);
        final BridgeBenchReceiver receiver = new BridgeBenchReceiver(spec);
        if (spec.isAeron())
        {
            try (EmbeddedAeron aeron = EmbeddedAeron.launch(spec.string(WorkerArgs.AERON_DIR));
                Subscription subscription = aeron.aeron().addSubscription(
                    spec.string(WorkerArgs.CHANNEL), spec.intValue(WorkerArgs.STREAM)))
            {
                final FragmentAssembler assembler = new FragmentAssembler(
                    (buffer, offset, length, header) -> receiver.onMessage(buffer, offset, length));
                BridgeBenchSender.ready();
                receiver.run((limit) -> subscription.poll(assembler, limit));
            }
        }
        else
        {
            try (ZeroqQueue queue = ZeroqQueue.open(spec.string(WorkerArgs.QUEUE), new ZeroqConfig()
                .unlinkOnClose(false)))
            {
                final MessageHandler handler =
                    (buffer, offset, length, position) -> receiver.onMessage(buffer, offset, length);
                BridgeBenchSender.ready();
                receiver.run((limit) -> queue.drain(handler, limit));
            }
        }
        receiver.report(spec);
    }

    private void run(final Inlet inlet)
    {
        final IdleStrategy idle = EmbeddedAeron.idleStrategy();
        final long deadline = System.nanoTime() + RUN_TIMEOUT_NANOS;
        while (received < total)
        {
            if (0 == inlet.poll((int)Math.min(POLL_LIMIT, total - received)))
            {
                idle.idle();
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("received=" + received + " of " + total + " within " +
                        TimeUnit.NANOSECONDS.toSeconds(RUN_TIMEOUT_NANOS) + " s");
                }
            }
            else
            {
                idle.reset();
            }
        }
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long now = System.nanoTime();
        if (length != payload || buffer.getLong(offset + WorkerArgs.SEQUENCE_OFFSET) != received)
        {
            errors++;
        }
        if (paced)
        {
            if (received >= warmup)
            {
                final long nanos = now - buffer.getLong(offset + WorkerArgs.STAMP_OFFSET);
                latency.recordValue(Math.max(0, Math.min(latency.getHighestTrackableValue(), nanos)));
            }
        }
        else if (received == Math.max(0, warmup - 1))
        {
            firstNanos = now;
        }
        received++;
        lastNanos = now;
    }

    private void report(final WorkerArgs spec) throws IOException
    {
        if (paced)
        {
            final String path = spec.string(WorkerArgs.HGRM);
            try (PrintStream hgrm = new PrintStream(path, StandardCharsets.UTF_8))
            {
                latency.outputPercentileDistribution(hgrm, 1000.0);
            }
            BridgeBenchSender.result(String.format(Locale.ROOT,
                "RESULT p50_ns=%d p99_ns=%d p999_ns=%d max_ns=%d count=%d errors=%d",
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9), latency.getMaxValue(), latency.getTotalCount(), errors));
            return;
        }
        // with no warm-up the clock starts at the first message, so one message fewer is timed
        final long timed = total - Math.max(1, warmup);
        final double seconds = (lastNanos - firstNanos) / 1e9;
        final double rate = timed / seconds;
        BridgeBenchSender.result(String.format(Locale.ROOT,
            "RESULT msgs_per_s=%.1f mb_per_s=%.3f seconds=%.6f count=%d errors=%d",
            rate, rate * payload / 1e6, seconds, timed, errors));
    }
}
