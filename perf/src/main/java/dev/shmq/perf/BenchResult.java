package dev.shmq.perf;

import org.HdrHistogram.Histogram;


/**
 * One run, or one row of the table summarising a row's runs: a throughput (messages and bytes per second) and/or a
 * latency histogram in nanoseconds, with the run's place in the suite: its round (runs of one round ran back to
 * back, interleaved with the other systems of their group), the CPU placement probe's round trip just before and
 * just after it ({@link PlacementProbe}), the ring's median fill fraction the consumer saw, and for a wake-up run the
 * share of a core its waiting thread used while idle.
 */
final class BenchResult
{
    /** No probe was taken (or it failed). */
    static final double NO_PROBE = Double.NaN;

    final String scenario;
    final String system;
    final int payload;
    final double messagesPerSecond;
    final Histogram histogram;
    final String note;
    final int round;
    final double probeBeforeNanos;
    final double probeAfterNanos;
    final double fill;
    /** The waiting thread's CPU time over the idle gap's wall time (a wake-up run), or NaN. */
    final double idleCpu;

    BenchResult(
        final String scenario,
        final String system,
        final int payload,
        final double messagesPerSecond,
        final Histogram histogram,
        final String note,
        final int round,
        final double probeBeforeNanos,
        final double probeAfterNanos,
        final double fill,
        final double idleCpu)
    {
        this.scenario = scenario;
        this.system = system;
        this.payload = payload;
        this.messagesPerSecond = messagesPerSecond;
        this.histogram = histogram;
        this.note = note;
        this.round = round;
        this.probeBeforeNanos = probeBeforeNanos;
        this.probeAfterNanos = probeAfterNanos;
        this.fill = fill;
        this.idleCpu = idleCpu;
    }

    /** @return this run placed in a round between two probes. */
    BenchResult placed(final int round, final double probeBefore, final double probeAfter)
    {
        return new BenchResult(scenario, system, payload, messagesPerSecond, histogram, note, round, probeBefore,
            probeAfter, fill, idleCpu);
    }

    /** @return this run with the ring's median fill fraction. */
    BenchResult withFill(final double fill)
    {
        return new BenchResult(scenario, system, payload, messagesPerSecond, histogram, note, round,
            probeBeforeNanos, probeAfterNanos, fill, idleCpu);
    }

    /**
     * @param idleCpu the share of a core the waiting thread used while idle (0.05: 5 %).
     * @return this wake-up run with that share.
     */
    BenchResult withIdleCpu(final double idleCpu)
    {
        return new BenchResult(scenario, system, payload, messagesPerSecond, histogram, note, round,
            probeBeforeNanos, probeAfterNanos, fill, idleCpu);
    }

    /** @return this row with another note. */
    BenchResult withNote(final String note)
    {
        return new BenchResult(scenario, system, payload, messagesPerSecond, histogram, note, round,
            probeBeforeNanos, probeAfterNanos, fill, idleCpu);
    }

    /**
     * @param usualProbeNanos the suite's usual round trip (see PlacementProbe).
     * @return true if either probe around this run says another placement than the usual one
     *         ({@link PlacementProbe#isAway}), or is missing: the two CPUs were farther apart or closer together than
     *         usual (or unknown) while it ran.
     */
    boolean isAway(final double usualProbeNanos)
    {
        return PlacementProbe.isAway(probeBeforeNanos, usualProbeNanos) ||
            PlacementProbe.isAway(probeAfterNanos, usualProbeNanos);
    }

    static BenchResult throughput(
        final String scenario, final String system, final int payload, final double rate, final String note)
    {
        return new BenchResult(scenario, system, payload, rate, null, note, 0, NO_PROBE, NO_PROBE, Double.NaN,
            Double.NaN);
    }

    static BenchResult latency(
        final String scenario, final String system, final int payload, final Histogram histogram, final String note)
    {
        return new BenchResult(scenario, system, payload, Double.NaN, histogram, note, 0, NO_PROBE, NO_PROBE,
            Double.NaN, Double.NaN);
    }

    static BenchResult missing(final String scenario, final String system, final int payload, final String note)
    {
        return new BenchResult(scenario, system, payload, Double.NaN, null, note, 0, NO_PROBE, NO_PROBE, Double.NaN,
            Double.NaN);
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
