package dev.shmq.perf;

import dev.shmq.zeroq.ZeroqQueue;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child-process side of a bench run: one role ({@code send}, {@code recv}, {@code ping}, {@code pong},
 * {@code paced-send}, {@code paced-recv}, {@code wake-send}, {@code wake-recv}) of one system, given as
 * {@code key=value} arguments. It creates what it receives on, prints {@code READY}, waits for {@code GO} on standard
 * input, opens what it sends on, runs, and prints one {@code RESULT key=value ...} line.
 */
public final class BenchWorker
{
    private static final int POLL_LIMIT = 256;
    private static final int MAX_CHECK_INTERVAL = 1024;
    private static final long MAX_CHECKED_RATE = 500_000_000;
    private static final long MAX_CHECKED_BYTES_PER_SECOND = 50_000_000_000L;
    private static final long DRAIN_MS = 500;
    private static final int MAX_CHECKS = 1 << 21;
    private static final int FILL_WARMUP_CALLS = 50_000;
    private static final long PACED_START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int WAKE_WARMUP_MESSAGES = 50_000;
    private static final long WAKE_MIN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WAKE_MAX_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

    private final WorkerSpec spec;
    private final BenchSystem system;
    private final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private BenchWorker(final WorkerSpec spec)
    {
        this.spec = spec;
        this.system = spec.system();
    }

    /**
     * Runs one role.
     *
     * @param args {@code key=value} pairs; see {@link WorkerSpec}.
     * @throws Exception if the run fails; the orchestrator shows the stack trace.
     */
    public static void main(final String[] args) throws Exception
    {
        final WorkerSpec spec = WorkerSpec.parse(args);
        final BenchWorker worker = new BenchWorker(spec);
        final String role = spec.string(WorkerSpec.ROLE);
        switch (role)
        {
            case "send":
                worker.send();
                break;
            case "recv":
                worker.receive();
                break;
            case "ping":
                worker.ping();
                break;
            case "pong":
                worker.pong();
                break;
            case "paced-send":
                worker.pacedSend();
                break;
            case "paced-recv":
                worker.pacedReceive();
                break;
            case "wake-send":
                worker.wakeSend();
                break;
            case "wake-recv":
                worker.wakeReceive();
                break;
            default:
                throw new IllegalArgumentException("role=" + role + " (expected a bench role)");
        }
        System.out.flush();
        System.exit(0);
    }

    private MessageReceiver newReceiver(final WorkerSpec spec)
    {
        switch (system)
        {
            case SLICK:
                return SlickEndpoints.receiver(spec, false);
            case SLICK_BATCH:
                return SlickEndpoints.receiver(spec, true);
            case ZEROQ:
            case ZEROQ_SPIN:
            case ZEROQ_BATCH:
                return ZeroqEndpoints.receiver(spec, system);
            case AGRONA_O2O:
                return AgronaEndpoints.receiver(spec, false);
            case AGRONA_M2O:
                return AgronaEndpoints.receiver(spec, true);
            case UNIX_SOCKET:
                return UnixSocketEndpoints.receiver(spec);
            default:
                throw new IllegalArgumentException("system=" + system.id() + " (expected a Java system)");
        }
    }

    private MessageSender newSender(final WorkerSpec spec, final BenchControl control)
    {
        switch (system)
        {
            case SLICK:
                return SlickEndpoints.sender(spec, control, false);
            case SLICK_BATCH:
                return SlickEndpoints.sender(spec, control, true);
            case ZEROQ:
            case ZEROQ_SPIN:
            case ZEROQ_BATCH:
                return ZeroqEndpoints.sender(spec.copy().set(WorkerSpec.CREATOR, false), system);
            case AGRONA_O2O:
                return AgronaEndpoints.sender(spec, false);
            case AGRONA_M2O:
                return AgronaEndpoints.sender(spec, true);
            case UNIX_SOCKET:
                return UnixSocketEndpoints.sender(spec);
            default:
                throw new IllegalArgumentException("system=" + system.id() + " (expected a Java system)");
        }
    }

    private void readyAndAwaitGo() throws IOException
    {
        System.out.println("READY");
        System.out.flush();
        final String line = stdin.readLine();
        if (!"GO".equals(line))
        {
            throw new IllegalStateException("stdin line=" + line + " (expected GO)");
        }
    }

    private static void result(final String fields)
    {
        System.out.println("RESULT " + fields);
        System.out.flush();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Throughput
    // ------------------------------------------------------------------------------------------------------------

    private void send() throws IOException
    {
        readyAndAwaitGo();
        final long goUptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        final long goNanos = System.nanoTime();
        final int producer = spec.integer(WorkerSpec.INDEX, 0);
        final long count = spec.longValue(WorkerSpec.COUNT, 0);
        final long warmupNanos = TimeUnit.MILLISECONDS.toNanos(spec.longValue(WorkerSpec.WARMUP_MS, 300));
        final long durationNanos = TimeUnit.MILLISECONDS.toNanos(spec.longValue(WorkerSpec.DURATION_MS, 1000)) +
            warmupNanos;
        try (BenchControl control = BenchControl.open(spec.string(WorkerSpec.CONTROL)))
        {
            final MessageSender sender = newSender(spec, control);
            final int checkInterval = checkInterval();
            final long start = System.nanoTime();
            long sent = 0;
            long ticks = 0;
            long nextCheck = checkInterval;
            while (true)
            {
                final long remaining = count > 0 ? count - sent : POLL_LIMIT;
                if (remaining <= 0)
                {
                    break;
                }
                final int offered = sender.offerBatch(sent, (int)Math.min(POLL_LIMIT, remaining));
                sent += offered;
                // a refused offer ticks once, so the clock is read every checkInterval messages or refusals with no
                // branch on whether the ring was full: first taken mid-run, one would deoptimise this loop there
                ticks += Math.max(1, offered);
                if (ticks >= nextCheck)
                {
                    nextCheck = ticks + checkInterval;
                    if (0 == count && System.nanoTime() - start >= durationNanos)
                    {
                        break;
                    }
                }
            }
            final long end = System.nanoTime();
            sender.close();
            control.producerDone(producer, sent);
            result("sent=" + sent + " nanos=" + (end - start) + window(goUptimeMs, goNanos, start + warmupNanos, end));
        }
    }

    /**
     * @param goUptimeMs the JVM's uptime at {@code GO}, milliseconds.
     * @param goNanos    {@link System#nanoTime()} just after it.
     * @param fromNanos  the timed window's start.
     * @param toNanos    its end.
     * @return the window as JVM uptime, the clock of {@code -XX:+PrintCompilation}, for {@link JitCheck}: whole
     * milliseconds, rounded down, both ends.
     */
    private static String window(final long goUptimeMs, final long goNanos, final long fromNanos, final long toNanos)
    {
        return " windowStartMs=" + (goUptimeMs + TimeUnit.NANOSECONDS.toMillis(Math.max(0, fromNanos - goNanos))) +
            " windowEndMs=" + (goUptimeMs + TimeUnit.NANOSECONDS.toMillis(Math.max(0, toNanos - goNanos)));
    }

    /**
     * @return how many messages go by between looks at the clock and progress reports: at most 1024, and at most an
     * eighth of the ring so that big messages (a few slots) are timed and reported often enough.
     */
    private int checkInterval()
    {
        return Math.max(1, Math.min(MAX_CHECK_INTERVAL, spec.integer(WorkerSpec.SLOTS, 1024) / 8));
    }

    /**
     * @param checkInterval messages between progress checks.
     * @return how many progress checks a throughput consumer keeps: its run (the count, or warm-up, duration and a
     * drain) at a rate no transport reaches on one core, 500 M messages or 50 GB a second, at most 2^21; a longer run
     * overwrites the last one kept.
     */
    private int progressChecks(final int checkInterval)
    {
        final long count = spec.longValue(WorkerSpec.COUNT, 0);
        final long millis = spec.longValue(WorkerSpec.DURATION_MS, 1000) + spec.longValue(WorkerSpec.WARMUP_MS, 300) +
            DRAIN_MS;
        final long rate = Math.min(MAX_CHECKED_RATE,
            MAX_CHECKED_BYTES_PER_SECOND / Math.max(1, spec.integer(WorkerSpec.PAYLOAD, Long.BYTES)));
        final long messages = count > 0 ? count * spec.integer(WorkerSpec.PRODUCERS, 1) : rate / 1000 * millis;
        return (int)Math.min(MAX_CHECKS, messages / checkInterval + 2);
    }

    private void receive() throws IOException
    {
        final int consumer = spec.integer(WorkerSpec.INDEX, 0);
        final int producers = spec.integer(WorkerSpec.PRODUCERS, 1);
        final int consumers = spec.integer(WorkerSpec.CONSUMERS, 1);
        final int checkInterval = checkInterval();
        final long warmupNanos = TimeUnit.MILLISECONDS.toNanos(spec.longValue(WorkerSpec.WARMUP_MS, 300));
        // time, count and ring fill at every progress check, allocated before GO; the window's start is picked
        // after the run, so that no branch inside the loop is first taken when the warm-up ends (it was, once, and
        // the JIT deoptimised the compiled loop right there, inside the timed window)
        final int checks = progressChecks(checkInterval);
        final int lastCheck = checks - 1;
        final long[] checkNanos = new long[checks];
        final long[] checkReceived = new long[checks];
        final short[] checkFill = new short[checks];
        final FillHistogram fillHistogram = new FillHistogram();
        try (BenchControl control = BenchControl.open(spec.string(WorkerSpec.CONTROL));
            MessageReceiver receiver = newReceiver(spec))
        {
            final boolean hasFill = !Double.isNaN(receiver.fill());
            warmFill(receiver);
            readyAndAwaitGo();
            final long goUptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
            final long goNanos = System.nanoTime();
            long received = 0;
            long nextCheck = checkInterval;
            int check = 0;
            long firstNanos = 0;
            long lastNanos = 0;
            long lastProgressNanos = goNanos;
            long stampedReceived = 0;
            while (true)
            {
                final int taken = receiver.poll(POLL_LIMIT);
                if (taken > 0)
                {
                    if (0 == received)
                    {
                        firstNanos = System.nanoTime();
                    }
                    received += taken;
                    if (received >= nextCheck)
                    {
                        nextCheck = received + checkInterval;
                        control.received(consumer, received);
                        // clamped with a conditional move, not a branch: a run longer than planned keeps the last
                        final int slot = Math.min(check++, lastCheck);
                        checkNanos[slot] = System.nanoTime();
                        checkReceived[slot] = received;
                        checkFill[slot] = FillHistogram.bucket(receiver.fill());
                    }
                    continue;
                }
                final long now = System.nanoTime();
                if (received != stampedReceived)
                {
                    stampedReceived = received;
                    lastNanos = now;
                    lastProgressNanos = now;
                }
                control.received(consumer, received);
                if (MessageReceiver.END == taken)
                {
                    break;
                }
                final long total = control.totalSentIfDone(producers);
                if (total >= 0 && (control.totalReceived(consumers) >= total ||
                    now - lastProgressNanos > BenchControl.LOSS_TIMEOUT_NANOS))
                {
                    break;
                }
            }
            final int recorded = Math.min(check, checks);
            final int warm = firstAtOrAfter(checkNanos, recorded, firstNanos + warmupNanos);
            final long warmReceived = warm < recorded ? checkReceived[warm] : 0;
            final long warmNanos = warm < recorded ? checkNanos[warm] : firstNanos;
            fillHistogram.record(checkFill, warm, recorded);
            final String fill = hasFill && fillHistogram.total() > 0 ?
                " fill=" + FillHistogram.format(fillHistogram.median()) : "";
            result("received=" + received + " warmReceived=" + warmReceived + " warmNanos=" + warmNanos +
                " lastNanos=" + lastNanos + fill + " corrupt=" + receiver.corrupt() +
                window(goUptimeMs, goNanos, warmNanos, lastNanos));
        }
    }

    /**
     * Calls the fill sampling enough before {@code GO} for the JIT to compile it then: called only once per check,
     * it would otherwise reach the compile thresholds, and be compiled on this process's one CPU, inside the window.
     *
     * @param receiver the consumer's receiver; its ring is still empty.
     * @return the buckets summed, so that nothing is optimised away.
     */
    private static long warmFill(final MessageReceiver receiver)
    {
        long sum = 0;
        for (int i = 0; i < FILL_WARMUP_CALLS; i++)
        {
            sum += FillHistogram.bucket(receiver.fill());
        }
        return sum;
    }

    /**
     * @param nanos    check times, in order.
     * @param recorded how many there are.
     * @param from     the time wanted.
     * @return the index of the first check at or after {@code from}, {@code recorded} if none.
     */
    private static int firstAtOrAfter(final long[] nanos, final int recorded, final long from)
    {
        int index = 0;
        while (index < recorded && nanos[index] - from < 0)
        {
            index++;
        }
        return index;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Round trip
    // ------------------------------------------------------------------------------------------------------------

    private WorkerSpec leg(final String suffix, final boolean creator)
    {
        return spec.copy().set(WorkerSpec.NAME, spec.string(WorkerSpec.NAME) + suffix).set(WorkerSpec.CREATOR, creator);
    }

    private void ping() throws IOException
    {
        final long count = spec.longValue(WorkerSpec.COUNT, 100_000);
        final long warmup = count / 5;
        final Histogram histogram = Histograms.create();
        try (MessageReceiver receiver = newReceiver(leg("-b", true)))
        {
            readyAndAwaitGo();
            try (MessageSender sender = newSender(leg("-a", false), null))
            {
                for (long i = 0, end = warmup + count; i < end; i++)
                {
                    final long start = System.nanoTime();
                    // spin without a pause instruction, as the C++ peers do: the ring is never full here
                    while (!sender.offer(start))
                    {
                        Thread.onSpinWait();
                    }
                    int taken;
                    while (0 == (taken = receiver.poll(1)))
                    {
                        // busy-spin: a pause here would add its own latency to every round trip
                    }
                    final long rtt = System.nanoTime() - start;
                    if (MessageReceiver.END == taken)
                    {
                        throw new IllegalStateException("pong closed after " + i + " of " + end);
                    }
                    if (i >= warmup)
                    {
                        Histograms.record(histogram, rtt);
                    }
                }
            }
        }
        result("count=" + histogram.getTotalCount() + " hist=" + Histograms.encode(histogram));
    }

    private void pong() throws IOException
    {
        final long count = spec.longValue(WorkerSpec.COUNT, 100_000);
        final long total = count + count / 5;
        try (MessageReceiver receiver = newReceiver(leg("-a", true)))
        {
            readyAndAwaitGo();
            try (MessageSender sender = newSender(leg("-b", false), null))
            {
                long echoed = 0;
                while (echoed < total)
                {
                    final int taken = receiver.poll(1);
                    if (MessageReceiver.END == taken)
                    {
                        break;
                    }
                    if (taken > 0)
                    {
                        final long stamp = receiver.lastStamp();
                        while (!sender.offer(stamp))
                        {
                            Thread.onSpinWait();
                        }
                        echoed++;
                    }
                }
                result("echoed=" + echoed);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Paced one-way latency, corrected for coordinated omission
    // ------------------------------------------------------------------------------------------------------------

    /**
     * @param count measured messages.
     * @return unmeasured messages first: a fifth of the count, and at least a second's worth, so that the JIT
     * compiler is done before the schedule counts (its threads compete with two spinning processes on a small box).
     */
    private long pacedWarmup(final long count)
    {
        return Math.max(count / 5, spec.longValue(WorkerSpec.RATE, 100_000));
    }

    private void pacedSend() throws IOException
    {
        final long count = spec.longValue(WorkerSpec.COUNT, 100_000);
        final long total = count + pacedWarmup(count);
        final long intervalNanos = TimeUnit.SECONDS.toNanos(1) / spec.longValue(WorkerSpec.RATE, 100_000);
        readyAndAwaitGo();
        long late = 0;
        try (MessageSender sender = newSender(spec, null))
        {
            final long start = System.nanoTime() + PACED_START_DELAY_NANOS;
            for (long i = 0; i < total; i++)
            {
                final long intended = start + i * intervalNanos;
                long now;
                while ((now = System.nanoTime()) < intended)
                {
                    Thread.onSpinWait();
                }
                if (now - intended > intervalNanos)
                {
                    late++;
                }
                // the stamp is the intended send time: time spent waiting to send counts as latency
                while (!sender.offer(intended))
                {
                    Thread.onSpinWait();
                }
            }
        }
        result("sent=" + total + " late=" + late);
    }

    private void pacedReceive() throws IOException
    {
        final long count = spec.longValue(WorkerSpec.COUNT, 100_000);
        final long warmup = pacedWarmup(count);
        final long total = count + warmup;
        final Histogram histogram = Histograms.create();
        try (MessageReceiver receiver = newReceiver(spec.copy().set(WorkerSpec.CREATOR, true)))
        {
            readyAndAwaitGo();
            long received = 0;
            while (received < total)
            {
                final int taken = receiver.poll(1);
                if (MessageReceiver.END == taken)
                {
                    break;
                }
                if (taken > 0)
                {
                    final long now = System.nanoTime();
                    if (received >= warmup)
                    {
                        Histograms.recordFromIntended(histogram, receiver.lastStamp(), now);
                    }
                    received++;
                }
            }
        }
        result("count=" + histogram.getTotalCount() + " hist=" + Histograms.encode(histogram));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Blocking wake-up (zeroq put/take) and idle CPU
    // ------------------------------------------------------------------------------------------------------------

    private void wakeSend() throws IOException
    {
        final long count = spec.longValue(WorkerSpec.COUNT, 200);
        final int payload = spec.integer(WorkerSpec.PAYLOAD, Long.BYTES);
        readyAndAwaitGo();
        try (ZeroqQueue queue = ZeroqEndpoints.createOrOpen(spec.copy().set(WorkerSpec.CREATOR, false)))
        {
            final UnsafeBuffer message = Payloads.source(payload);
            // warm both sides' put/take paths into compiled code first: stamp 0 marks a warm-up message
            message.putLong(0, 0);
            for (int i = 0; i < WAKE_WARMUP_MESSAGES; i++)
            {
                queue.put(message, 0, payload);
            }
            for (long i = 0, total = count + count / 5; i < total; i++)
            {
                // long enough for the taker to have backed off into its idle strategy's deepest wait
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(WAKE_MIN_GAP_NANOS, WAKE_MAX_GAP_NANOS));
                message.putLong(0, System.nanoTime());
                queue.put(message, 0, payload);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        result("sent=" + count);
    }

    private void wakeReceive() throws IOException, InterruptedException
    {
        final long count = spec.longValue(WorkerSpec.COUNT, 200);
        final long warmup = count / 5;
        final long idleMs = spec.longValue(WorkerSpec.IDLE_MS, 1000);
        final Histogram histogram = Histograms.create();
        try (ZeroqQueue queue = ZeroqEndpoints.createOrOpen(spec.copy().set(WorkerSpec.CREATOR, true)))
        {
            final UnsafeBuffer message = Payloads.source(queue.elementSize());
            readyAndAwaitGo();
            // the waiting thread's own CPU time, user and system (CLOCK_THREAD_CPUTIME_ID, nanoseconds): what the idle
            // strategy costs. The process's time counted the JVM's own threads too, in 10 ms ticks, and read 5 % for
            // a waiter parked 1 ms at a time as for the default backoff, so it could not tell the strategies apart.
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
            final long processStart = os.getProcessCpuTime();
            final long cpuStart = threads.getCurrentThreadCpuTime();
            final long wallStart = System.nanoTime();
            if (queue.poll(message, 0, idleMs, TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException("wake-recv took an element during its idle phase");
            }
            final long idleCpu = threads.getCurrentThreadCpuTime() - cpuStart;
            final long processCpu = os.getProcessCpuTime() - processStart;
            final long idleWall = System.nanoTime() - wallStart;
            System.out.println("IDLE cpuNanos=" + idleCpu + " wallNanos=" + idleWall);
            System.out.flush();
            for (long i = 0, total = count + warmup; i < total; )
            {
                queue.take(message, 0);
                final long now = System.nanoTime();
                final long stamp = message.getLong(0);
                if (0 == stamp)
                {
                    continue;
                }
                if (i >= warmup)
                {
                    Histograms.record(histogram, now - stamp);
                }
                i++;
            }
            result("idleCpuNanos=" + idleCpu + " processCpuNanos=" + processCpu + " idleWallNanos=" + idleWall +
                " count=" + histogram.getTotalCount() +
                " hist=" + Histograms.encode(histogram));
        }
    }
}
