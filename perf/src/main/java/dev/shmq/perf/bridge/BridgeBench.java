package dev.shmq.perf.bridge;

import dev.shmq.testkit.TwoHosts;
import io.aeron.AeronVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The across-hosts benchmark: shmq bridged (a producer writing flat out or at a fixed rate into a zeroq queue on
 * host A, {@code shmq bridge out} on A, {@code shmq bridge in} on B, a consumer on the far queue on B) against raw
 * Aeron (an exclusive publication on A, a subscription on B, each process with its own embedded driver) between two
 * network namespaces joined by a veth pair ({@link TwoHosts}). Each row (throughput at each payload, latency at a
 * fixed rate) is measured in interleaved pairs, raw first in odd runs and bridged first in even ones, so that drift
 * hits both alike; {@link BridgeBenchReport} prints the medians, ratios and verdicts as a markdown table.
 *
 * <p>Needs root (network namespaces). Every child, queue, Aeron directory and namespace it makes is removed after
 * each run and on exit, Ctrl-C included. {@code perf/bridge-bench.sh} builds and runs it.
 */
public final class BridgeBench
{
    private final BridgeBenchOptions options;
    private final PrintStream out;
    private final String prefix = "shmq-bridge-bench-" + ProcessHandle.current().pid() + "-";
    private final List<BridgeBenchReport.Sample> samples = new ArrayList<>();
    private TwoHosts hosts;
    private BridgeBenchRuns runs;
    private boolean cleanedUp;

    BridgeBench(final BridgeBenchOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the comparison; {@code --help} lists the options.
     *
     * @param args the options.
     */
    public static void main(final String[] args)
    {
        final BridgeBenchOptions options;
        try
        {
            options = BridgeBenchOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(BridgeBenchOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help)
        {
            System.out.println(BridgeBenchOptions.usage());
            return;
        }
        final BridgeBench bench = new BridgeBench(options, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanUp, "bridge-bench-cleanup"));
        final List<BridgeBenchReport.Sample> results = bench.run();
        System.exit(results.stream().allMatch(BridgeBenchReport.Sample::ok) ? 0 : 1);
    }

    /** @return the name prefix of every queue and Aeron directory this bench makes. */
    String prefix()
    {
        return prefix;
    }

    /**
     * Runs every row's pairs, then prints and writes the summary.
     *
     * @return every measurement, failed ones included.
     */
    List<BridgeBenchReport.Sample> run()
    {
        final long start = System.nanoTime();
        final List<BenchRow> rows = rows();
        createDirectories(options.out);
        try
        {
            synchronized (this)
            {
                hosts = TwoHosts.create();
                runs = new BridgeBenchRuns(options, hosts, prefix, options.out);
            }
            out.printf(Locale.ROOT, "bridge-bench: %d rows x %d pairs, host A %s, host B %s; results in %s%n",
                rows.size(), options.runs, hosts.hostA().address(), hosts.hostB().address(),
                options.out.toAbsolutePath());
            for (int run = 1; run <= options.runs; run++)
            {
                for (final BenchRow row : rows)
                {
                    if (runs.isStopping())
                    {
                        break;
                    }
                    final boolean rawFirst = 1 == run % 2;
                    measure(row, rawFirst ? BenchRow.Side.RAW : BenchRow.Side.BRIDGED, run);
                    measure(row, rawFirst ? BenchRow.Side.BRIDGED : BenchRow.Side.RAW, run);
                }
            }
        }
        finally
        {
            cleanUp();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        BridgeBenchReport.publish(out, options.out, header(), rows, samples, List.of("",
            String.format(Locale.ROOT, "Took %.0f s; per-run values in runs.csv, latency distributions in " +
                "*.hgrm (microseconds), every child's output in logs/.", seconds)));
        return samples;
    }

    private void measure(final BenchRow row, final BenchRow.Side side, final int run)
    {
        final String label = "run" + run + "-" + row.key() + "-" + side.name().toLowerCase(Locale.ROOT);
        final Path hgrm = BenchRow.Kind.LATENCY == row.kind() ? options.out.resolve(label + ".hgrm") : null;
        try
        {
            final Map<String, String> values = runs.measure(row, side, label, hgrm);
            samples.add(new BridgeBenchReport.Sample(row, side, run, values, null));
            out.println("  " + label + ": " + describe(row, values));
        }
        catch (final RuntimeException ex)
        {
            final String message = String.valueOf(ex.getMessage());
            final int newline = message.indexOf('\n');
            final String failure = (newline < 0 ? message : message.substring(0, newline)) +
                " (output in logs/" + label + ".log)";
            samples.add(new BridgeBenchReport.Sample(row, side, run, null, failure));
            out.println("  " + label + ": FAILED " + failure);
        }
        out.flush();
    }

    private static String describe(final BenchRow row, final Map<String, String> values)
    {
        if (BenchRow.Kind.THROUGHPUT == row.kind())
        {
            return String.format(Locale.ROOT, "%.3f M msg/s, %.1f MB/s",
                Double.parseDouble(values.get("msgs_per_s")) / 1e6, Double.parseDouble(values.get("mb_per_s")));
        }
        return String.format(Locale.ROOT, "p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us (sender lag p99 " +
            "%.1f us, late %s)", micros(values, "p50_ns"), micros(values, "p99_ns"), micros(values, "p999_ns"),
            micros(values, "max_ns"), micros(values, "sender_lag_p99_ns"), values.get("sender_late"));
    }

    private static double micros(final Map<String, String> values, final String key)
    {
        return Double.parseDouble(values.get(key)) / 1e3;
    }

    private List<BenchRow> rows()
    {
        final List<BenchRow> rows = new ArrayList<>();
        if (options.throughput)
        {
            for (final int payload : options.payloads)
            {
                rows.add(new BenchRow(BenchRow.Kind.THROUGHPUT, payload, options.warmup(payload),
                    options.count(payload), options.rate));
            }
        }
        if (options.latency)
        {
            rows.add(new BenchRow(BenchRow.Kind.LATENCY, options.latencyPayload, options.latencyWarmup(),
                options.latencyCount, options.rate));
        }
        return rows;
    }

    private List<String> header()
    {
        final List<String> lines = new ArrayList<>();
        lines.add("### shmq bridge vs raw Aeron across hosts (" + LocalDate.now() + ")");
        lines.add("");
        lines.add(String.format(Locale.ROOT, "- Two network namespaces joined by a veth pair on one machine: %d " +
            "CPUs, Linux %s, Java %s, Aeron %s. Channel `aeron:udp?endpoint=<host B>:<port>`, Aeron's defaults " +
            "otherwise; embedded media drivers in SHARED threading mode, one per process.",
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"),
            System.getProperty("java.version"), AeronVersion.VERSION));
        final StringBuilder counts = new StringBuilder("- Throughput, flat out, measured at the consumer over a " +
            "fixed count after a warm-up:");
        for (final int payload : options.throughput ? options.payloads : List.<Integer>of())
        {
            counts.append(String.format(Locale.ROOT, " %d B %,d after %,d;", payload, options.count(payload),
                options.warmup(payload)));
        }
        lines.add(counts.append(" zeroq queues of ").append(options.capacity).append(" elements.").toString());
        if (options.latency)
        {
            lines.add(String.format(Locale.ROOT, "- Latency: %d B at %,d msg/s, %,d measured after %,d; the " +
                "producer stamps System.nanoTime() at each message's intended send time, the consumer records " +
                "now - stamp (HdrHistogram). Sender lag: how late the producer got each message accepted.",
                options.latencyPayload, options.rate, options.latencyCount, options.latencyWarmup()));
        }
        lines.add("- Idle strategies: every loop (producers, consumers, raw publisher and subscriber, both " +
            "bridges' agents) and every embedded driver's shared thread use " + EmbeddedAeron.IDLE_DESCRIPTION +
            "; Aeron clients' conductors Aeron's default (sleep 16 ms).");
        lines.add("- Pairs per row: " + options.runs + ", interleaved (raw first in odd runs, bridged first in " +
            "even ones); median (min..max). Noise: either side's (max - min) / median is wider than " +
            "|bridged/raw - 1|.");
        return lines;
    }

    /**
     * Kills every child still running and removes every queue, Aeron directory and namespace this bench made.
     * Idempotent; also the shutdown hook.
     */
    synchronized void cleanUp()
    {
        if (cleanedUp)
        {
            return;
        }
        cleanedUp = true;
        if (null != runs)
        {
            runs.cleanUp();
        }
        BridgeBenchRuns.removeLeftovers(prefix);
        if (null != hosts)
        {
            hosts.close();
        }
    }

    private static void createDirectories(final Path directory)
    {
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + directory, ex);
        }
    }
}
