package dev.shmq.perf.bridge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a benchmark child process: {@code key=value} words, built by the orchestrator.
 */
final class WorkerArgs
{
    /** {@code zeroq} (a local queue) or {@code aeron} (an embedded driver, a publication or a subscription). */
    static final String TRANSPORT = "transport";

    /** {@code tp} (flat out, throughput) or {@code paced} (a fixed rate, latency). */
    static final String MODE = "mode";

    /** Bytes per message, at least {@link #MIN_PAYLOAD}. */
    static final String PAYLOAD = "payload";

    /** Unmeasured messages first. */
    static final String WARMUP = "warmup";

    /** Measured messages after the warm-up. */
    static final String COUNT = "count";

    /** Paced mode: messages per second. */
    static final String RATE = "rate";

    /** zeroq: the queue's name. */
    static final String QUEUE = "queue";

    /** Aeron: the channel. */
    static final String CHANNEL = "channel";

    /** Aeron: the stream id. */
    static final String STREAM = "stream";

    /** Aeron: the embedded driver's directory. */
    static final String AERON_DIR = "aeron-dir";

    /** Paced receiver: where the latency histogram's percentile distribution is written, in microseconds. */
    static final String HGRM = "hgrm";

    /** The zeroq transport. */
    static final String ZEROQ = "zeroq";

    /** The Aeron transport. */
    static final String AERON = "aeron";

    /** The throughput mode. */
    static final String TP = "tp";

    /** The paced mode. */
    static final String PACED = "paced";

    /** The smallest payload: the send time stamp (bytes 0 to 7) and the sequence number (bytes 8 to 15). */
    static final int MIN_PAYLOAD = 16;

    /** Where the send time stamp is, in paced mode. */
    static final int STAMP_OFFSET = 0;

    /** Where the sequence number is: 0, 1, 2, ... from the first warm-up message. */
    static final int SEQUENCE_OFFSET = 8;

    private final Map<String, String> values = new HashMap<>();

    private WorkerArgs(final String[] args)
    {
        for (final String arg : args)
        {
            final int eq = arg.indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException("argument='" + arg + "' (expected key=value)");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    static WorkerArgs parse(final String[] args)
    {
        return new WorkerArgs(args);
    }

    static String arg(final String key, final Object value)
    {
        return key + '=' + value;
    }

    static List<String> args(final Object... keysAndValues)
    {
        final String[] words = new String[keysAndValues.length / 2];
        for (int i = 0; i < words.length; i++)
        {
            words[i] = arg((String)keysAndValues[2 * i], keysAndValues[2 * i + 1]);
        }
        return List.of(words);
    }

    String string(final String key)
    {
        final String value = values.get(key);
        if (null == value)
        {
            throw new IllegalArgumentException(key + " missing (expected " + key + "=...) in " + values);
        }
        return value;
    }

    long longValue(final String key)
    {
        return Long.parseLong(string(key));
    }

    int intValue(final String key)
    {
        return Integer.parseInt(string(key));
    }

    boolean isAeron()
    {
        final String transport = string(TRANSPORT);
        if (!AERON.equals(transport) && !ZEROQ.equals(transport))
        {
            throw new IllegalArgumentException(
                TRANSPORT + "=" + transport + " (expected " + ZEROQ + " or " + AERON + ")");
        }
        return AERON.equals(transport);
    }

    boolean isPaced()
    {
        final String mode = string(MODE);
        if (!TP.equals(mode) && !PACED.equals(mode))
        {
            throw new IllegalArgumentException(MODE + "=" + mode + " (expected " + TP + " or " + PACED + ")");
        }
        return PACED.equals(mode);
    }

    int payload()
    {
        final int payload = intValue(PAYLOAD);
        if (payload < MIN_PAYLOAD)
        {
            throw new IllegalArgumentException(PAYLOAD + "=" + payload + " (expected at least " + MIN_PAYLOAD + ")");
        }
        return payload;
    }
}
