package dev.shmq.interop;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-producer counts and sequence sums gathered by consumers, merged across Java threads and native peers: each
 * producer's count and sum of sequences must come out as {@code n} and {@code n(n-1)/2}, and each consumer checks
 * that a producer's sequences arrive in increasing order.
 */
final class ZeroqTally
{
    private static final Pattern PEER_ENTRY = Pattern.compile("p(\\d+)=(\\d+)/(\\d+)");

    private final long[] counts;
    private final long[] sums;
    private final long[] last;

    ZeroqTally(final int producers)
    {
        counts = new long[producers];
        sums = new long[producers];
        last = new long[producers];
        Arrays.fill(last, -1);
    }

    void record(final long producer, final long sequence)
    {
        final int p = (int)producer;
        if (sequence <= last[p])
        {
            throw new AssertionError("producer " + p + " seq " + sequence + " arrived after " + last[p]);
        }
        last[p] = sequence;
        counts[p]++;
        sums[p] += sequence;
    }

    synchronized void add(final ZeroqTally other)
    {
        for (int p = 0; p < counts.length; p++)
        {
            counts[p] += other.counts[p];
            sums[p] += other.sums[p];
        }
    }

    /** Adds a peer's {@code DONE p0=count/sum p1=...} line. */
    synchronized void addPeerLine(final String line)
    {
        final Matcher matcher = PEER_ENTRY.matcher(line);
        while (matcher.find())
        {
            final int p = Integer.parseInt(matcher.group(1));
            counts[p] += Long.parseLong(matcher.group(2));
            sums[p] += Long.parseLong(matcher.group(3));
        }
    }

    synchronized void assertExactlyOnce(final long perProducer)
    {
        for (int p = 0; p < counts.length; p++)
        {
            if (counts[p] != perProducer || sums[p] != perProducer * (perProducer - 1) / 2)
            {
                throw new AssertionError("producer " + p + ": count=" + counts[p] + " sum=" + sums[p] +
                    " (expected count=" + perProducer + " sum=" + perProducer * (perProducer - 1) / 2 + ")");
            }
        }
    }
}
