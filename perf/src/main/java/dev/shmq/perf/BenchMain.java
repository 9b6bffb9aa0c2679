package dev.shmq.perf;

import dev.shmq.core.ShmName;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The main job: builds the native peers, runs the cross-process suite (throughput 1P1C and 2P2C, round trip, paced
 * one-way latency, blocking wake-up, physical limits) with one child process per role, prints one table with ratios
 * to the Unix-socket baseline and to Agrona and the goals, and writes {@code .hgrm} files, {@code results.csv} and
 * {@code report.html}. Every shared-memory object and socket a run creates is removed after the run, and on exit.
 */
public final class BenchMain
{
    private static final int NOTE_CHARS = 100;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> HEAP_OPTIONS = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    private final BenchOptions options;
    private final Path outDirectory;
    private final BenchPeers peers;
    private final String prefix = "shmq-bench-" + ProcessHandle.current().pid() + "-";
    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();
    private final List<BenchResult> results = new ArrayList<>();
    private final PrintStream out;
    private int runNumber;
    private volatile boolean stopping;

    BenchMain(final BenchOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
        final Path target = targetDirectory();
        this.outDirectory = null != options.out ? options.out : target.resolve("bench-results");
        this.peers = new BenchPeers(target.resolve("native-peers"));
    }

    /**
     * Runs the suite the options select; {@code --help} lists them.
     *
     * @param args the options.
     */
    public static void main(final String[] args)
    {
        final BenchOptions options;
        try
        {
            options = BenchOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help)
        {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        final BenchMain bench = new BenchMain(options, System.out);
        final Thread cleanup = new Thread(bench::cleanUp, "shmq-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        bench.run();
    }

    /** @return the name prefix of every object and socket this bench creates. */
    String prefix()
    {
        return prefix;
    }

    List<BenchResult> run()
    {
        final long start = System.nanoTime();
        final List<Runnable> plan = plan();
        out.printf(Locale.ROOT, "shmq bench: %d runs, %d CPUs, %s%s; results in %s%n", plan.size(),
            Runtime.getRuntime().availableProcessors(), options.full ? "full" : "default",
            options.pin ? ", pinned" : "", outDirectory.toAbsolutePath());
        for (final Runnable step : plan)
        {
            if (stopping)
            {
                break;
            }
            step.run();
        }
        cleanUp();
        final double seconds = (System.nanoTime() - start) / 1e9;
        final ResultTable table = new ResultTable(results);
        final String text = table.format();
        final List<String> goals = new GoalReport(table, results).evaluate();
        out.println();
        out.println("Scenarios: tp = 1P1C throughput; tp2 = 2P2C throughput; rtt = round trip over two queues; " +
            "paced = one-way latency at a fixed rate, from the intended send time; wake = blocked take woken by a " +
            "put (cross-process); limits = C program. Latency in us. x unix / x agrona: throughput this/baseline, " +
            "latency baseline p50/this p50 (above 1 = better).");
        for (final BenchSystem system : options.systems)
        {
            out.printf(Locale.ROOT, "  %-18s %s%n", system.id(), system.description());
        }
        out.println();
        out.print(text);
        out.println();
        out.println("Goals (ratios from this run):");
        goals.forEach((line) -> out.println("  " + line));
        out.printf(Locale.ROOT, "%nwall time %.1f s%n", seconds);
        write(text, goals, table, seconds);
        return results;
    }

    // ------------------------------------------------------------------------------------------------------------
    // The plan
    // ------------------------------------------------------------------------------------------------------------

    private List<Runnable> plan()
    {
        final List<Runnable> plan = new ArrayList<>();
        final Set<BenchSystem> systems = options.systems;
        if (options.scenarios.contains(BenchOptions.Scenario.LIMITS))
        {
            plan.add(this::limits);
        }
        if (options.scenarios.contains(BenchOptions.Scenario.TP))
        {
            for (final int payload : options.payloads)
            {
                final boolean large = payload > 1024;
                for (final BenchSystem system : BenchSystem.values())
                {
                    if (!systems.contains(system) || system == BenchSystem.AGRONA_M2O ||
                        (large && !(system.isZeroCopy() || system == BenchSystem.UNIX_SOCKET)) ||
                        (large && (system.isBatch() || system == BenchSystem.ZEROQ)))
                    {
                        continue;
                    }
                    plan.add(() -> throughput("tp", system, payload, 1, 1, options.repeat));
                }
            }
        }
        if (options.scenarios.contains(BenchOptions.Scenario.TP2))
        {
            for (final BenchSystem system : BenchSystem.values())
            {
                if (systems.contains(system) && system.isMultiParty() && !system.isBatch())
                {
                    final int consumers = system == BenchSystem.AGRONA_M2O ? 1 : 2;
                    plan.add(() -> throughput("tp2", system, 64, 2, consumers, 1));
                }
            }
        }
        if (options.scenarios.contains(BenchOptions.Scenario.RTT))
        {
            for (final int payload : new int[]{8, 64})
            {
                for (final BenchSystem system : BenchSystem.values())
                {
                    if (systems.contains(system) && !system.isBatch() && system != BenchSystem.AGRONA_M2O)
                    {
                        plan.add(() -> roundTrip(system, payload));
                    }
                }
            }
        }
        if (options.scenarios.contains(BenchOptions.Scenario.PACED))
        {
            for (final BenchSystem system : BenchSystem.values())
            {
                if (systems.contains(system) && !system.isBatch() && !system.isNative() &&
                    system != BenchSystem.AGRONA_M2O)
                {
                    plan.add(() -> paced(system, 64));
                }
            }
        }
        if (options.scenarios.contains(BenchOptions.Scenario.WAKE) &&
            (systems.contains(BenchSystem.ZEROQ) || systems.contains(BenchSystem.ZEROQ_SPIN)))
        {
            for (final String idle : options.idleStrategies)
            {
                plan.add(() -> wake(idle));
            }
        }
        return plan;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Scenarios
    // ------------------------------------------------------------------------------------------------------------

    private String nextRunName()
    {
        return prefix + (++runNumber);
    }

    private void progress(final String what)
    {
        out.printf(Locale.ROOT, "[%d] %-48s ", runNumber, what);
        out.flush();
    }

    private void throughput(
        final String scenario,
        final BenchSystem system,
        final int payload,
        final int producers,
        final int consumers,
        final int repeat)
    {
        final List<BenchResult> runs = new ArrayList<>();
        for (int i = 0; i < repeat && !stopping; i++)
        {
            final int before = results.size();
            throughputOnce(scenario, system, payload, producers, consumers);
            final BenchResult run = results.remove(before);
            runs.add(run);
            if (!run.hasThroughput())
            {
                break;
            }
        }
        if (!runs.isEmpty())
        {
            results.add(BenchResult.median(runs));
        }
    }

    private void throughputOnce(
        final String scenario,
        final BenchSystem system,
        final int payload,
        final int producers,
        final int consumers)
    {
        final String name = nextRunName();
        progress(scenario + " " + system.id() + " " + Payloads.label(payload));
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
            if (options.count > 0)
            {
                base.set(WorkerSpec.COUNT, options.count);
            }
            final boolean pairs = system == BenchSystem.UNIX_SOCKET;
            for (int c = 0; c < consumers; c++)
            {
                final WorkerSpec spec = base.copy().set(WorkerSpec.ROLE, "recv").set(WorkerSpec.INDEX, c)
                    .set(WorkerSpec.NAME, pairs ? name + "-" + c : name).set(WorkerSpec.CREATOR, 0 == c || pairs);
                consumerProcesses.add(awaitReady(start(system, spec, "recv" + c, 1 - (c & 1))));
            }
            for (int p = 0; p < producers; p++)
            {
                final WorkerSpec spec = base.copy().set(WorkerSpec.ROLE, "send").set(WorkerSpec.INDEX, p)
                    .set(WorkerSpec.NAME, pairs ? name + "-" + p : name).set(WorkerSpec.CREATOR, false);
                producerProcesses.add(awaitReady(start(system, spec, "send" + p, p & 1)));
            }
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
            for (final ChildProcess consumer : consumerProcesses)
            {
                final Map<String, String> result = resultOf(consumer, timeout);
                final long consumerReceived = Long.parseLong(result.get("received"));
                received += consumerReceived;
                measured += consumerReceived - Long.parseLong(result.get("warmReceived"));
                windowStart = Math.min(windowStart, Long.parseLong(result.get("warmNanos")));
                windowEnd = Math.max(windowEnd, Long.parseLong(result.get("lastNanos")));
            }
            final double rate = windowEnd > windowStart ? measured * 1e9 / (windowEnd - windowStart) : Double.NaN;
            final StringBuilder note = new StringBuilder();
            if (sent != received)
            {
                note.append("lost ").append(sent - received).append(" of ").append(sent).append("; ");
            }
            if (system == BenchSystem.AGRONA_M2O && producers > 1)
            {
                note.append("2P1C (one consumer by design); ");
            }
            if (pairs && producers > 1)
            {
                note.append("2 connections; ");
            }
            note.append(measured).append(" msgs measured");
            results.add(BenchResult.throughput(scenario, system.id(), payload, rate, note.toString()));
            out.printf(Locale.ROOT, "%s msg/s, %.1f MB/s (%.1f s)%n", ResultTable.rate(rate), rate * payload / 1e6,
                (System.nanoTime() - start) / 1e9);
        }
        catch (final RuntimeException ex)
        {
            failed(scenario, system, payload, ex);
        }
        finally
        {
            closeAll(producerProcesses);
            closeAll(consumerProcesses);
            controlSegment.close();
            removeFiles(name);
        }
    }

    private void roundTrip(final BenchSystem system, final int payload)
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
            final ChildProcess pong = awaitReady(start(system, base.copy().set(WorkerSpec.ROLE, "pong"), "pong", 1));
            children.add(pong);
            final ChildProcess ping = awaitReady(start(system, base.copy().set(WorkerSpec.ROLE, "ping"), "ping", 0));
            children.add(ping);
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
            closeAll(children);
            removeFiles(name);
            deleteQuietly(samples);
        }
    }

    private void paced(final BenchSystem system, final int payload)
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
                awaitReady(start(system, base.copy().set(WorkerSpec.ROLE, "paced-recv"), "paced-recv", 1));
            children.add(receiver);
            final ChildProcess sender =
                awaitReady(start(system, base.copy().set(WorkerSpec.ROLE, "paced-send"), "paced-send", 0));
            children.add(sender);
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
            closeAll(children);
            removeFiles(name);
        }
    }

    private void wake(final String idle)
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
            final ChildProcess taker =
                awaitReady(start(BenchSystem.ZEROQ, base.copy().set(WorkerSpec.ROLE, "wake-recv"), "taker", 1));
            children.add(taker);
            final ChildProcess waker =
                awaitReady(start(BenchSystem.ZEROQ, base.copy().set(WorkerSpec.ROLE, "wake-send"), "waker", 0));
            children.add(waker);
            taker.send("GO");
            taker.awaitLine("IDLE", Duration.ofMillis(options.wakeIdleMs).plusSeconds(30));
            waker.send("GO");
            final Duration timeout = Duration.ofSeconds(60 + options.wakeCount / 100);
            resultOf(waker, timeout);
            final Map<String, String> result = resultOf(taker, timeout);
            final double idleCpu = Double.parseDouble(result.get("idleCpuNanos")) /
                Double.parseDouble(result.get("idleWallNanos"));
            addLatency(scenario, label, payload, Histograms.decode(result.get("hist")),
                String.format(Locale.ROOT, "idle waiter %.1f%% of a core", 100 * idleCpu), start);
        }
        catch (final RuntimeException ex)
        {
            failed(scenario, BenchSystem.ZEROQ, payload, ex);
        }
        finally
        {
            closeAll(children);
            removeFiles(name);
        }
    }

    private void limits()
    {
        final String name = nextRunName();
        progress("limits: cache-line round trip, memcpy 6 MiB");
        final long start = System.nanoTime();
        final Path samples = outDirectory.resolve(name + "-cacheline.bin");
        try
        {
            Files.createDirectories(outDirectory);
            try (ChildProcess child = track(peers.limits().start("cacheline", "200000", samples.toString())))
            {
                child.awaitLine("RESULT", Duration.ofSeconds(60));
                child.waitFor(EXIT_TIMEOUT);
            }
            final Histogram histogram = Histograms.fromSamples(samples);
            results.add(BenchResult.latency("limits", "cache-line RTT (C)", 64, histogram,
                "two threads on CPUs 0 and 1, " + histogram.getTotalCount() + " round trips"));
            final int mib = 6;
            final Map<String, String> copy;
            try (ChildProcess child = track(peers.limits().start("memcpy", Integer.toString(mib), "30")))
            {
                copy = parse(child.awaitLine("RESULT", Duration.ofSeconds(60)));
                child.waitFor(EXIT_TIMEOUT);
            }
            final int bytes = mib << 20;
            final double bytesPerSecond = Double.parseDouble(copy.get("bytesPerSec"));
            results.add(BenchResult.throughput("limits", "memcpy 6 MiB (C)", bytes, bytesPerSecond / bytes,
                "single thread, best of 30"));
            out.printf(Locale.ROOT, "cache line p50 %s us, memcpy %.2f GB/s (%.1f s)%n",
                ResultTable.micros(histogram.getValueAtPercentile(50)), bytesPerSecond / 1e9,
                (System.nanoTime() - start) / 1e9);
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

    private void addLatency(
        final String scenario,
        final String system,
        final int payload,
        final Histogram histogram,
        final String note,
        final long start)
    {
        results.add(BenchResult.latency(scenario, system, payload, histogram, note));
        out.printf(Locale.ROOT, "p50 %s us, p99 %s us, max %s us (%.1f s)%n",
            ResultTable.micros(histogram.getValueAtPercentile(50)),
            ResultTable.micros(histogram.getValueAtPercentile(99)),
            ResultTable.micros(histogram.getMaxValue()), (System.nanoTime() - start) / 1e9);
    }

    private void failed(final String scenario, final BenchSystem system, final int payload, final Exception ex)
    {
        out.println("FAILED");
        System.err.println("--- " + scenario + " " + system.id() + " " + payload + " failed: " + ex.getMessage());
        results.add(BenchResult.missing(scenario, system.id(), payload, "FAILED " + firstLine(ex)));
    }

    private static String firstLine(final Exception ex)
    {
        final String message = String.valueOf(ex.getMessage());
        final int newline = message.indexOf('\n');
        final String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= NOTE_CHARS ? line : line.substring(0, NOTE_CHARS) + "...";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Processes
    // ------------------------------------------------------------------------------------------------------------

    private ChildProcess start(final BenchSystem system, final WorkerSpec spec, final String role, final int cpu)
    {
        final List<String> command = new ArrayList<>();
        if (options.pin)
        {
            command.add("taskset");
            command.add("-c");
            command.add(Integer.toString(cpu % Runtime.getRuntime().availableProcessors()));
        }
        if (system.isNative())
        {
            final WorkerSpec nativeSpec = spec.copy().set("shmdir", ShmName.of("x").path().getParent());
            command.add((system == BenchSystem.CPP_SLICK ? peers.slick() : peers.zeroq()).executable().toString());
            command.addAll(nativeSpec.toArgs());
        }
        else
        {
            final List<String> jvmOptions = new ArrayList<>(ChildJvm.AGRONA_JVM_OPTIONS);
            jvmOptions.addAll(HEAP_OPTIONS);
            jvmOptions.addAll(options.jvmOptions);
            final ChildJvm jvm = ChildJvm.mainClass(BenchWorker.class).jvmOptions(jvmOptions)
                .args(spec.toArgs().toArray(new String[0]));
            command.addAll(jvm.command());
        }
        synchronized (live)
        {
            if (stopping)
            {
                throw new IllegalStateException("stopping: not starting " + system.id() + "-" + role);
            }
            final ChildProcess child = ChildProcess.start(system.id() + "-" + role, new ProcessBuilder(command));
            live.add(child);
            return child;
        }
    }

    private ChildProcess track(final ChildProcess child)
    {
        synchronized (live)
        {
            live.add(child);
            if (stopping)
            {
                child.close();
                throw new IllegalStateException("stopping: " + child.name() + " killed");
            }
        }
        return child;
    }

    private static ChildProcess awaitReady(final ChildProcess child)
    {
        child.awaitLine("READY", READY_TIMEOUT);
        return child;
    }

    private static Map<String, String> resultOf(final ChildProcess child, final Duration timeout)
    {
        final Map<String, String> result = parse(child.awaitLine("RESULT", timeout));
        final int exit = child.waitFor(EXIT_TIMEOUT);
        if (0 != exit)
        {
            throw new IllegalStateException(child.name() + " exit=" + exit + " (expected 0)" + child.describe());
        }
        return result;
    }

    static Map<String, String> parse(final String resultLine)
    {
        final Map<String, String> values = new HashMap<>();
        for (final String token : resultLine.trim().split("\\s+"))
        {
            final int eq = token.indexOf('=');
            if (eq > 0)
            {
                values.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return values;
    }

    private void closeAll(final List<ChildProcess> children)
    {
        for (final ChildProcess child : children)
        {
            try
            {
                child.close();
            }
            catch (final RuntimeException ex)
            {
                System.err.println("cannot stop " + child + ": " + ex);
            }
            live.remove(child);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Files
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Kills children still running and removes every object and socket this bench created. Idempotent; also the
     * shutdown hook, so Ctrl-C and failures leave nothing behind.
     */
    void cleanUp()
    {
        synchronized (live)
        {
            // no child starts after this
            stopping = true;
        }
        for (final ChildProcess child : live)
        {
            try
            {
                child.close();
            }
            catch (final RuntimeException ex)
            {
                // exiting anyway
            }
        }
        live.clear();
        removeFiles(prefix);
    }

    private static void removeFiles(final String namePrefix)
    {
        removeMatching(ShmName.of("x").path().getParent(), namePrefix);
        removeMatching(Paths.get(System.getProperty("java.io.tmpdir")), namePrefix);
    }

    private static void removeMatching(final Path directory, final String namePrefix)
    {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, namePrefix + "*"))
        {
            for (final Path file : files)
            {
                deleteQuietly(file);
            }
        }
        catch (final IOException ex)
        {
            System.err.println("cannot list " + directory + ": " + ex);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            System.err.println("cannot delete " + file + ": " + ex);
        }
    }

    private void write(final String text, final List<String> goals, final ResultTable table, final double seconds)
    {
        try
        {
            Files.createDirectories(outDirectory);
            for (final BenchResult result : results)
            {
                if (result.hasLatency())
                {
                    final String file = (result.scenario + "-" + result.system + "-" + result.payload)
                        .replaceAll("[^A-Za-z0-9_.-]+", "_") + ".hgrm";
                    try (PrintStream hgrm = new PrintStream(outDirectory.resolve(file).toFile(), "UTF-8"))
                    {
                        result.histogram.outputPercentileDistribution(hgrm, 1000.0);
                    }
                }
            }
            Files.writeString(outDirectory.resolve("results.csv"), table.csv(), StandardCharsets.UTF_8);
            final String header = String.format(Locale.ROOT, "%d CPUs, %s run%s, wall time %.1f s. Latencies in " +
                "microseconds. Goals: %s", Runtime.getRuntime().availableProcessors(),
                options.full ? "full" : "default", options.pin ? ", pinned" : "", seconds, String.join("; ", goals));
            Files.writeString(outDirectory.resolve("report.html"),
                HtmlReport.render(results, text, header), StandardCharsets.UTF_8);
            out.println("wrote " + outDirectory.resolve("report.html").toAbsolutePath() + ", results.csv and " +
                "*.hgrm (microseconds) in " + outDirectory.toAbsolutePath());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write results to " + outDirectory, ex);
        }
    }

    /**
     * @return the {@code target} directory this code runs from (the shaded jar's or the classes' parent).
     */
    private static Path targetDirectory()
    {
        try
        {
            final Path location =
                Paths.get(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toAbsolutePath().getParent();
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            return Paths.get("target").toAbsolutePath();
        }
    }
}
