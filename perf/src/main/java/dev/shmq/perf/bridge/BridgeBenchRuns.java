package dev.shmq.perf.bridge;

import dev.shmq.core.ShmName;
import dev.shmq.perf.LiveChildren;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.PeerLines;
import dev.shmq.testkit.TwoHosts;
import dev.shmq.zeroq.ZeroqQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Runs one measurement of one side of a row: starts its processes in the two hosts, reads the receiving end's
 * result, stops everything and removes what the run made (queues, Aeron directories), on failure too. Every child's
 * output goes to {@code logs/} under the output directory.
 *
 * <p>Raw: {@link BridgeBenchReceiver} (an Aeron subscription) on host B, then {@link BridgeBenchSender} (an exclusive
 * publication) on host A, each with its own embedded driver. Bridged: the orchestrator makes the near queue (host A's)
 * and the far queue (host B's); {@code shmq bridge in} on B, {@code shmq bridge out} on A and the consumer
 * ({@link BridgeBenchReceiver} on the far queue) start together, then the producer ({@link BridgeBenchSender} on the
 * near queue). The channel is {@code aeron:udp?endpoint=<host B>:<port>} on both sides, a new port each run.
 */
final class BridgeBenchRuns
{
    /** The JVM options of every child: Agrona's and Aeron's opens, and a fixed heap. */
    static final List<String> JVM_OPTIONS = List.of(
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Xms256m", "-Xmx256m");

    private static final String TOOL_MAIN = "dev.shmq.tool.ShmqTool";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);
    private static final long CLEANUP_WAIT_SECONDS = 30;

    private final BridgeBenchOptions options;
    private final TwoHosts hosts;
    private final String prefix;
    private final Path logs;
    private final LiveChildren live = new LiveChildren("bridge-bench");
    private final ReentrantLock measuring = new ReentrantLock();
    private int runs;

    BridgeBenchRuns(final BridgeBenchOptions options, final TwoHosts hosts, final String prefix, final Path out)
    {
        this.options = options;
        this.hosts = hosts;
        this.prefix = prefix;
        this.logs = out.resolve("logs");
    }

    /**
     * @param row   what to measure.
     * @param side  raw Aeron or shmq bridged.
     * @param label the run's name, for files and processes, e.g. {@code run1-tp64-raw}.
     * @param hgrm  where a latency run's percentile distribution goes.
     * @return the receiving end's result, and the sending end's prefixed {@code sender_}.
     * @throws IllegalStateException if the run fails; the children's output is in {@code logs/} either way.
     */
    Map<String, String> measure(final BenchRow row, final BenchRow.Side side, final String label, final Path hgrm)
    {
        measuring.lock();
        try
        {
            if (live.isStopping())
            {
                throw new IllegalStateException("stopping: not starting " + label);
            }
            return measure(row, side, label, hgrm, runs++);
        }
        finally
        {
            measuring.unlock();
        }
    }

    /** @return true once {@link #cleanUp()} has begun: no run starts after that. */
    boolean isStopping()
    {
        return live.isStopping();
    }

    private Map<String, String> measure(
        final BenchRow row, final BenchRow.Side side, final String label, final Path hgrm, final int run)
    {
        final String channel = "aeron:udp?endpoint=" + hosts.hostB().address() + ":" + (options.port + run);
        final String stem = prefix + run + "-";
        final List<Path> aeronDirectories = new ArrayList<>();
        final List<ChildProcess> children = new ArrayList<>();
        try
        {
            return BenchRow.Side.RAW == side ?
                raw(row, label, hgrm, channel, stem, aeronDirectories, children) :
                bridged(row, label, hgrm, channel, stem, aeronDirectories, children);
        }
        finally
        {
            stop(children);
            writeLogs(label, children);
            for (final Path directory : aeronDirectories)
            {
                deleteRecursively(directory);
            }
        }
    }

    private Map<String, String> raw(
        final BenchRow row, final String label, final Path hgrm, final String channel, final String stem,
        final List<Path> aeronDirectories, final List<ChildProcess> children)
    {
        final Path receiverDirectory = track(aeronDirectories, shmDirectory().resolve(stem + "aeron-b"));
        final ChildProcess receiver = start(children, hosts.hostB(), BridgeBenchReceiver.class.getName(),
            label + "-receiver", worker(row, WorkerArgs.AERON, hgrm, WorkerArgs.CHANNEL, channel,
            WorkerArgs.STREAM, BridgeBenchOptions.STREAM, WorkerArgs.AERON_DIR, receiverDirectory), Map.of());
        receiver.awaitLine("READY", READY_TIMEOUT);
        final Path senderDirectory = track(aeronDirectories, shmDirectory().resolve(stem + "aeron-a"));
        final ChildProcess sender = start(children, hosts.hostA(), BridgeBenchSender.class.getName(),
            label + "-sender", worker(row, WorkerArgs.AERON, null, WorkerArgs.CHANNEL, channel,
            WorkerArgs.STREAM, BridgeBenchOptions.STREAM, WorkerArgs.AERON_DIR, senderDirectory), Map.of());
        sender.awaitLine("READY", READY_TIMEOUT);
        return results(receiver, sender);
    }

    private Map<String, String> bridged(
        final BenchRow row, final String label, final Path hgrm, final String channel, final String stem,
        final List<Path> aeronDirectories, final List<ChildProcess> children)
    {
        final String near = stem + "near";
        final String far = stem + "far";
        try (ZeroqQueue nearQueue = ZeroqQueue.create(near, options.capacity, row.payload());
            ZeroqQueue farQueue = ZeroqQueue.create(far, options.capacity, row.payload()))
        {
            final ChildProcess bridgeIn = startBridge(children, hosts.hostB(), label, "in", far, channel,
                track(aeronDirectories, shmDirectory().resolve(stem + "aeron-in")));
            final ChildProcess bridgeOut = startBridge(children, hosts.hostA(), label, "out", near, channel,
                track(aeronDirectories, shmDirectory().resolve(stem + "aeron-out")));
            final ChildProcess consumer = start(children, hosts.hostB(), BridgeBenchReceiver.class.getName(),
                label + "-consumer", worker(row, WorkerArgs.ZEROQ, hgrm, WorkerArgs.QUEUE, far), Map.of());
            bridgeIn.awaitLine("READY", READY_TIMEOUT);
            bridgeOut.awaitLine("READY", READY_TIMEOUT);
            consumer.awaitLine("READY", READY_TIMEOUT);
            final ChildProcess producer = start(children, hosts.hostA(), BridgeBenchSender.class.getName(),
                label + "-producer", worker(row, WorkerArgs.ZEROQ, null, WorkerArgs.QUEUE, near), Map.of());
            producer.awaitLine("READY", READY_TIMEOUT);
            final Map<String, String> result = results(consumer, producer);
            // every element crossed: nothing is left in either queue
            result.put("queued_after", Integer.toString(nearQueue.size() + farQueue.size()));
            return result;
        }
    }

    private ChildProcess startBridge(
        final List<ChildProcess> children, final TwoHosts.Host host, final String label, final String direction,
        final String queue, final String channel, final Path aeronDirectory)
    {
        final List<String> args = List.of("bridge", direction, "zeroq", queue, "--channel", channel,
            "--stream", Integer.toString(BridgeBenchOptions.STREAM), "--log-interval", "1000");
        return start(children, host, TOOL_MAIN, label + "-bridge-" + direction, args,
            Map.of("aeron.dir", aeronDirectory.toString()));
    }

    private List<String> worker(
        final BenchRow row, final String transport, final Path hgrm, final Object... endpoint)
    {
        final List<String> args = new ArrayList<>(WorkerArgs.args(
            WorkerArgs.TRANSPORT, transport, WorkerArgs.MODE, row.mode(), WorkerArgs.PAYLOAD, row.payload(),
            WorkerArgs.WARMUP, row.warmup(), WorkerArgs.COUNT, row.count(), WorkerArgs.RATE, row.rate()));
        args.addAll(WorkerArgs.args(endpoint));
        if (null != hgrm)
        {
            args.add(WorkerArgs.arg(WorkerArgs.HGRM, hgrm.toAbsolutePath()));
        }
        return args;
    }

    private static Map<String, String> results(final ChildProcess receiver, final ChildProcess sender)
    {
        final Map<String, String> result = PeerLines.fields(receiver.awaitLine("RESULT", RESULT_TIMEOUT));
        final int exit = receiver.waitFor(EXIT_TIMEOUT);
        if (0 != exit)
        {
            throw new IllegalStateException(receiver.name() + " exit=" + exit + " (expected 0)");
        }
        PeerLines.fields(sender.awaitLine("RESULT", EXIT_TIMEOUT))
            .forEach((key, value) -> result.put("sender_" + key, value));
        if (!"0".equals(result.get("errors")))
        {
            throw new IllegalStateException(receiver.name() + " errors=" + result.get("errors") +
                " (expected 0: every message once, in order, of the right length)");
        }
        return result;
    }

    private ChildProcess start(
        final List<ChildProcess> children, final TwoHosts.Host host, final String mainClass, final String name,
        final List<String> args, final Map<String, String> properties)
    {
        final ChildJvm jvm = ChildJvm.mainClass(mainClass).name(name).commandPrefix(host.execPrefix())
            .jvmOptions(JVM_OPTIONS).args(args.toArray(new String[0]));
        properties.forEach(jvm::systemProperty);
        final ChildProcess child = live.start(name, jvm::start);
        children.add(child);
        return child;
    }

    /**
     * Ends every child of a run: standard input closed (the sending end exits), SIGTERM to those still running (the
     * bridges stop as asked and delete their drivers' directories), SIGKILL to any still running after that.
     */
    private void stop(final List<ChildProcess> children)
    {
        for (final ChildProcess child : children)
        {
            child.closeStdin();
        }
        for (final ChildProcess child : children)
        {
            if (child.name().contains("-bridge-"))
            {
                ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroy);
            }
        }
        for (final ChildProcess child : children)
        {
            try
            {
                child.waitFor(EXIT_TIMEOUT);
            }
            catch (final RuntimeException ex)
            {
                System.err.println("bridge-bench: " + ex.getMessage());
            }
            finally
            {
                child.close();
                live.forget(child);
            }
        }
    }

    private void writeLogs(final String label, final List<ChildProcess> children)
    {
        try
        {
            Files.createDirectories(logs);
            final StringBuilder text = new StringBuilder();
            for (final ChildProcess child : children)
            {
                text.append(child.describe()).append('\n');
            }
            Files.writeString(logs.resolve(label + ".log"), text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            System.err.println("bridge-bench: cannot write the logs of " + label + ": " + ex);
        }
    }

    /**
     * Kills every child still running and removes every object and directory under the bench's prefix. Idempotent;
     * no child starts after it.
     */
    void cleanUp()
    {
        live.stopAll();
        // a run cut short (Ctrl-C) closes its queues as it fails: wait for it, so nothing is made after the sweep
        try
        {
            if (measuring.tryLock(CLEANUP_WAIT_SECONDS, TimeUnit.SECONDS))
            {
                measuring.unlock();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        removeLeftovers(prefix);
    }

    /** Removes every file and directory of the shared-memory directory whose name starts with the prefix. */
    static void removeLeftovers(final String prefix)
    {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(shmDirectory(), prefix + "*"))
        {
            for (final Path path : left)
            {
                deleteRecursively(path);
            }
        }
        catch (final IOException ex)
        {
            System.err.println("bridge-bench: cannot list " + shmDirectory() + ": " + ex);
        }
    }

    static Path shmDirectory()
    {
        return ShmName.defaultDirectory();
    }

    private static Path track(final List<Path> paths, final Path path)
    {
        paths.add(path);
        return path;
    }

    /** Deletes a file or a directory tree; a failure is printed, and the final sweep by prefix tries again. */
    static void deleteRecursively(final Path path)
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(path))
        {
            for (final Path each : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(each);
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            System.err.println("bridge-bench: cannot delete " + path + ": " + ex);
        }
    }
}
