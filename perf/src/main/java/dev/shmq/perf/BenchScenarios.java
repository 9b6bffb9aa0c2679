package dev.shmq.perf;

import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.PeerLines;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.shmq.perf.BenchProcesses.EXIT_TIMEOUT;
import static dev.shmq.perf.BenchProcesses.awaitReady;
import static dev.shmq.perf.BenchProcesses.deleteQuietly;
import static dev.shmq.perf.BenchProcesses.removeFiles;
import static dev.shmq.perf.BenchProcesses.resultOf;

/**
 * Runs the bench's scenarios, one run at a time, each under its own names with one child process per role:
 * throughput (1P1C, 2P2C), round trip, paced one-way latency, blocking wake-up and the physical limits. Each run
 * prints a progress line and its headline numbers and adds one {@link BenchResult}; a run that fails adds a missing
 * result saying why, and the suite goes on.
 */
final class BenchScenarios
{
    /** The frame rows' yardstick row: {@code memcpy} of one frame on one thread ({@link #memcpyFrames()}). */
    static final String MEMCPY = "memcpy (C)";

    private static final int NOTE_CHARS = 100;

    private final BenchOptions options;
    private final Path outDirectory;
    private final BenchPeers peers;
    private final BenchProcesses processes;
    private final String prefix;
    private final List<BenchResult> results = new ArrayList<>();
    private final PrintStream out;
    private final PlacementProbe probe;
    private int runNumber;
    private int roundNumber;
    /** The running run's first probe ({@link #probeBeforeGo()}), {@link BenchResult#NO_PROBE} until it is taken. */
    private double probeBefore = BenchResult.NO_PROBE;

    BenchScenarios(
        final BenchOptions options,
        final Path outDirectory,
        final BenchPeers peers,
        final BenchProcesses processes,
        final String prefix,
        final PrintStream out,
        final PlacementProbe probe)
    {
        this.options = options;
        this.outDirectory = outDirectory;
        this.peers = peers;
        this.processes = processes;
        this.prefix = prefix;
        this.out = out;
        this.probe = probe;
    }

    /** @return every run so far, in run order, each placed in its round between its two probes. */
    List<BenchResult> results()
    {
        return results;
    }

    /** @return the placement probe, whose usual round trip judges every run at the end. */
    PlacementProbe probe()
    {
        return probe;
    }

    /**
     * Runs groups of rows interleaved round after round ({@link InterleavedRounds}), each run between two placement
     * probes, until every row has its kept runs (probes at the usual placement) or its group has run its most rounds.
     * A run's first probe is taken by the row itself once its workers are ready ({@link #probeBeforeGo()}), its
     * second once they have exited.
     *
     * @param groups the groups, in the order they run within each round.
     */
    void interleaved(final List<InterleavedRounds.Group> groups)
    {
        roundNumber = InterleavedRounds.run(groups, this::runPlaced, processes::isStopping, roundNumber + 1) - 1;
    }

    private InterleavedRounds.Outcome runPlaced(final Runnable row, final int round)
    {
        probeBefore = BenchResult.NO_PROBE;
        final int size = results.size();
        row.run();
        final double after = probe.measure();
        if (results.size() == size)
        {
            return InterleavedRounds.Outcome.NONE;
        }
        final BenchResult run = results.remove(size).placed(round, probeBefore, after);
        results.add(run);
        if (!run.hasThroughput() && !run.hasLatency())
        {
            // failed: it would fail again; the row keeps this one result, which says why.
            return InterleavedRounds.Outcome.FAILED;
        }
        return run.isAway(probe.usualNanos()) ? InterleavedRounds.Outcome.AWAY : InterleavedRounds.Outcome.KEPT;
    }

    /**
     * Takes the running run's first placement probe. Each row calls it as late as it can before its timed window:
     * once every worker has printed {@code READY} and before any is sent {@code GO} (they wait on standard input
     * then: nothing of the run spins beside the probe), or, for a row that is one native program, just before it
     * starts. Taken before the workers start, the probe was a second or two ahead of the window, the time their JVMs
     * take to start, long enough for the host to move our CPUs in between unseen.
     */
    private void probeBeforeGo()
    {
        probeBefore = probe.measure();
    }

    private String nextRunName()
    {
        return prefix + (++runNumber);
    }

    private void progress(final String what)
    {
        out.printf(Locale.ROOT, "[%d] %-48s ", runNumber, what);
        out.flush();
    }

    /**
     * One throughput run; adds its result.
     *
     * @param scenario     {@code "tp"} or {@code "tp2"}, for the result.
     * @param system       the system under test.
     * @param payload      message length in bytes.
     * @param producers    producer processes.
     * @param consumers    consumer processes.
     * @param boundsChecks false to run Java workers with Agrona's bounds checks off (the row's system id then ends
     *                     in {@link BenchSystem#NO_BOUNDS_CHECKS}).
     */
    void throughput(
        final String scenario,
        final BenchSystem system,
        final int payload,
        final int producers,
        final int consumers,
        final boolean boundsChecks)
    {
        final String rowSystem = boundsChecks ? system.id() : system.id() + BenchSystem.NO_BOUNDS_CHECKS;
        final String name = nextRunName();
        progress(scenario + " " + rowSystem + " " + Payloads.label(payload));
        final long start = System.nanoTime();
        final String control = name + "-ctl";
        final List<ChildProcess> consumerProcesses = new ArrayList<>();
        final List<ChildProcess> producerProcesses = new ArrayList<>();
        final BenchControl controlSegment;
        try
        {
            controlSegment = BenchControl.create(control);
        }
        catch (final RuntimeException ex)
        {
            failed(scenario, system, payload, ex);
            return;
        }
        try
        {
            final WorkerSpec base = new WorkerSpec()
                .set(WorkerSpec.SYSTEM, system.id())
                .set(WorkerSpec.PAYLOAD, payload)
                .set(WorkerSpec.SLOTS, Payloads.slots(payload))
                .set(WorkerSpec.CONTROL, control)
                .set(WorkerSpec.PRODUCERS, producers)
                .set(WorkerSpec.CONSUMERS, consumers)
                .set(WorkerSpec.DURATION_MS, options.durationMs)
                .set(WorkerSpec.WARMUP_MS, options.warmupMs);
            if (!boundsChecks)
            {
                base.set(WorkerSpec.BOUNDS_CHECKS, false);
            }
            if (options.count > 0)
            {
                base.set(WorkerSpec.COUNT, options.count);
            }
            final boolean pairs = system == BenchSystem.UNIX_SOCKET;
            for (int c = 0; c < consumers; c++)
            {
                final WorkerSpec spec = base.copy().set(WorkerSpec.ROLE, "recv").set(WorkerSpec.INDEX, c)
                    .set(WorkerSpec.NAME, pairs ? name + "-" + c : name).set(WorkerSpec.CREATOR, 0 == c || pairs);
                consumerProcesses.add(awaitReady(processes.start(system, spec, "recv" + c, 1 - (c & 1))));
            }
            for (int p = 0; p < producers; p++)
            {
                final WorkerSpec spec = base.copy().set(WorkerSpec.ROLE, "send").set(WorkerSpec.INDEX, p)
                    .set(WorkerSpec.NAME, pairs ? name + "-" + p : name).set(WorkerSpec.CREATOR, false);
                producerProcesses.add(awaitReady(processes.start(system, spec, "send" + p, p & 1)));
            }
            probeBeforeGo();
            consumerProcesses.forEach((child) -> child.send("GO"));
            producerProcesses.forEach((child) -> child.send("GO"));
            final Duration timeout = Duration.ofMillis(options.warmupMs + options.durationMs).plusSeconds(60);
            long sent = 0;
            for (final ChildProcess producer : producerProcesses)
            {
                sent += Long.parseLong(resultOf(producer, timeout).get("sent"));
            }
            long received = 0;
            long measured = 0;
            long windowStart = Long.MAX_VALUE;
            long windowEnd = Long.MIN_VALUE;
            double fillSum = 0;
            int fills = 0;
            for (final ChildProcess consumer : consumerProcesses)
            {
                final Map<String, String> result = resultOf(consumer, timeout);
                if (result.containsKey("fill"))
                {
                    fillSum += Double.parseDouble(result.get("fill"));
                    fills++;
                }
                requireIntact(consumer, result);
                final long consumerReceived = Long.parseLong(result.get("received"));
                received += consumerReceived;
                measured += consumerReceived - Long.parseLong(result.get("warmReceived"));
                windowStart = Math.min(windowStart, Long.parseLong(result.get("warmNanos")));
                windowEnd = Math.max(windowEnd, Long.parseLong(result.get("lastNanos")));
            }
            final double rate = windowEnd > windowStart ? measured * 1e9 / (windowEnd - windowStart) : Double.NaN;
            results.add(BenchResult.throughput(scenario, rowSystem, payload, rate,
                throughputNote(system, producers, sent, received, measured))
                .withFill(fills > 0 ? fillSum / fills : Double.NaN));
            out.printf(Locale.ROOT, "%s msg/s, %.1f MB/s (%.1f s)%n", ResultTable.rate(rate), rate * payload / 1e6,
                (System.nanoTime() - start) / 1e9);
        }
        catch (final RuntimeException ex)
        {
            failed(scenario, system, payload, ex);
        }
        finally
        {
            processes.closeAll(producerProcesses);
            processes.closeAll(consumerProcesses);
            controlSegment.close();
            removeFiles(name);
        }
    }

    /** Fails the run if the consumer took a message that did not check out ({@link MessageBody#corrupt()}). */
    private static void requireIntact(final ChildProcess consumer, final Map<String, String> result)
    {
        final long corrupt = Long.parseLong(result.getOrDefault("corrupt", "0"));
        if (corrupt > 0)
        {
            throw new IllegalStateException(consumer.describe() + " took " + corrupt + " corrupt messages (frames " +
                "whose checksum does not match their stamp)");
        }
    }

    private static String throughputNote(
        final BenchSystem system, final int producers, final long sent, final long received, final long measured)
    {
        final StringBuilder note = new StringBuilder();
        if (sent != received)
        {
            note.append("lost ").append(sent - received).append(" of ").append(sent).append("; ");
        }
        if (system == BenchSystem.AGRONA_M2O && producers > 1)
        {
            note.append("2P1C (one consumer by design); ");
        }
        if (system == BenchSystem.UNIX_SOCKET && producers > 1)
        {
            note.append("2 connections; ");
        }
        return note.append(measured).append(" msgs measured").toString();
    }

    /**
     * Round trip, ping to pong and back over two queues.
     *
     * @param system  the system under test.
     * @param payload message length in bytes.
     */
    void roundTrip(final BenchSystem system, final int payload)
    {
        final String name = nextRunName();
        final String scenario = "rtt";
        progress(scenario + " " + system.id() + " " + Payloads.label(payload));
        final long start = System.nanoTime();
        final List<ChildProcess> children = new ArrayList<>();
        final Path samples = outDirectory.resolve(name + "-samples.bin");
        try
        {
            Files.createDirectories(outDirectory);
            final WorkerSpec base = new WorkerSpec()
                .set(WorkerSpec.SYSTEM, system.id())
                .set(WorkerSpec.PAYLOAD, payload)
                .set(WorkerSpec.SLOTS, Payloads.slots(payload))
                .set(WorkerSpec.NAME, name)
                .set(WorkerSpec.COUNT, options.rttCount)
                .set(WorkerSpec.SAMPLES, samples);
            final ChildProcess pong =
                awaitReady(processes.start(system, base.copy().set(WorkerSpec.ROLE, "pong"), "pong", 1));
            children.add(pong);
            final ChildProcess ping =
                awaitReady(processes.start(system, base.copy().set(WorkerSpec.ROLE, "ping"), "ping", 0));
            children.add(ping);
            probeBeforeGo();
            pong.send("GO");
            ping.send("GO");
            final Duration timeout = Duration.ofSeconds(120);
            final Map<String, String> result = resultOf(ping, timeout);
            resultOf(pong, timeout);
            final Histogram histogram = result.containsKey("hist") ?
                Histograms.decode(result.get("hist")) : Histograms.fromSamples(samples);
            addLatency(scenario, system.id(), payload, histogram, histogram.getTotalCount() + " round trips", start);
        }
        catch (final RuntimeException | IOException ex)
        {
            failed(scenario, system, payload, ex);
        }
        finally
        {
            processes.closeAll(children);
            removeFiles(name);
            deleteQuietly(samples);
        }
    }

    /**
     * One-way latency at {@code --rate}, measured from each message's intended send time.
     *
     * @param system  the system under test.
     * @param payload message length in bytes.
     */
    void paced(final BenchSystem system, final int payload)
    {
        final String name = nextRunName();
        final String scenario = "paced";
        progress(scenario + " " + system.id() + " " + Payloads.label(payload) + " @" + options.rate + "/s");
        final long start = System.nanoTime();
        final List<ChildProcess> children = new ArrayList<>();
        try
        {
            final WorkerSpec base = new WorkerSpec()
                .set(WorkerSpec.SYSTEM, system.id())
                .set(WorkerSpec.PAYLOAD, payload)
                .set(WorkerSpec.SLOTS, Payloads.slots(payload))
                .set(WorkerSpec.NAME, name)
                .set(WorkerSpec.COUNT, options.pacedCount)
                .set(WorkerSpec.RATE, options.rate);
            final ChildProcess receiver =
                awaitReady(processes.start(system, base.copy().set(WorkerSpec.ROLE, "paced-recv"), "paced-recv", 1));
            children.add(receiver);
            final ChildProcess sender =
                awaitReady(processes.start(system, base.copy().set(WorkerSpec.ROLE, "paced-send"), "paced-send", 0));
            children.add(sender);
            probeBeforeGo();
            receiver.send("GO");
            sender.send("GO");
            final Duration timeout = Duration.ofSeconds(90 + 2 * options.pacedCount / options.rate);
            final Map<String, String> sent = resultOf(sender, timeout);
            final Map<String, String> result = resultOf(receiver, timeout);
            addLatency(scenario, system.id(), payload, Histograms.decode(result.get("hist")),
                "one-way from intended send time, " + options.rate + " msg/s, " + sent.get("late") + " sent late",
                start);
        }
        catch (final RuntimeException ex)
        {
            failed(scenario, system, payload, ex);
        }
        finally
        {
            processes.closeAll(children);
            removeFiles(name);
        }
    }

    /**
     * A zeroq {@code take} blocked with the given idle strategy, woken by a {@code put} from another process.
     *
     * @param idle the taker's idle strategy.
     */
    void wake(final String idle)
    {
        final String name = nextRunName();
        final String scenario = "wake";
        final String label = "zeroq take/" + idle;
        progress(scenario + " " + label);
        final long start = System.nanoTime();
        final List<ChildProcess> children = new ArrayList<>();
        final int payload = Long.BYTES;
        try
        {
            final WorkerSpec base = new WorkerSpec()
                .set(WorkerSpec.SYSTEM, BenchSystem.ZEROQ.id())
                .set(WorkerSpec.PAYLOAD, payload)
                .set(WorkerSpec.SLOTS, 64)
                .set(WorkerSpec.NAME, name)
                .set(WorkerSpec.COUNT, options.wakeCount)
                .set(WorkerSpec.IDLE, idle)
                .set(WorkerSpec.IDLE_MS, options.wakeIdleMs);
            final ChildProcess taker = awaitReady(
                processes.start(BenchSystem.ZEROQ, base.copy().set(WorkerSpec.ROLE, "wake-recv"), "taker", 1));
            children.add(taker);
            final ChildProcess waker = awaitReady(
                processes.start(BenchSystem.ZEROQ, base.copy().set(WorkerSpec.ROLE, "wake-send"), "waker", 0));
            children.add(waker);
            probeBeforeGo();
            taker.send("GO");
            taker.awaitLine("IDLE", Duration.ofMillis(options.wakeIdleMs).plusSeconds(30));
            waker.send("GO");
            final Duration timeout = Duration.ofSeconds(60 + options.wakeCount / 100);
            resultOf(waker, timeout);
            final Map<String, String> result = resultOf(taker, timeout);
            final double wall = Double.parseDouble(result.get("idleWallNanos"));
            final double idleCpu = Double.parseDouble(result.get("idleCpuNanos")) / wall;
            final double processCpu = Double.parseDouble(result.get("processCpuNanos")) / wall;
            addLatency(BenchResult.latency(scenario, label, payload, Histograms.decode(result.get("hist")),
                String.format(Locale.ROOT, "idle waiter %.1f%% of a core (its JVM %.1f%%)", 100 * idleCpu,
                100 * processCpu)).withIdleCpu(idleCpu), start);
        }
        catch (final RuntimeException ex)
        {
            failed(scenario, BenchSystem.ZEROQ, payload, ex);
        }
        finally
        {
            processes.closeAll(children);
            removeFiles(name);
        }
    }

    /** The physical limit, measured by the C program: a cache-line round trip between CPUs 0 and 1. */
    void limits()
    {
        final String name = nextRunName();
        progress("limits: cache-line round trip");
        final long start = System.nanoTime();
        final Path samples = outDirectory.resolve(name + "-cacheline.bin");
        try
        {
            Files.createDirectories(outDirectory);
            probeBeforeGo();
            try (ChildProcess child = processes.track(peers.limits().start("cacheline", "200000", samples.toString())))
            {
                child.awaitLine("RESULT", Duration.ofSeconds(60));
                child.waitFor(EXIT_TIMEOUT);
            }
            final Histogram histogram = Histograms.fromSamples(samples);
            results.add(BenchResult.latency("limits", "cache-line RTT (C)", 64, histogram,
                "two threads on CPUs 0 and 1, " + histogram.getTotalCount() + " round trips"));
            out.printf(Locale.ROOT, "cache line p50 %s us (%.1f s)%n",
                ResultTable.micros(histogram.getValueAtPercentile(50)), (System.nanoTime() - start) / 1e9);
        }
        catch (final RuntimeException | IOException ex)
        {
            out.println("FAILED " + ex);
            results.add(BenchResult.missing("limits", "cache-line RTT (C)", 64, "FAILED " + firstLine(ex)));
        }
        finally
        {
            deleteQuietly(samples);
        }
    }

    /**
     * The frame rows' yardstick, a row of their group: one thread (the C program, on CPU 0) copying one frame with
     * {@code memcpy} into as many targets as the rings have frame slots, in turn, for the warm-up and the window of a
     * throughput run; adds its result as the row {@link #MEMCPY} of scenario {@code tp}.
     */
    void memcpyFrames()
    {
        nextRunName();
        progress("tp " + MEMCPY + " " + Payloads.label(Payloads.FRAME));
        final long start = System.nanoTime();
        probeBeforeGo();
        try (ChildProcess child = processes.track(peers.limits().start("frames", Integer.toString(Payloads.FRAME),
            Integer.toString(Payloads.slots(Payloads.FRAME)), Long.toString(options.warmupMs),
            Long.toString(options.durationMs))))
        {
            final Map<String, String> copy = PeerLines.fields(child.awaitLine("RESULT",
                Duration.ofMillis(options.warmupMs + options.durationMs).plusSeconds(60)));
            child.waitFor(EXIT_TIMEOUT);
            final long copies = Long.parseLong(copy.get("copies"));
            final double rate = copies * 1e9 / Long.parseLong(copy.get("nanos"));
            results.add(BenchResult.throughput("tp", MEMCPY, Payloads.FRAME, rate,
                "one thread, " + copies + " copies measured"));
            out.printf(Locale.ROOT, "%s frames/s, %.1f MB/s (%.1f s)%n", ResultTable.rate(rate),
                rate * Payloads.FRAME / 1e6, (System.nanoTime() - start) / 1e9);
        }
        catch (final RuntimeException ex)
        {
            failed("tp", MEMCPY, Payloads.FRAME, ex);
        }
    }

    private void addLatency(
        final String scenario,
        final String system,
        final int payload,
        final Histogram histogram,
        final String note,
        final long start)
    {
        addLatency(BenchResult.latency(scenario, system, payload, histogram, note), start);
    }

    private void addLatency(final BenchResult result, final long start)
    {
        final Histogram histogram = result.histogram;
        results.add(result);
        out.printf(Locale.ROOT, "p50 %s us, p99 %s us, max %s us (%.1f s)%n",
            ResultTable.micros(histogram.getValueAtPercentile(50)),
            ResultTable.micros(histogram.getValueAtPercentile(99)),
            ResultTable.micros(histogram.getMaxValue()), (System.nanoTime() - start) / 1e9);
    }

    private void failed(final String scenario, final BenchSystem system, final int payload, final Exception ex)
    {
        failed(scenario, system.id(), payload, ex);
    }

    private void failed(final String scenario, final String system, final int payload, final Exception ex)
    {
        out.println("FAILED");
        System.err.println("--- " + scenario + " " + system + " " + payload + " failed: " + ex.getMessage());
        results.add(BenchResult.missing(scenario, system, payload, "FAILED " + firstLine(ex)));
    }

    private static String firstLine(final Exception ex)
    {
        final String message = String.valueOf(ex.getMessage());
        final int newline = message.indexOf('\n');
        final String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= NOTE_CHARS ? line : line.substring(0, NOTE_CHARS) + "...";
    }
}
