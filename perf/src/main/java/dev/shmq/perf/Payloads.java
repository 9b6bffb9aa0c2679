package dev.shmq.perf;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes every sender copies into its transport: a fixed pattern of the payload's length.
 */
final class Payloads
{
    static final int MIN_PAYLOAD = Long.BYTES;
    static final int FRAME = 1920 * 1080 * 3;
    private static final int ALIGNMENT = 64;

    private Payloads()
    {
    }

    static UnsafeBuffer source(final int payload)
    {
        if (payload < MIN_PAYLOAD)
        {
            throw new IllegalArgumentException("payload=" + payload + " (expected at least " + MIN_PAYLOAD + ")");
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(payload, ALIGNMENT));
        for (int i = 0; i < payload; i++)
        {
            buffer.putByte(i, (byte)(i * 31));
        }
        return buffer;
    }

    /**
     * @param payload message length in bytes.
     * @return ring slots for about 16 MiB of messages (at least 4, at most 65536), a power of two.
     */
    static int slots(final int payload)
    {
        final long wanted = Math.max(4, Math.min(65_536, (16L << 20) / payload));
        return Integer.highestOneBit((int)wanted);
    }

    static String label(final int payload)
    {
        if (FRAME == payload)
        {
            return "1080p frame";
        }
        if (payload >= 1 << 20 && 0 == payload % (1 << 20))
        {
            return (payload >> 20) + " MiB";
        }
        if (payload >= 1024 && 0 == payload % 1024)
        {
            return (payload / 1024) + " KiB";
        }
        return payload + " B";
    }
}
