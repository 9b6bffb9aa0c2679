package dev.shmq.perf.bridge;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The across-hosts benchmark's command line: {@code --name value} or {@code --name=value}.
 */
final class BridgeBenchOptions
{
    static final String USAGE = String.join("\n",
        "usage: perf/bridge-bench.sh [options]   (root: it makes two network namespaces)",
        "  --runs N              interleaved raw/bridged pairs per row, median and min..max reported (default 5)",
        "  --payloads a,b,...    throughput payloads in bytes, 16 to 65536 (default 64,1024)",
        "  --count N             throughput: measured messages per run (default " + defaultCount(64) + " at 64 B, " +
            defaultCount(1024) + " at 1 KiB)",
        "  --warmup N            throughput: unmeasured messages first (default a quarter of the count)",
        "  --rate N              latency: messages per second (default 10000)",
        "  --latency-payload N   latency: bytes per message (default 64)",
        "  --latency-count N     latency: measured messages per run (default 50000)",
        "  --latency-warmup N    latency: unmeasured messages first (default two seconds' worth)",
        "  --scenarios a,b       tp (throughput), latency (default: both)",
        "  --capacity N          the zeroq queues' capacity in elements, a power of two (default 4096)",
        "  --port N              the first UDP port; each run takes the next (default 40300)",
        "  --out DIR             results.md, runs.csv, .hgrm files and the children's logs (default " +
            "perf/target/bridge-bench)",
        "  --help                this text");

    /** The stream id of every run. */
    static final int STREAM = 1001;

    /** The largest payload. */
    static final int MAX_PAYLOAD = 65_536;

    int runs = 5;
    List<Integer> payloads = new ArrayList<>(List.of(64, 1024));
    long count;
    long warmup = -1;
    long rate = 10_000;
    int latencyPayload = 64;
    long latencyCount = 50_000;
    long latencyWarmup = -1;
    boolean throughput = true;
    boolean latency = true;
    int capacity = 4096;
    int port = 40300;
    Path out = Paths.get("perf", "target", "bridge-bench");
    boolean help;

    static BridgeBenchOptions parse(final String... args)
    {
        final BridgeBenchOptions options = new BridgeBenchOptions();
        for (int i = 0; i < args.length; i++)
        {
            final String word = args[i];
            final int eq = word.indexOf('=');
            final String name = eq > 0 ? word.substring(0, eq) : word;
            if ("--help".equals(name))
            {
                options.help = true;
                continue;
            }
            final String value;
            if (eq > 0)
            {
                value = word.substring(eq + 1);
            }
            else if (i + 1 < args.length)
            {
                value = args[++i];
            }
            else
            {
                throw new IllegalArgumentException(name + " needs a value");
            }
            options.set(name, value);
        }
        options.check();
        return options;
    }

    /** @return the default measured count of a throughput run: two to four seconds' worth on a 2-core box. */
    static long defaultCount(final int payload)
    {
        return payload <= 256 ? 10_000_000 : 1_500_000;
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

    private void set(final String name, final String value)
    {
        switch (name)
        {
            case "--runs" -> runs = (int)positive(name, value);
            case "--payloads" -> payloads = payloads(value);
            case "--count" -> count = positive(name, value);
            case "--warmup" -> warmup = nonNegative(name, value);
            case "--rate" -> rate = positive(name, value);
            case "--latency-payload" -> latencyPayload = (int)positive(name, value);
            case "--latency-count" -> latencyCount = positive(name, value);
            case "--latency-warmup" -> latencyWarmup = nonNegative(name, value);
            case "--scenarios" -> scenarios(value);
            case "--capacity" -> capacity = (int)positive(name, value);
            case "--port" -> port = (int)positive(name, value);
            case "--out" -> out = Paths.get(value);
            default -> throw new IllegalArgumentException("unknown option " + name);
        }
    }

    private void scenarios(final String value)
    {
        throughput = false;
        latency = false;
        for (final String scenario : value.split(","))
        {
            switch (scenario.trim())
            {
                case "tp" -> throughput = true;
                case "latency" -> latency = true;
                default -> throw new IllegalArgumentException("--scenarios " + scenario + " (expected tp or latency)");
            }
        }
    }

    private static List<Integer> payloads(final String value)
    {
        final List<Integer> list = new ArrayList<>();
        for (final String payload : value.split(","))
        {
            list.add((int)positive("--payloads", payload.trim()));
        }
        return list;
    }

    private void check()
    {
        for (final int payload : payloads)
        {
            checkPayload("--payloads", payload);
        }
        checkPayload("--latency-payload", latencyPayload);
        if (Integer.bitCount(capacity) != 1 || capacity < 2)
        {
            throw new IllegalArgumentException("--capacity " + capacity + " (expected a power of two, at least 2)");
        }
        if (rate > 1_000_000_000L)
        {
            throw new IllegalArgumentException("--rate " + rate + " (expected at most 10^9 per second)");
        }
        if (port + 4L * runs * (payloads.size() + 1) > 65_535)
        {
            throw new IllegalArgumentException("--port " + port + " (expected room for every run's port below 65536)");
        }
    }

    private static void checkPayload(final String name, final int payload)
    {
        if (payload < WorkerArgs.MIN_PAYLOAD || payload > MAX_PAYLOAD)
        {
            throw new IllegalArgumentException(name + " " + payload + " (expected " + WorkerArgs.MIN_PAYLOAD +
                " to " + MAX_PAYLOAD + " bytes: a stamp and a sequence number at least)");
        }
    }

    private static long positive(final String name, final String value)
    {
        final long parsed = nonNegative(name, value);
        if (0 == parsed)
        {
            throw new IllegalArgumentException(name + " " + value + " (expected at least 1)");
        }
        return parsed;
    }

    private static long nonNegative(final String name, final String value)
    {
        try
        {
            final long parsed = Long.parseLong(value.replace("_", ""));
            if (parsed < 0 || parsed > Integer.MAX_VALUE && !name.endsWith("count") && !name.endsWith("warmup"))
            {
                throw new IllegalArgumentException(name + " " + value + " (expected 0 to " + Integer.MAX_VALUE + ")");
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " " + value + " (expected a number)", ex);
        }
    }
}
