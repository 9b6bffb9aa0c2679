package dev.shmq.perf.bridge;

import dev.shmq.perf.OptionValues;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The across-hosts benchmark's command line, parsed by picocli ({@code --name value} or {@code --name=value});
 * values are checked after parsing, and any bad one is an {@link IllegalArgumentException} naming the option and
 * what it expects.
 */
@Command(name = "perf/bridge-bench.sh", sortOptions = false, usageHelpWidth = BridgeBenchOptions.WIDTH,
    description = "The bridge against raw Aeron across two network namespaces (root: it makes them).")
final class BridgeBenchOptions
{
    /** The usage text's width in columns. */
    static final int WIDTH = 120;

    /** The stream id of every run. */
    static final int STREAM = 1001;

    /** The largest payload. */
    static final int MAX_PAYLOAD = 65_536;

    /** Payloads up to this many bytes run {@link #SMALL_COUNT} measured messages by default. */
    static final int SMALL_PAYLOAD = 256;

    /** The default measured count of a throughput run of a small payload: two to four seconds on 2 cores. */
    static final long SMALL_COUNT = 10_000_000;

    /** The default measured count of a throughput run of a larger payload. */
    static final long LARGE_COUNT = 1_500_000;

    /** Throughput runs, from {@code --scenarios}. */
    boolean throughput = true;
    /** Latency runs, from {@code --scenarios}. */
    boolean latency = true;

    @Option(names = "--runs", paramLabel = "N",
        description = "interleaved raw/bridged pairs per row, median and min..max reported (default 5)")
    int runs = 5;

    @Option(names = "--payloads", split = ",", splitSynopsisLabel = ",", paramLabel = "BYTES",
        description = "throughput payloads in bytes, 16 to 65536 (default 64,1024)")
    List<Integer> payloads = new ArrayList<>(List.of(64, 1024));

    @Option(names = "--count", paramLabel = "N", description = "throughput: measured messages per run (default " +
        SMALL_COUNT + " up to " + SMALL_PAYLOAD + " B, " + LARGE_COUNT + " above)")
    long count;

    @Option(names = "--warmup", paramLabel = "N",
        description = "throughput: unmeasured messages first (default a quarter of the count)")
    long warmup = -1;

    @Option(names = "--rate", paramLabel = "N", description = "latency: messages per second (default 10000)")
    long rate = 10_000;

    @Option(names = "--latency-payload", paramLabel = "N", description = "latency: bytes per message (default 64)")
    int latencyPayload = 64;

    @Option(names = "--latency-count", paramLabel = "N",
        description = "latency: measured messages per run (default 50000)")
    long latencyCount = 50_000;

    @Option(names = "--latency-warmup", paramLabel = "N",
        description = "latency: unmeasured messages first (default two seconds' worth)")
    long latencyWarmup = -1;

    @Option(names = "--scenarios", split = ",", splitSynopsisLabel = ",", paramLabel = "ID",
        description = "tp (throughput), latency (default: both)")
    private List<String> scenarios = new ArrayList<>();

    @Option(names = "--capacity", paramLabel = "N",
        description = "the zeroq queues' capacity in elements, a power of two (default 4096)")
    int capacity = 4096;

    @Option(names = "--port", paramLabel = "N", description = "the first UDP port; each run takes the next " +
        "(default 40300)")
    int port = 40300;

    @Option(names = "--out", paramLabel = "DIR", description = "results.md, runs.csv, .hgrm files and the " +
        "children's logs (default perf/target/bridge-bench)")
    Path out = Paths.get("perf", "target", "bridge-bench");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;

    /**
     * @param args the command line.
     * @return the options it gives, every value checked.
     * @throws IllegalArgumentException naming the option and what it expects, for an unknown option, a missing
     *                                  value or a value out of range.
     */
    static BridgeBenchOptions parse(final String... args)
    {
        final BridgeBenchOptions options = new BridgeBenchOptions();
        options.check(OptionValues.parse(options, args));
        return options;
    }

    /** @return the usage text, as {@code --help} prints it. */
    static String usage()
    {
        return OptionValues.usage(new BridgeBenchOptions());
    }

    /** @return the default measured count of a throughput run: two to four seconds' worth on a 2-core box. */
    static long defaultCount(final int payload)
    {
        return payload <= SMALL_PAYLOAD ? SMALL_COUNT : LARGE_COUNT;
    }

    long count(final int payload)
    {
        return count > 0 ? count : defaultCount(payload);
    }

    long warmup(final int payload)
    {
        return warmup >= 0 ? warmup : count(payload) / 4;
    }

    long latencyWarmup()
    {
        return latencyWarmup >= 0 ? latencyWarmup : 2 * rate;
    }

    private void check(final CommandLine.ParseResult result)
    {
        OptionValues.positive("--runs", runs);
        if (result.hasMatchedOption("--count"))
        {
            OptionValues.positive("--count", count);
        }
        if (result.hasMatchedOption("--warmup"))
        {
            OptionValues.atLeastZero("--warmup", warmup);
        }
        OptionValues.positive("--rate", rate);
        OptionValues.positive("--latency-count", latencyCount);
        if (result.hasMatchedOption("--latency-warmup"))
        {
            OptionValues.atLeastZero("--latency-warmup", latencyWarmup);
        }
        OptionValues.positive("--port", port);
        if (!scenarios.isEmpty())
        {
            throughput = false;
            latency = false;
            for (final String scenario : scenarios)
            {
                switch (scenario.trim())
                {
                    case "tp" -> throughput = true;
                    case "latency" -> latency = true;
                    default -> throw new IllegalArgumentException(
                        "--scenarios=" + scenario + " (expected tp or latency)");
                }
            }
        }
        for (final int payload : payloads)
        {
            checkPayload("--payloads", payload);
        }
        checkPayload("--latency-payload", latencyPayload);
        if (Integer.bitCount(capacity) != 1 || capacity < 2)
        {
            throw new IllegalArgumentException("--capacity=" + capacity + " (expected a power of two, at least 2)");
        }
        if (rate > 1_000_000_000L)
        {
            throw new IllegalArgumentException("--rate=" + rate + " (expected at most 10^9 per second)");
        }
        if (port + 4L * runs * (payloads.size() + 1) > 65_535)
        {
            throw new IllegalArgumentException("--port=" + port + " (expected room for every run's port below 65536)");
        }
    }

    private static void checkPayload(final String name, final int payload)
    {
        if (payload < WorkerArgs.MIN_PAYLOAD || payload > MAX_PAYLOAD)
        {
            throw new IllegalArgumentException(name + "=" + payload + " (expected " + WorkerArgs.MIN_PAYLOAD +
                " to " + MAX_PAYLOAD + " bytes: a stamp and a sequence number at least)");
        }
    }
}
