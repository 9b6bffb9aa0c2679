package dev.shmq.perf;

import dev.shmq.core.ShmName;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.PeerLines;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bench's child processes and what they leave behind: starts each role (a child JVM running {@link BenchWorker}
 * or a native peer, pinned with {@code taskset} under {@code --pin}), keeps track of the live ones, reads their
 * {@code READY} and {@code RESULT} lines, and removes the shared-memory objects and socket files a run created.
 * {@link #cleanUp()} kills every child still running and removes everything under the bench's name prefix.
 */
final class BenchProcesses
{
    /** How long a child may take to exit once it has printed its result. */
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> HEAP_OPTIONS = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
    private static final String BOUNDS_CHECKS_PROPERTY = "agrona.disable.bounds.checks";
    private static final String PRINT_COMPILATION = "-XX:+PrintCompilation";
    /**
     * The harness's own layers inlined into its loops, whatever C2's size heuristics decide: the send loop calls
     * {@link MessageSender#offerBatch}, which calls the system's {@code offer}. Left to the heuristics, that call was
     * refused as "already compiled into a big method" in some runs and not in others (3 of 6 logged zeroq runs), which
     * added a call, a frame and a safepoint poll per message to those runs only: a swing of the harness, not of the
     * system. What the systems' own code calls is left to C2. {@code quiet} keeps the JVM from printing the command.
     */
    private static final List<String> INLINE_HARNESS =
        List.of("-XX:CompileCommand=quiet", "-XX:CompileCommand=inline,dev.shmq.perf.*::offer*");
    /** Output kept of a child printing its compilations: all of it, so {@link JitCheck} sees the whole run. */
    private static final int PRINT_COMPILATION_CAPTURE_CHARS = 16 << 20;
    // found anywhere in a line: -XX:+PrintCompilation writes a line in pieces, and a worker's line may come in between
    private static final Pattern READY_LINE = Pattern.compile("READY$");
    private static final String RESULT_PREFIX = "RESULT ";
    private static final Pattern RESULT_LINE = Pattern.compile(RESULT_PREFIX);

    private final BenchOptions options;
    private final BenchPeers peers;
    private final String prefix;
    private final LiveChildren live = new LiveChildren("shmq-bench");

    BenchProcesses(final BenchOptions options, final BenchPeers peers, final String prefix)
    {
        this.options = options;
        this.peers = peers;
        this.prefix = prefix;
    }

    /** @return true once {@link #cleanUp()} has begun: no child starts after that. */
    boolean isStopping()
    {
        return live.isStopping();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Processes
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Starts one role and tracks it until {@link #closeAll(List)} or {@link #cleanUp()}.
     *
     * @param system the system the child runs: a native peer or {@link BenchWorker} in a child JVM.
     * @param spec   the worker's arguments.
     * @param role   the role, for the child's name.
     * @param cpu    the CPU to pin it to under {@code --pin}, modulo the CPUs there are.
     * @return the started child.
     * @throws IllegalStateException once the bench is stopping.
     */
    ChildProcess start(final BenchSystem system, final WorkerSpec spec, final String role, final int cpu)
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
            jvmOptions.addAll(INLINE_HARNESS);
            jvmOptions.addAll(options.jvmOptions);
            if (!Boolean.parseBoolean(spec.string(WorkerSpec.BOUNDS_CHECKS, "true")))
            {
                jvmOptions.add("-D" + BOUNDS_CHECKS_PROPERTY + "=true");
            }
            final ChildJvm jvm = ChildJvm.mainClass(BenchWorker.class).jvmOptions(jvmOptions)
                .args(spec.toArgs().toArray(new String[0]));
            command.addAll(jvm.command());
        }
        final int captureChars = !system.isNative() && options.jvmOptions.contains(PRINT_COMPILATION) ?
            PRINT_COMPILATION_CAPTURE_CHARS : ChildProcess.DEFAULT_CAPTURE_CHARS;
        final String name = system.id() + "-" + role;
        return live.start(name, () -> ChildProcess.start(name, new ProcessBuilder(command), captureChars));
    }

    /**
     * Tracks a child started elsewhere (the limits program), or kills it if the bench is stopping.
     *
     * @param child the started child.
     * @return the child.
     */
    ChildProcess track(final ChildProcess child)
    {
        return live.track(child);
    }

    static ChildProcess awaitReady(final ChildProcess child)
    {
        child.awaitLine(READY_LINE, READY_TIMEOUT);
        return child;
    }

    /**
     * Reads a child's {@code RESULT} line, also when the JVM printed part of a line of its own before it on the same
     * line ({@code -XX:+PrintCompilation}). When the result names a timed window ({@code windowStartMs},
     * {@code windowEndMs}) and the child printed its compilations, prints to standard error what {@link JitCheck}
     * finds made not entrant inside the window.
     *
     * @param child   a child that has been sent {@code GO}.
     * @param timeout how long to wait for its {@code RESULT} line.
     * @return the result's values, once the child has exited with status 0.
     */
    static Map<String, String> resultOf(final ChildProcess child, final Duration timeout)
    {
        final String line = child.awaitLine(RESULT_LINE, timeout);
        final Map<String, String> result = PeerLines.fields(line.substring(line.indexOf(RESULT_PREFIX)));
        final int exit = child.waitFor(EXIT_TIMEOUT);
        if (0 != exit)
        {
            throw new IllegalStateException(child.name() + " exit=" + exit + " (expected 0)" + child.describe());
        }
        final String start = result.get("windowStartMs");
        final String end = result.get("windowEndMs");
        if (null != start && null != end)
        {
            final String stdout = child.stdout();
            if (stdout.contains(JitCheck.MADE_NOT_ENTRANT))
            {
                System.err.println("jit-check " + child.name() + " window " + start + ".." + end + " ms: " +
                    JitCheck.deoptsInWindow(stdout, Long.parseLong(start), Long.parseLong(end)));
            }
        }
        return result;
    }

    void closeAll(final List<ChildProcess> children)
    {
        live.closeAll(children);
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
        live.stopAll();
        removeFiles(prefix);
    }

    /**
     * Removes the shared-memory objects and temporary files whose names start with the prefix.
     *
     * @param namePrefix a run's name, or the bench's prefix.
     */
    static void removeFiles(final String namePrefix)
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

    static void deleteQuietly(final Path file)
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
}
