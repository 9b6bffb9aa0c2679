package dev.shmq.perf.bridge;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison's summary: for each row and metric, the median with min..max of each side, the bridged/raw ratio
 * of the medians with the min..max of the pairs' own ratios, and a verdict. A row whose spread (either side's
 * {@code (max - min) / median}) is wider than the effect ({@code |bridged/raw - 1|}) is noise; the 64 B and 1 KiB
 * throughput rows also say whether the bridge keeps at least {@value #GOAL} of raw Aeron's rate in every pair.
 */
final class BridgeBenchReport
{
    /** The throughput goal: bridged/raw at least this. */
    static final double GOAL = 0.5;

    /** Fewer pairs than this tell nothing. */
    static final int MIN_RUNS = 3;

    /** One measurement: a row's side in one run, with the result or why it failed. */
    record Sample(BenchRow row, BenchRow.Side side, int run, Map<String, String> values, String failure)
    {
        boolean ok()
        {
            return null == failure;
        }
    }

    /** One line of the table: a value in a result, scaled. */
    record Metric(String name, String key, double scale, boolean goal)
    {
    }

    private static final List<Metric> THROUGHPUT = List.of(
        new Metric("M msg/s", "msgs_per_s", 1e-6, true),
        new Metric("MB/s", "mb_per_s", 1, false));

    private static final List<Metric> LATENCY = List.of(
        new Metric("p50 us", "p50_ns", 1e-3, false),
        new Metric("p99 us", "p99_ns", 1e-3, false),
        new Metric("p99.9 us", "p999_ns", 1e-3, false),
        new Metric("max us", "max_ns", 1e-3, false),
        new Metric("sender lag p50 us", "sender_lag_p50_ns", 1e-3, false),
        new Metric("sender lag p99 us", "sender_lag_p99_ns", 1e-3, false));

    private BridgeBenchReport()
    {
    }

    /**
     * @param rows    the rows in order.
     * @param samples every measurement.
     * @return the markdown table, one line per row and metric.
     */
    static List<String> table(final List<BenchRow> rows, final List<Sample> samples)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("| row | raw Aeron: median (min..max) | shmq bridged: median (min..max) | " +
            "bridged/raw: median (min..max of pairs) | verdict |");
        lines.add("|---|---|---|---|---|");
        for (final BenchRow row : rows)
        {
            for (final Metric metric : BenchRow.Kind.THROUGHPUT == row.kind() ? THROUGHPUT : LATENCY)
            {
                lines.add(line(row, metric, samples));
            }
        }
        return lines;
    }

    private static String line(final BenchRow row, final Metric metric, final List<Sample> samples)
    {
        final Map<Integer, Double> raw = values(row, BenchRow.Side.RAW, metric, samples);
        final Map<Integer, Double> bridged = values(row, BenchRow.Side.BRIDGED, metric, samples);
        final String title = row.title() + ", " + metric.name();
        if (raw.isEmpty() || bridged.isEmpty())
        {
            return "| " + title + " | " + summary(raw) + " | " + summary(bridged) + " | - | no result (failed) |";
        }
        final List<Double> pairs = new ArrayList<>();
        for (final Map.Entry<Integer, Double> entry : raw.entrySet())
        {
            final Double other = bridged.get(entry.getKey());
            if (null != other && entry.getValue() > 0)
            {
                pairs.add(other / entry.getValue());
            }
        }
        final double ratio = median(bridged.values()) / median(raw.values());
        final String ratios = pairs.isEmpty() ? fmt(ratio) :
            fmt(ratio) + " (" + fmt(Collections.min(pairs)) + ".." + fmt(Collections.max(pairs)) + ")";
        return "| " + title + " | " + summary(raw) + " | " + summary(bridged) + " | " + ratios + " | " +
            verdict(metric, raw.values(), bridged.values(), ratio, pairs) + " |";
    }

    static String verdict(
        final Metric metric, final Collection<Double> raw, final Collection<Double> bridged,
        final double ratio, final List<Double> pairs)
    {
        final int n = Math.min(raw.size(), bridged.size());
        if (n < MIN_RUNS)
        {
            return "too few runs to tell (n=" + raw.size() + "/" + bridged.size() + ")";
        }
        final double spread = Math.max(spread(raw), spread(bridged));
        final double effect = Math.abs(ratio - 1);
        final StringBuilder verdict = new StringBuilder();
        if (spread > effect)
        {
            verdict.append(String.format(Locale.ROOT, "noise (spread %.0f%% > effect %.0f%%)", spread * 100,
                effect * 100));
        }
        else
        {
            verdict.append(String.format(Locale.ROOT, "bridged %s by %.0f%% (spread %.0f%%)",
                ratio > 1 ? "higher" : "lower", effect * 100, spread * 100));
        }
        if (metric.goal())
        {
            final double lowest = pairs.isEmpty() ? ratio : Collections.min(pairs);
            final double highest = pairs.isEmpty() ? ratio : Collections.max(pairs);
            verdict.append("; goal >= ").append(GOAL).append(": ").append(
                lowest >= GOAL ? "met in every pair" : highest < GOAL ? "missed in every pair" :
                "unclear (the pairs straddle it)");
        }
        return verdict.append("; n=").append(raw.size()).append('/').append(bridged.size()).toString();
    }

    private static Map<Integer, Double> values(
        final BenchRow row, final BenchRow.Side side, final Metric metric, final List<Sample> samples)
    {
        final Map<Integer, Double> values = new LinkedHashMap<>();
        for (final Sample sample : samples)
        {
            if (sample.row() == row && sample.side() == side && sample.ok() &&
                sample.values().containsKey(metric.key()))
            {
                values.put(sample.run(), Double.parseDouble(sample.values().get(metric.key())) * metric.scale());
            }
        }
        return values;
    }

    private static String summary(final Map<Integer, Double> values)
    {
        if (values.isEmpty())
        {
            return "-";
        }
        return fmt(median(values.values())) + " (" + fmt(Collections.min(values.values())) + ".." +
            fmt(Collections.max(values.values())) + ")";
    }

    static double median(final Collection<Double> values)
    {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int n = sorted.size();
        return 1 == n % 2 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double spread(final Collection<Double> values)
    {
        return (Collections.max(values) - Collections.min(values)) / median(values);
    }

    /** @return the value to three significant digits, without an exponent. */
    static String fmt(final double value)
    {
        if (0 == value || !Double.isFinite(value))
        {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /**
     * Prints the header lines, the table and the failures, and writes them to {@code results.md}, and every
     * measurement to {@code runs.csv}.
     *
     * @param out     where the summary is printed.
     * @param dir     the output directory.
     * @param header  lines before the table.
     * @param rows    the rows in order.
     * @param samples every measurement.
     * @param footer  lines after the table.
     */
    static void publish(final PrintStream out, final Path dir, final List<String> header, final List<BenchRow> rows,
        final List<Sample> samples, final List<String> footer)
    {
        final List<String> lines = new ArrayList<>(header);
        lines.add("");
        lines.addAll(table(rows, samples));
        lines.add("");
        for (final Sample sample : samples)
        {
            if (!sample.ok())
            {
                lines.add("- FAILED run " + sample.run() + " " + sample.row().title() + " " + sample.side().title() +
                    ": " + sample.failure());
            }
        }
        lines.addAll(footer);
        for (final String line : lines)
        {
            out.println(line);
        }
        out.flush();
        try
        {
            Files.createDirectories(dir);
            Files.write(dir.resolve("results.md"), lines, StandardCharsets.UTF_8);
            Files.write(dir.resolve("runs.csv"), csv(samples), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            out.println("bridge-bench: cannot write results to " + dir + ": " + ex);
        }
    }

    private static List<String> csv(final List<Sample> samples)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("run,row,side,key,value");
        for (final Sample sample : samples)
        {
            final String stem = sample.run() + "," + sample.row().key() + "," + sample.side().name().toLowerCase() +
                ",";
            if (!sample.ok())
            {
                lines.add(stem + "failed,\"" + sample.failure().replace('"', '\'').replace('\n', ' ') + "\"");
                continue;
            }
            sample.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach((entry) -> lines.add(stem + entry.getKey() + "," + entry.getValue()));
        }
        return lines;
    }
}
