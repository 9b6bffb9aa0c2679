package dev.shmq.perf.bridge;

import java.util.Locale;

/**
 * One row of the comparison: a throughput run at one payload, or a paced latency run, with its counts. Each row is
 * measured in pairs, raw Aeron and shmq bridged.
 */
final class BenchRow
{
    /** What a row measures. */
    enum Kind
    {
        /** Flat out: messages per second at the consumer. */
        THROUGHPUT,

        /** At a fixed rate: one-way latency from the intended send time. */
        LATENCY
    }

    /** The two ways across. */
    enum Side
    {
        /** A raw Aeron publication on host A, a subscription on host B, each with its own embedded driver. */
        RAW("raw Aeron"),

        /** A zeroq producer, {@code shmq bridge out} on host A; {@code shmq bridge in}, a zeroq consumer on B. */
        BRIDGED("shmq bridged");

        private final String title;

        Side(final String title)
        {
            this.title = title;
        }

        String title()
        {
            return title;
        }
    }

    private final Kind kind;
    private final int payload;
    private final long warmup;
    private final long count;
    private final long rate;

    BenchRow(final Kind kind, final int payload, final long warmup, final long count, final long rate)
    {
        this.kind = kind;
        this.payload = payload;
        this.warmup = warmup;
        this.count = count;
        this.rate = rate;
    }

    Kind kind()
    {
        return kind;
    }

    int payload()
    {
        return payload;
    }

    long warmup()
    {
        return warmup;
    }

    long count()
    {
        return count;
    }

    long rate()
    {
        return rate;
    }

    String mode()
    {
        return Kind.THROUGHPUT == kind ? WorkerArgs.TP : WorkerArgs.PACED;
    }

    /** @return the row's name in the table, e.g. {@code 64 B throughput}. */
    String title()
    {
        return Kind.THROUGHPUT == kind ? payload + " B throughput" :
            String.format(Locale.ROOT, "%d B latency at %,d msg/s", payload, rate);
    }

    /** @return a short name for files, e.g. {@code tp64}. */
    String key()
    {
        return (Kind.THROUGHPUT == kind ? "tp" : "lat") + payload;
    }

    @Override
    public String toString()
    {
        return title() + " (warmup=" + warmup + ", count=" + count + ")";
    }
}
