package dev.shmq.perf;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The orchestrator's command line: {@code --name value} or {@code --name=value}.
 */
final class BenchOptions
{
    static final String USAGE = String.join("\n",
        "usage: java -jar perf/target/shmq-bench.jar [options]",
        "  --systems a,b,...     systems to run (default: all): " + systemIds(),
        "  --scenarios a,b,...   tp (1P1C throughput), tp2 (2P2C), rtt, paced, wake, limits (default: all)",
        "  --payloads 8,64,...   1P1C throughput payloads in bytes; 'frame' = 1920x1080x3 (default: 8,64,1024," +
            "65536,frame; 64 KiB and frame only for zero-copy systems and the socket baseline)",
        "  --duration-ms N       measured time per throughput run (default 500, --full 3000)",
        "  --warmup-ms N         unmeasured warm-up per throughput run (default 300, --full 1000)",
        "  --count N             messages per producer per throughput run instead of a duration",
        "  --runs N              kept runs per throughput, round-trip and wake-up row: rows of one group run " +
            "interleaved, round after round, until each has N runs whose placement probes say the usual placement " +
            "(default 7)",
        "  --max-rounds N        the most rounds per group (default --runs + 3)",
        "  --bounds-checks both|on|off  Agrona bounds checks in the Java workers; both adds a /nobc row beside " +
            "shmq-slick and shmq-zeroq-spin up to 1 KiB (default both)",
        "  --rtt-count N         round trips per RTT run (default 200000, --full 500000)",
        "  --rate N              paced run: messages per second (default 100000)",
        "  --paced-count N       paced run: messages (default 50000, --full 1000000)",
        "  --wake-count N        wake-up samples per idle strategy (default 150, --full 2000)",
        "  --idle a,b,...        wake-up idle strategies: spin, default, yield, sleep1ms, backoff-max-park-us:N " +
            "(default: the first four)",
        "  --no-pin              do not pin producers and consumers to different CPUs (pinned with taskset by " +
            "default where there are two or more)",
        "  --jvm-opt OPT         an extra JVM option for every child JVM (repeatable), " +
            "e.g. --jvm-opt=-XX:+UseParallelGC",
        "  --full                the longer run",
        "  --out DIR             where .hgrm, results.csv and report.html go (default perf/target/bench-results)",
        "  --help                this text");

    /** Rounds a group may run beyond {@code --runs} to make up for runs taken away from the usual CPU placement. */
    static final int EXTRA_ROUNDS = 3;

    enum Scenario
    {
        TP, TP2, RTT, PACED, WAKE, LIMITS
    }

    final Set<BenchSystem> systems = EnumSet.allOf(BenchSystem.class);
    final Set<Scenario> scenarios = EnumSet.allOf(Scenario.class);
    List<Integer> payloads = new ArrayList<>(List.of(8, 64, 1024, 64 * 1024, Payloads.FRAME));
    long durationMs = 500;
    long warmupMs = 300;
    long count;
    long rttCount = 200_000;
    long rate = 100_000;
    long pacedCount = 50_000;
    long wakeCount = 150;
    long wakeIdleMs = 1000;
    int runs = 7;
    int maxRounds;
    boolean boundsChecksOn = true;
    boolean boundsChecksOff = true;
    final List<String> jvmOptions = new ArrayList<>();
    List<String> idleStrategies = new ArrayList<>(List.of(
        ZeroqEndpoints.IDLE_SPIN, ZeroqEndpoints.IDLE_DEFAULT, ZeroqEndpoints.IDLE_YIELD,
        ZeroqEndpoints.IDLE_SLEEP_1MS));
    boolean pin = Runtime.getRuntime().availableProcessors() >= 2;
    boolean full;
    boolean help;
    Path out;
    private boolean durationSet;
    private boolean warmupSet;
    private boolean rttSet;
    private boolean pacedSet;
    private boolean wakeSet;

    static BenchOptions parse(final String... args)
    {
        final BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.length; i++)
        {
            String name = args[i];
            String value = null;
            final int eq = name.indexOf('=');
            if (eq > 0)
            {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            switch (name)
            {
                case "--help":
                case "-h":
                    options.help = true;
                    continue;
                case "--no-pin":
                    options.pin = false;
                    continue;
                case "--full":
                    options.full = true;
                    continue;
                default:
                    break;
            }
            if (null == value)
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException(name + "=null (expected a value)");
                }
                value = args[++i];
            }
            options.set(name, value);
        }
        if (options.full)
        {
            options.durationMs = options.durationSet ? options.durationMs : 3000;
            options.warmupMs = options.warmupSet ? options.warmupMs : 1000;
            options.rttCount = options.rttSet ? options.rttCount : 500_000;
            options.pacedCount = options.pacedSet ? options.pacedCount : 1_000_000;
            options.wakeCount = options.wakeSet ? options.wakeCount : 2000;
            options.wakeIdleMs = 3000;
        }
        options.maxRounds = 0 == options.maxRounds ? options.runs + EXTRA_ROUNDS : options.maxRounds;
        if (options.maxRounds < options.runs)
        {
            throw new IllegalArgumentException("--max-rounds=" + options.maxRounds + " (expected at least --runs=" +
                options.runs + ")");
        }
        return options;
    }

    private void set(final String name, final String value)
    {
        switch (name)
        {
            case "--systems":
                systems.clear();
                for (final String id : value.split(","))
                {
                    systems.add(BenchSystem.byId(id));
                }
                break;
            case "--scenarios":
                scenarios.clear();
                for (final String id : value.split(","))
                {
                    scenarios.add(scenario(id));
                }
                break;
            case "--payloads":
                payloads = payloads(value);
                break;
            case "--duration-ms":
                durationMs = positive(name, value);
                durationSet = true;
                break;
            case "--warmup-ms":
                warmupMs = Long.parseLong(value);
                warmupSet = true;
                break;
            case "--count":
                count = positive(name, value);
                break;
            case "--rtt-count":
                rttCount = positive(name, value);
                rttSet = true;
                break;
            case "--rate":
                rate = positive(name, value);
                break;
            case "--paced-count":
                pacedCount = positive(name, value);
                pacedSet = true;
                break;
            case "--wake-count":
                wakeCount = positive(name, value);
                wakeSet = true;
                break;
            case "--runs":
                runs = (int)Math.min(Integer.MAX_VALUE, positive(name, value));
                break;
            case "--max-rounds":
                maxRounds = (int)Math.min(Integer.MAX_VALUE, positive(name, value));
                break;
            case "--bounds-checks":
                boundsChecks(value);
                break;
            case "--out":
                out = Paths.get(value);
                break;
            case "--idle":
                idleStrategies = new ArrayList<>();
                for (final String idle : value.split(","))
                {
                    ZeroqEndpoints.idleStrategy(idle.trim());
                    idleStrategies.add(idle.trim());
                }
                break;
            case "--jvm-opt":
                jvmOptions.add(value);
                break;
            default:
                throw new IllegalArgumentException("option=" + name + " (expected one of the options in --help)");
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

    private static long positive(final String name, final String value)
    {
        final long parsed = Long.parseLong(value);
        if (parsed < 1)
        {
            throw new IllegalArgumentException(name + "=" + value + " (expected at least 1)");
        }
        return parsed;
    }

    private static String systemIds()
    {
        final StringBuilder ids = new StringBuilder();
        for (final BenchSystem system : BenchSystem.values())
        {
            ids.append(0 == ids.length() ? "" : ",").append(system.id());
        }
        return ids.toString();
    }
}
