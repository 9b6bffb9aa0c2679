package dev.shmq.reliability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-producer count, sum and sum of squares (modulo 2^64) of the sequences one consumer took, in the
 * {@code p0=count/sum/sumsq ...} form the native peers print. Merged over every consumer of a run, each producer's
 * three figures must equal those of {@code 0 .. n-1}: with each consumer seeing a producer's sequences in increasing
 * order, a duplicate and a loss cannot both hide in all three.
 */
final class SequenceTally
{
    private static final Pattern ENTRY = Pattern.compile("p(\\d+)=(\\d+)/(\\d+)/(\\d+)");

    private final long[] counts;
    private final long[] sums;
    private final long[] squares;
    private final long[] next;

    SequenceTally(final int producers)
    {
        counts = new long[producers];
        sums = new long[producers];
        squares = new long[producers];
        next = new long[producers];
    }

    /**
     * @param producer      the producer id.
     * @param sequence      its sequence.
     * @param strictlyNext  true when the sequence must be exactly the one after the last (a reader that sees
     *                      everything), false when it must only be larger (a consumer among several).
     */
    void record(final long producer, final long sequence, final boolean strictlyNext)
    {
        if (producer < 0 || producer >= counts.length)
        {
            throw new IllegalStateException("producer=" + producer + " (expected 0 to " + (counts.length - 1) + ")");
        }
        final int p = (int)producer;
        if (strictlyNext ? sequence != next[p] : sequence < next[p])
        {
            throw new IllegalStateException("producer=" + p + " sequence=" + sequence + " (expected " +
                (strictlyNext ? "" : "at least ") + next[p] + ")");
        }
        next[p] = sequence + 1;
        counts[p]++;
        sums[p] += sequence;
        squares[p] += sequence * sequence;
    }

    long count(final int producer)
    {
        return counts[producer];
    }

    long total()
    {
        long total = 0;
        for (final long count : counts)
        {
            total += count;
        }
        return total;
    }

    /** @return the {@code p0=count/sum/sumsq ...} form, with a leading space per producer. */
    String format()
    {
        final StringBuilder line = new StringBuilder();
        for (int p = 0; p < counts.length; p++)
        {
            line.append(" p").append(p).append('=').append(Long.toUnsignedString(counts[p])).append('/')
                .append(Long.toUnsignedString(sums[p])).append('/').append(Long.toUnsignedString(squares[p]));
        }
        return line.toString();
    }

    /** Adds the figures of a {@code DONE ... p0=count/sum/sumsq ...} line. */
    void addLine(final String line)
    {
        final Matcher matcher = ENTRY.matcher(line);
        int found = 0;
        while (matcher.find())
        {
            final int p = Integer.parseInt(matcher.group(1));
            counts[p] += Long.parseUnsignedLong(matcher.group(2));
            sums[p] += Long.parseUnsignedLong(matcher.group(3));
            squares[p] += Long.parseUnsignedLong(matcher.group(4));
            found++;
        }
        if (found != counts.length)
        {
            throw new AssertionError("line='" + line + "' has " + found + " producer tallies (expected " +
                counts.length + ")");
        }
    }

    /**
     * @param expected how many elements each producer sent.
     * @throws AssertionError naming the producer whose figures differ from those of {@code 0 .. n-1}.
     */
    void assertExactlyOnce(final long[] expected)
    {
        for (int p = 0; p < counts.length; p++)
        {
            final long n = expected[p];
            long sum = 0;
            long sumOfSquares = 0;
            for (long i = 0; i < n; i++)
            {
                sum += i;
                sumOfSquares += i * i;
            }
            if (counts[p] != n || sums[p] != sum || squares[p] != sumOfSquares)
            {
                throw new AssertionError("producer " + p + ": count=" + counts[p] + " sum=" + sums[p] + " sumsq=" +
                    squares[p] + " (expected count=" + n + " sum=" + sum + " sumsq=" + sumOfSquares +
                    ": every sequence exactly once)");
            }
        }
    }
}
