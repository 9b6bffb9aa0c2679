package dev.shmq.perf;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The orchestrator's command line, parsed by picocli ({@code --name value} or {@code --name=value}); values are
 * checked after parsing, and any bad one is an {@link IllegalArgumentException} naming the option and what it
 * expects.
 */
@Command(name = "java -jar perf/target/shmq-bench.jar", sortOptions = false, usageHelpWidth = BenchOptions.WIDTH,
    description = "The cross-process benchmark (README command 1): every system and scenario by default.")
final class BenchOptions
{
    /** The usage text's width in columns. */
    static final int WIDTH = 120;

    /** Rounds a group may run beyond {@code --runs} to make up for runs taken away from the usual CPU placement. */
    static final int EXTRA_ROUNDS = 3;

    enum Scenario
    {
        TP, TP2, RTT, PACED, WAKE, LIMITS
    }

    /** The systems to run, from {@code --systems} (default: all). */
    final Set<BenchSystem> systems = EnumSet.allOf(BenchSystem.class);
    /** The scenarios to run, from {@code --scenarios} (default: all). */
    final Set<Scenario> scenarios = EnumSet.allOf(Scenario.class);
    /** The 1P1C payloads in bytes, from {@code --payloads}. */
    List<Integer> payloads = new ArrayList<>(List.of(8, 64, 1024, 64 * 1024, Payloads.FRAME));
    boolean pin;
    boolean boundsChecksOn = true;
    boolean boundsChecksOff = true;
    long wakeIdleMs = 1000;
    int maxRounds;

    @Option(names = "--systems", split = ",", splitSynopsisLabel = ",", paramLabel = "ID",
        completionCandidates = SystemIds.class,
        description = "systems to run (default: all): ${COMPLETION-CANDIDATES}")
    private List<String> systemIds = new ArrayList<>();

    @Option(names = "--scenarios", split = ",", splitSynopsisLabel = ",", paramLabel = "ID",
        description = "tp (1P1C throughput), tp2 (2P2C), rtt, paced, wake, limits (default: all)")
    private List<String> scenarioIds = new ArrayList<>();

    @Option(names = "--payloads", paramLabel = "8,64,...", description = "1P1C throughput payloads in bytes; " +
        "'frame' = 1920x1080x3 (default: 8,64,1024,65536,frame; 64 KiB and frame only for zero-copy systems and the " +
        "socket baseline)")
    private String payloadList;

    @Option(names = "--duration-ms", paramLabel = "N",
        description = "measured time per throughput run (default 500, --full 3000)")
    long durationMs = 500;

    @Option(names = "--warmup-ms", paramLabel = "N",
        description = "unmeasured warm-up per throughput run (default 300, --full 1000)")
    long warmupMs = 300;

    @Option(names = "--count", paramLabel = "N",
        description = "messages per producer per throughput run instead of a duration")
    long count;

    @Option(names = "--runs", paramLabel = "N", description = "kept runs per throughput, round-trip and wake-up " +
        "row: rows of one group run interleaved, round after round, until each has N runs whose placement probes " +
        "say the usual placement (default 7)")
    int runs = 7;

    @Option(names = "--max-rounds", paramLabel = "N", description = "the most rounds per group (default --runs + 3)")
    private int maxRoundsOption;

    @Option(names = "--bounds-checks", paramLabel = "both|on|off", description = "Agrona bounds checks in the " +
        "Java workers; both adds a /nobc row beside shmq-slick and shmq-zeroq-spin up to 1 KiB (default both)")
    private String boundsChecks = "both";

    @Option(names = "--rtt-count", paramLabel = "N",
        description = "round trips per RTT run (default 200000, --full 500000)")
    long rttCount = 200_000;

    @Option(names = "--rate", paramLabel = "N", description = "paced run: messages per second (default 100000)")
    long rate = 100_000;

    @Option(names = "--paced-count", paramLabel = "N",
        description = "paced run: messages (default 50000, --full 1000000)")
    long pacedCount = 50_000;

    @Option(names = "--wake-count", paramLabel = "N",
        description = "wake-up samples per idle strategy (default 150, --full 2000)")
    long wakeCount = 150;

    @Option(names = "--idle", split = ",", splitSynopsisLabel = ",", paramLabel = "IDLE", description = "wake-up " +
        "idle strategies: spin, default, yield, sleep1ms, backoff-max-park-us:N (default: the first four)")
    List<String> idleStrategies = new ArrayList<>(List.of(
        ZeroqEndpoints.IDLE_SPIN, ZeroqEndpoints.IDLE_DEFAULT, ZeroqEndpoints.IDLE_YIELD,
        ZeroqEndpoints.IDLE_SLEEP_1MS));

    @Option(names = "--no-pin", description = "do not pin producers and consumers to different CPUs (pinned with " +
        "taskset by default where there are two or more)")
    private boolean noPin;

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "an extra JVM option for every child JVM " +
        "(repeatable), e.g. --jvm-opt=-XX:+UseParallelGC")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--full", description = "the longer run")
    boolean full;

    @Option(names = "--out", paramLabel = "DIR",
        description = "where .hgrm, results.csv and report.html go (default perf/target/bench-results)")
    Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;

    /**
     * @param args the command line.
     * @return the options it gives, every value checked.
     * @throws IllegalArgumentException naming the option and what it expects, for an unknown option, a missing
     *                                  value or a value out of range.
     */
    static BenchOptions parse(final String... args)
    {
        final BenchOptions options = new BenchOptions();
        options.resolve(OptionValues.parse(options, args));
        return options;
    }

    /** @return the usage text, as {@code --help} prints it. */
    static String usage()
    {
        return OptionValues.usage(new BenchOptions());
    }

    private void resolve(final CommandLine.ParseResult result)
    {
        if (!systemIds.isEmpty())
        {
            systems.clear();
            for (final String id : systemIds)
            {
                systems.add(BenchSystem.byId(id));
            }
        }
        if (!scenarioIds.isEmpty())
        {
            scenarios.clear();
            for (final String id : scenarioIds)
            {
                scenarios.add(scenario(id));
            }
        }
        payloads = null == payloadList ? payloads : payloads(payloadList);
        OptionValues.positive("--duration-ms", durationMs);
        OptionValues.atLeastZero("--warmup-ms", warmupMs);
        if (result.hasMatchedOption("--count"))
        {
            OptionValues.positive("--count", count);
        }
        OptionValues.positive("--rtt-count", rttCount);
        OptionValues.positive("--rate", rate);
        OptionValues.positive("--paced-count", pacedCount);
        OptionValues.positive("--wake-count", wakeCount);
        OptionValues.positive("--runs", runs);
        boundsChecks(boundsChecks);
        idleStrategies.replaceAll(String::trim);
        for (final String idle : idleStrategies)
        {
            ZeroqEndpoints.idleStrategy(idle);
        }
        pin = !noPin && Runtime.getRuntime().availableProcessors() >= 2;
        if (full)
        {
            durationMs = result.hasMatchedOption("--duration-ms") ? durationMs : 3000;
            warmupMs = result.hasMatchedOption("--warmup-ms") ? warmupMs : 1000;
            rttCount = result.hasMatchedOption("--rtt-count") ? rttCount : 500_000;
            pacedCount = result.hasMatchedOption("--paced-count") ? pacedCount : 1_000_000;
            wakeCount = result.hasMatchedOption("--wake-count") ? wakeCount : 2000;
            wakeIdleMs = 3000;
        }
        maxRounds = result.hasMatchedOption("--max-rounds") ? maxRoundsOption : runs + EXTRA_ROUNDS;
        OptionValues.positive("--max-rounds", maxRounds);
        if (maxRounds < runs)
        {
            throw new IllegalArgumentException("--max-rounds=" + maxRounds + " (expected at least --runs=" +
                runs + ")");
        }
    }

    private void boundsChecks(final String value)
    {
        switch (value)
        {
            case "both":
                boundsChecksOn = true;
                boundsChecksOff = true;
                break;
            case "on":
                boundsChecksOn = true;
                boundsChecksOff = false;
                break;
            case "off":
                boundsChecksOn = false;
                boundsChecksOff = true;
                break;
            default:
                throw new IllegalArgumentException("--bounds-checks=" + value + " (expected both, on or off)");
        }
    }

    private static Scenario scenario(final String id)
    {
        try
        {
            return Scenario.valueOf(id.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(
                "scenario=" + id + " (expected tp, tp2, rtt, paced, wake or limits)", ex);
        }
    }

    static List<Integer> payloads(final String value)
    {
        final List<Integer> payloads = new ArrayList<>();
        for (final String item : value.split(","))
        {
            final String trimmed = item.trim().toLowerCase(Locale.ROOT);
            final int payload;
            if ("frame".equals(trimmed))
            {
                payload = Payloads.FRAME;
            }
            else if (trimmed.endsWith("k") || trimmed.endsWith("kib"))
            {
                payload = Integer.parseInt(trimmed.replace("kib", "").replace("k", "")) * 1024;
            }
            else
            {
                payload = Integer.parseInt(trimmed);
            }
            if (payload < Payloads.MIN_PAYLOAD)
            {
                throw new IllegalArgumentException("payload=" + payload + " (expected at least " +
                    Payloads.MIN_PAYLOAD + " for the time stamp)");
            }
            payloads.add(payload);
        }
        return payloads;
    }

    /** The ids {@code --systems} takes, for its description. */
    static final class SystemIds implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            final List<String> ids = new ArrayList<>();
            for (final BenchSystem system : BenchSystem.values())
            {
                ids.add(system.id());
            }
            return ids.iterator();
        }
    }
}
