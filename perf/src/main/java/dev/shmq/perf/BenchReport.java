package dev.shmq.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reports a finished suite: prints the scenario legend, the systems, the result table and the goals, then writes
 * one {@code .hgrm} per latency result, {@code results.csv} and {@code report.html} to the output directory.
 */
final class BenchReport
{
    private final BenchOptions options;
    private final Path outDirectory;
    private final PrintStream out;

    BenchReport(final BenchOptions options, final Path outDirectory, final PrintStream out)
    {
        this.options = options;
        this.outDirectory = outDirectory;
        this.out = out;
    }

    /**
     * @param runs    the suite's runs, in run order.
     * @param probe   the placement probe that judged them.
     * @param seconds the suite's wall time.
     */
    void publish(final List<BenchResult> runs, final PlacementProbe probe, final double seconds)
    {
        final double usual = probe.usualNanos();
        final List<BenchResult> results = RowSummaries.summarise(runs, usual);
        final ResultTable table = new ResultTable(results);
        final String text = table.format();
        final List<String> goals = new GoalReport(table, runs, usual).evaluate();
        final String placement = Double.isInfinite(usual) ? "no placement probe succeeded: every run kept" :
            String.format(Locale.ROOT, "placement probe: usual round trip %.0f ns (cache line, %.0fth percentile " +
                "of the suite's probes); a run is kept when both its probes are within %.1fx of it either way, the " +
                "others are away (%d of %d probes away: %d slower, %d faster; %d failed); runs.csv has every run",
                usual, PlacementProbe.REFERENCE_PERCENTILE, PlacementProbe.AWAY_FACTOR,
                probe.slowerProbes() + probe.fasterProbes(), probe.probeCount(), probe.slowerProbes(),
                probe.fasterProbes(), probe.failures());
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
        out.println(placement);
        out.println();
        out.println("Goals (pairs of one round; MET/MISSED only when their spread, the interquartile range, is all " +
            "on one side of the goal, else NOISY):");
        goals.forEach((line) -> out.println("  " + line));
        out.printf(Locale.ROOT, "%nwall time %.1f s%n", seconds);
        write(results, text, goals, table, seconds);
        try
        {
            Files.writeString(outDirectory.resolve("runs.csv"), ResultTable.runsCsv(runs, usual),
                StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write runs.csv to " + outDirectory, ex);
        }
    }

    private void write(
        final List<BenchResult> results,
        final String text,
        final List<String> goals,
        final ResultTable table,
        final double seconds)
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
            out.println("wrote " + outDirectory.resolve("report.html").toAbsolutePath() + ", results.csv, runs.csv " +
                "and *.hgrm (microseconds) in " + outDirectory.toAbsolutePath());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write results to " + outDirectory, ex);
        }
    }
}
