package dev.shmq.core;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * A self-checking payload shared by shmq's interop tests, its native peers ({@code peers/*.cpp}) and the
 * {@code shmq send/recv} commands: u64 producer id, u64 sequence (little-endian), then byte {@code i} =
 * {@code (producer * 31 + sequence + i) & 0xFF}. Any torn or misplaced copy shows up in {@link #verify}. A producer
 * id of all ones ({@link #STOP}) marks a stop element.
 */
public final class CheckedPayload
{
    /** The producer id of a stop element. */
    public static final long STOP = -1L;

    /** Offset of the producer id. */
    public static final int PRODUCER_OFFSET = 0;

    /** Offset of the sequence. */
    public static final int SEQUENCE_OFFSET = Long.BYTES;

    /** The shortest checked payload: producer id and sequence. */
    public static final int MIN_LENGTH = SEQUENCE_OFFSET + Long.BYTES;

    private static final int PRODUCER_MULTIPLIER = 31;

    private CheckedPayload()
    {
    }

    /**
     * Writes a payload.
     *
     * @param buffer   where to write.
     * @param offset   the payload's offset.
     * @param length   its length, at least {@link #MIN_LENGTH}.
     * @param producer the producer id.
     * @param sequence the producer's sequence number.
     */
    public static void fill(
        final MutableDirectBuffer buffer, final int offset, final int length, final long producer, final long sequence)
    {
        checkLength(length);
        buffer.putLong(offset + PRODUCER_OFFSET, producer, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, ByteOrder.LITTLE_ENDIAN);
        for (int i = MIN_LENGTH; i < length; i++)
        {
            buffer.putByte(offset + i, patternByte(producer, sequence, i));
        }
    }

    /**
     * @param buffer the payload's buffer.
     * @param offset the payload's offset.
     * @return its producer id.
     */
    public static long producer(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + PRODUCER_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param buffer the payload's buffer.
     * @param offset the payload's offset.
     * @return its sequence.
     */
    public static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Checks every pattern byte of a payload.
     *
     * @param buffer the payload's buffer.
     * @param offset the payload's offset.
     * @param length its length.
     * @throws IllegalStateException naming producer, sequence and the first wrong byte.
     */
    public static void verify(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        final long producer = producer(buffer, offset);
        final long sequence = sequence(buffer, offset);
        for (int i = MIN_LENGTH; i < length; i++)
        {
            final byte expected = patternByte(producer, sequence, i);
            if (buffer.getByte(offset + i) != expected)
            {
                throw new IllegalStateException("corrupt payload producer=" + producer + " sequence=" + sequence +
                    ": byte " + i + "=" + buffer.getByte(offset + i) + " (expected " + expected + ")");
            }
        }
    }

    private static byte patternByte(final long producer, final long sequence, final int i)
    {
        return (byte)(producer * PRODUCER_MULTIPLIER + sequence + i);
    }

    private static void checkLength(final int length)
    {
        if (length < MIN_LENGTH)
        {
            throw new IllegalArgumentException("payload length=" + length + " (expected at least " + MIN_LENGTH + ")");
        }
    }
}
