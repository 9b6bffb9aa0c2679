package dev.shmq.perf;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One row of the table: a throughput (messages and bytes per second) and/or a latency histogram in nanoseconds.
 */
final class BenchResult
{
    final String scenario;
    final String system;
    final int payload;
    final double messagesPerSecond;
    final Histogram histogram;
    final String note;

    BenchResult(
        final String scenario,
        final String system,
        final int payload,
        final double messagesPerSecond,
        final Histogram histogram,
        final String note)
    {
        this.scenario = scenario;
        this.system = system;
        this.payload = payload;
        this.messagesPerSecond = messagesPerSecond;
        this.histogram = histogram;
        this.note = note;
    }

    static BenchResult throughput(
        final String scenario, final String system, final int payload, final double rate, final String note)
    {
        return new BenchResult(scenario, system, payload, rate, null, note);
    }

    static BenchResult latency(
        final String scenario, final String system, final int payload, final Histogram histogram, final String note)
    {
        return new BenchResult(scenario, system, payload, Double.NaN, histogram, note);
    }

    static BenchResult missing(final String scenario, final String system, final int payload, final String note)
    {
        return new BenchResult(scenario, system, payload, Double.NaN, null, note);
    }

    /**
     * @param runs repetitions of one throughput measurement, at least one.
     * @return the run with the median rate, its note extended with the spread; the first run without a rate if any.
     */
    static BenchResult median(final List<BenchResult> runs)
    {
        final List<BenchResult> sorted = new ArrayList<>(runs);
        for (final BenchResult run : sorted)
        {
            if (!run.hasThroughput())
            {
                return run;
            }
        }
        if (1 == sorted.size())
        {
            return sorted.get(0);
        }
        sorted.sort(Comparator.comparingDouble((final BenchResult run) -> run.messagesPerSecond));
        final BenchResult median = sorted.get(sorted.size() / 2);
        final String spread = String.format(Locale.ROOT, "median of %d runs, %s..%s msg/s", sorted.size(),
            ResultTable.rate(sorted.get(0).messagesPerSecond),
            ResultTable.rate(sorted.get(sorted.size() - 1).messagesPerSecond));
        return new BenchResult(median.scenario, median.system, median.payload, median.messagesPerSecond, null,
            null == median.note ? spread : median.note + "; " + spread);
    }

    boolean hasThroughput()
    {
        return !Double.isNaN(messagesPerSecond);
    }

    boolean hasLatency()
    {
        return null != histogram && histogram.getTotalCount() > 0;
    }

    double bytesPerSecond()
    {
        return messagesPerSecond * payload;
    }

    /**
     * @param percentile 0 to 100.
     * @return the latency at that percentile in nanoseconds, or NaN without a histogram.
     */
    double percentileNanos(final double percentile)
    {
        return hasLatency() ? histogram.getValueAtPercentile(percentile) : Double.NaN;
    }

    double maxNanos()
    {
        return hasLatency() ? histogram.getMaxValue() : Double.NaN;
    }

    String key()
    {
        return scenario + '|' + system + '|' + payload;
    }
}
