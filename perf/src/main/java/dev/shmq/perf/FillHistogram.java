package dev.shmq.perf;

import java.util.Locale;

/**
 * How full a consumer found its ring: fractions 0..1 in {@value #BUCKETS} fixed buckets of 1/1000, preallocated, so a
 * throughput consumer samples without allocating. The hot loop keeps only {@link #bucket(double)} per sample; the
 * histogram is filled and read after the run.
 */
final class FillHistogram
{
    /** Buckets: 0, 0.001, ..., 1. */
    static final int BUCKETS = 1001;
    private static final int SCALE = BUCKETS - 1;

    private final int[] counts = new int[BUCKETS];
    private long total;

    /**
     * @param ahead    messages (or bytes) written and not yet read; a snapshot, so it may be negative or, on a lossy
     *                 ring, more than the capacity.
     * @param capacity what the ring holds, in the same unit.
     * @return {@code ahead / capacity} clamped to {@code [0, 1]}, without a branch: a clamp first taken mid-run would
     *         cost the consumer's compiled loop a deoptimisation.
     */
    static double fraction(final long ahead, final long capacity)
    {
        final long atLeastZero = ahead & ~(ahead >> 63);
        final long over = atLeastZero - capacity;
        final long clamped = capacity + (over & (over >> 63));
        return clamped / (double)capacity;
    }

    /**
     * @param fraction a fill fraction in {@code [0, 1]}, or NaN.
     * @return its bucket, 0 to {@value #BUCKETS} - 1 (NaN gives 0); Math.min/max on ints compile to conditional
     *         moves, not branches.
     */
    static short bucket(final double fraction)
    {
        return (short)Math.max(0, Math.min(SCALE, (int)(fraction * SCALE + 0.5)));
    }

    /**
     * Counts the samples of a run.
     *
     * @param buckets samples, as {@link #bucket(double)} gave them.
     * @param from    the first to count.
     * @param to      one after the last to count.
     * @return this.
     */
    FillHistogram record(final short[] buckets, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            counts[buckets[i]]++;
            total++;
        }
        return this;
    }

    /** @return how many samples were counted. */
    long total()
    {
        return total;
    }

    /** @return the median fraction (the lower middle bucket for an even count), NaN without samples. */
    double median()
    {
        if (0 == total)
        {
            return Double.NaN;
        }
        final long rank = (total + 1) / 2;
        long seen = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++)
        {
            seen += counts[bucket];
            if (seen >= rank)
            {
                return bucket / (double)SCALE;
            }
        }
        return 1.0;
    }

    /** @return the median as a RESULT value, e.g. {@code 0.123}. */
    static String format(final double fraction)
    {
        return String.format(Locale.ROOT, "%.3f", fraction);
    }
}
