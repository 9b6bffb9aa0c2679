package dev.shmq.perf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Folds a suite's runs into one row each: runs whose placement probes said the usual placement are kept, the others
 * ("away") reported apart
 * (the limits rows, the yardstick, are always kept).
 * A throughput row is the median of its kept runs' rates, with min..max and the median ring fill; a latency row is
 * its kept run of median p50, with the kept runs' p50 and p99.9 ranges in the note. A row none of whose runs was
 * kept is the median of all of them, and says so.
 */
final class RowSummaries
{
    private static final String LIMITS = "limits";

    private RowSummaries()
    {
    }

    /**
     * @param runs       every run, in run order.
     * @param usualProbe the suite's usual round trip (see PlacementProbe), in nanoseconds (infinite: no probe, keep
     *                   all).
     * @return one row per scenario, system and payload, in the order each first ran.
     */
    static List<BenchResult> summarise(final List<BenchResult> runs, final double usualProbe)
    {
        final Map<String, List<BenchResult>> byRow = new LinkedHashMap<>();
        for (final BenchResult run : runs)
        {
            byRow.computeIfAbsent(run.key(), (key) -> new ArrayList<>()).add(run);
        }
        final List<BenchResult> rows = new ArrayList<>();
        for (final List<BenchResult> row : byRow.values())
        {
            rows.add(summariseRow(row, usualProbe));
        }
        return rows;
    }

    /**
     * @param run        one run.
     * @param usualProbe the suite's usual round trip (infinite: nothing was probed).
     * @return true if the run counts: its probes said the usual placement, or nothing was probed.
     */
    static boolean isKept(final BenchResult run, final double usualProbe)
    {
        // The limits are the yardstick, not a subject: the cache-line round trip is the probe itself.
        return Double.isInfinite(usualProbe) || LIMITS.equals(run.scenario) || !run.isAway(usualProbe);
    }

    private static BenchResult summariseRow(final List<BenchResult> runs, final double usualProbe)
    {
        final List<BenchResult> measured = new ArrayList<>();
        for (final BenchResult run : runs)
        {
            if (!run.hasThroughput() && !run.hasLatency())
            {
                return run;
            }
            measured.add(run);
        }
        final List<BenchResult> kept = new ArrayList<>();
        for (final BenchResult run : measured)
        {
            if (isKept(run, usualProbe))
            {
                kept.add(run);
            }
        }
        final List<BenchResult> basis = kept.isEmpty() ? measured : kept;
        final String count = kept.isEmpty() ?
            String.format(Locale.ROOT, "all %d runs away, none kept", measured.size()) :
            String.format(Locale.ROOT, "kept %d of %d runs", kept.size(), measured.size());
        final BenchResult first = basis.get(0);
        if (first.hasThroughput())
        {
            return throughputRow(basis, count, awayRates(measured, usualProbe, kept.isEmpty()));
        }
        return latencyRow(basis, count);
    }

    private static BenchResult throughputRow(final List<BenchResult> basis, final String count, final String away)
    {
        final List<BenchResult> sorted = new ArrayList<>(basis);
        sorted.sort(Comparator.comparingDouble((final BenchResult run) -> run.messagesPerSecond));
        final BenchResult median = sorted.get(sorted.size() / 2);
        final StringBuilder note = new StringBuilder(count);
        if (sorted.size() > 1)
        {
            note.append(", ").append(ResultTable.rate(sorted.get(0).messagesPerSecond)).append("..")
                .append(ResultTable.rate(sorted.get(sorted.size() - 1).messagesPerSecond)).append(" msg/s");
        }
        note.append(away);
        final double fill = medianFill(basis);
        if (null != median.note && !median.note.isEmpty())
        {
            note.append("; ").append(median.note);
        }
        return median.withFill(fill).withNote(note.toString());
    }

    private static String awayRates(final List<BenchResult> measured, final double usualProbe, final boolean none)
    {
        if (none)
        {
            return "";
        }
        final List<Double> rates = new ArrayList<>();
        for (final BenchResult run : measured)
        {
            if (!isKept(run, usualProbe))
            {
                rates.add(run.messagesPerSecond);
            }
        }
        if (rates.isEmpty())
        {
            return "";
        }
        rates.sort(Double::compare);
        return "; away: " + rates.size() + " at " + ResultTable.rate(rates.get(0)) +
            (rates.size() > 1 ? ".." + ResultTable.rate(rates.get(rates.size() - 1)) : "") + " msg/s";
    }

    private static double medianFill(final List<BenchResult> runs)
    {
        final List<Double> fills = new ArrayList<>();
        for (final BenchResult run : runs)
        {
            if (!Double.isNaN(run.fill))
            {
                fills.add(run.fill);
            }
        }
        if (fills.isEmpty())
        {
            return Double.NaN;
        }
        fills.sort(Double::compare);
        return fills.get(fills.size() / 2);
    }

    private static BenchResult latencyRow(final List<BenchResult> basis, final String count)
    {
        final List<BenchResult> sorted = new ArrayList<>(basis);
        sorted.sort(Comparator.comparingDouble((final BenchResult run) -> run.percentileNanos(50)));
        final BenchResult median = sorted.get(sorted.size() / 2);
        final StringBuilder note = new StringBuilder(count);
        if (sorted.size() > 1)
        {
            double minTail = Double.POSITIVE_INFINITY;
            double maxTail = 0;
            for (final BenchResult run : sorted)
            {
                minTail = Math.min(minTail, run.percentileNanos(99.9));
                maxTail = Math.max(maxTail, run.percentileNanos(99.9));
            }
            note.append(", p50 ").append(ResultTable.micros(sorted.get(0).percentileNanos(50))).append("..")
                .append(ResultTable.micros(sorted.get(sorted.size() - 1).percentileNanos(50)))
                .append(" us, p99.9 ").append(ResultTable.micros(minTail)).append("..")
                .append(ResultTable.micros(maxTail)).append(" us");
        }
        if (null != median.note && !median.note.isEmpty())
        {
            note.append("; ").append(median.note);
        }
        return median.withNote(note.toString());
    }
}
