package dev.shmq.perf;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The main job: builds the native peers, runs the cross-process suite (throughput 1P1C and 2P2C, round trip, paced
 * one-way latency, blocking wake-up, physical limits) with one child process per role, prints one table with ratios
 * to the Unix-socket baseline and to Agrona and the goals, and writes {@code .hgrm} files, {@code results.csv} and
 * {@code report.html}. Every shared-memory object and socket a run creates is removed after the run, and on exit.
 *
 * <p>This class plans the runs the options select and drives them; {@link BenchScenarios} runs each one,
 * {@link BenchProcesses} owns the child processes and the files they leave, {@link BenchReport} prints and writes
 * the results.
 */
public final class BenchMain
{
    private final BenchOptions options;
    private final Path outDirectory;
    private final String prefix = "shmq-bench-" + ProcessHandle.current().pid() + "-";
    private final PrintStream out;
    private final BenchProcesses processes;
    private final BenchScenarios scenarios;
    private final BenchReport report;

    BenchMain(final BenchOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
        final Path target = targetDirectory();
        this.outDirectory = null != options.out ? options.out : target.resolve("bench-results");
        final BenchPeers peers = new BenchPeers(target.resolve("native-peers"));
        this.processes = new BenchProcesses(options, peers, prefix);
        this.scenarios = new BenchScenarios(options, outDirectory, peers, processes, prefix, out,
            PlacementProbe.cacheLine(peers, processes));
        this.report = new BenchReport(options, outDirectory, out);
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
            System.err.println(BenchOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help)
        {
            System.out.println(BenchOptions.usage());
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
        out.printf(Locale.ROOT, "shmq bench: %d steps, %d CPUs, %s%s; results in %s%n", plan.size(),
            Runtime.getRuntime().availableProcessors(), options.full ? "full" : "default",
            options.pin ? ", pinned" : "", outDirectory.toAbsolutePath());
        for (final Runnable step : plan)
        {
            if (processes.isStopping())
            {
                break;
            }
            step.run();
        }
        cleanUp();
        final double seconds = (System.nanoTime() - start) / 1e9;
        report.publish(scenarios.results(), scenarios.probe(), seconds);
        return scenarios.results();
    }

    // ------------------------------------------------------------------------------------------------------------
    // The plan
    // ------------------------------------------------------------------------------------------------------------

    /**
     * The plan. First the limits; then every group of compared rows, interleaved over the whole suite: each round
     * runs each group once, and a group's rows each once (the 1P1C throughput rows of one payload form a group, as
     * do the round-trip rows of one payload and the wake-up rows), until every row has {@code --runs} kept runs
     * ({@link InterleavedRounds}); then the rows that run once, each between its own two probes.
     */
    private List<Runnable> plan()
    {
        final List<Runnable> plan = new ArrayList<>();
        final Set<BenchSystem> systems = options.systems;
        if (options.scenarios.contains(BenchOptions.Scenario.LIMITS))
        {
            plan.add(() -> once(scenarios::limits));
        }
        final List<InterleavedRounds.Group> groups = groups(systems);
        if (!groups.isEmpty())
        {
            plan.add(() -> scenarios.interleaved(groups));
        }
        if (options.scenarios.contains(BenchOptions.Scenario.TP2))
        {
            for (final BenchSystem system : BenchSystem.values())
            {
                if (systems.contains(system) && system.isMultiParty() && !system.isBatch())
                {
                    final int consumers = system == BenchSystem.AGRONA_M2O ? 1 : 2;
                    plan.add(() -> once(() -> scenarios.throughput("tp2", system, 64, 2, consumers, true)));
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
                    plan.add(() -> once(() -> scenarios.paced(system, 64)));
                }
            }
        }
        return plan;
    }

    private List<InterleavedRounds.Group> groups(final Set<BenchSystem> systems)
    {
        final List<InterleavedRounds.Group> groups = new ArrayList<>();
        if (options.scenarios.contains(BenchOptions.Scenario.TP))
        {
            for (final int payload : options.payloads)
            {
                addGroup(groups, throughputRows(systems, payload));
            }
        }
        if (options.scenarios.contains(BenchOptions.Scenario.RTT))
        {
            for (final int payload : new int[]{8, 64})
            {
                final List<Runnable> rows = new ArrayList<>();
                for (final BenchSystem system : BenchSystem.values())
                {
                    if (systems.contains(system) && !system.isBatch() && system != BenchSystem.AGRONA_M2O)
                    {
                        rows.add(() -> scenarios.roundTrip(system, payload));
                    }
                }
                addGroup(groups, rows);
            }
        }
        if (options.scenarios.contains(BenchOptions.Scenario.WAKE) &&
            (systems.contains(BenchSystem.ZEROQ) || systems.contains(BenchSystem.ZEROQ_SPIN)))
        {
            final List<Runnable> rows = new ArrayList<>();
            for (final String idle : options.idleStrategies)
            {
                rows.add(() -> scenarios.wake(idle));
            }
            addGroup(groups, rows);
        }
        return groups;
    }

    private void addGroup(final List<InterleavedRounds.Group> groups, final List<Runnable> rows)
    {
        if (!rows.isEmpty())
        {
            groups.add(new InterleavedRounds.Group(rows, options.runs, options.maxRounds));
        }
    }

    private List<Runnable> throughputRows(final Set<BenchSystem> systems, final int payload)
    {
        final boolean large = payload > 1024;
        final List<Runnable> rows = new ArrayList<>();
        for (final BenchSystem system : BenchSystem.values())
        {
            if (!systems.contains(system) || system == BenchSystem.AGRONA_M2O ||
                (large && !(system.isZeroCopy() || system == BenchSystem.UNIX_SOCKET)) ||
                (large && (system.isBatch() || system == BenchSystem.ZEROQ)))
            {
                continue;
            }
            final boolean variants = !large && (system == BenchSystem.SLICK || system == BenchSystem.ZEROQ_SPIN);
            if (options.boundsChecksOn || !variants)
            {
                rows.add(() -> scenarios.throughput("tp", system, payload, 1, 1, true));
            }
            if (options.boundsChecksOff && variants)
            {
                rows.add(() -> scenarios.throughput("tp", system, payload, 1, 1, false));
            }
        }
        if (Payloads.FRAME == payload)
        {
            rows.add(scenarios::memcpyFrames);
        }
        return rows;
    }

    private void once(final Runnable row)
    {
        scenarios.interleaved(List.of(new InterleavedRounds.Group(List.of(row), 1, 1)));
    }

    /**
     * Kills children still running and removes every object and socket this bench created. Idempotent; also the
     * shutdown hook, so Ctrl-C and failures leave nothing behind.
     */
    void cleanUp()
    {
        processes.cleanUp();
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
