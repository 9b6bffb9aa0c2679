package dev.shmq.perf;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A small message: a fixed pattern ({@link Payloads#source}) with the stamp in its first 8 bytes, copied into the
 * transport with one {@code putBytes}; the consumer reads the stamp in place and nothing else. An 8-byte message is
 * the stamp alone and is written with one {@code putLong}, as an application writes a long: {@code putBytes} of 8
 * bytes is a call into the JVM's copy stub (about 25 instructions and a {@code vzeroupper}, in the producer's
 * generated code on this machine).
 */
final class CopiedBody implements MessageBody
{
    private final UnsafeBuffer source;
    private final int length;

    CopiedBody(final int length)
    {
        this.source = Payloads.source(length);
        this.length = length;
    }

    @Override
    public int length()
    {
        return length;
    }

    @Override
    public void prepare(final long stamp)
    {
        source.putLong(0, stamp);
    }

    @Override
    public void write(final MutableDirectBuffer buffer, final int offset, final long stamp)
    {
        if (Long.BYTES == length)
        {
            buffer.putLong(offset, stamp);
        }
        else
        {
            buffer.putBytes(offset, source, 0, length);
        }
    }

    @Override
    public long read(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset);
    }

    @Override
    public long corrupt()
    {
        return 0;
    }
}
