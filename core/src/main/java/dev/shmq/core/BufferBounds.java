package dev.shmq.core;

import org.agrona.DirectBuffer;

/**
 * Argument checks for the buffers callers hand to a queue, made before the queue claims or stores anything in shared
 * memory: a copy that fails half way through a claimed cell would otherwise leave the cell held for every process.
 * Failures are {@link IllegalArgumentException}s naming the value and the limit.
 */
public final class BufferBounds
{
    private BufferBounds()
    {
    }

    /**
     * Checks that {@code [offset, offset + length)} lies inside {@code buffer}.
     *
     * @param what   the argument's name in the message, e.g. {@code "src"}.
     * @param buffer the caller's buffer.
     * @param offset where the range starts.
     * @param length how many bytes it spans; a long, so that {@code count * elementSize} cannot overflow.
     * @throws IllegalArgumentException if the buffer is null or the range does not fit.
     */
    public static void checkRange(final String what, final DirectBuffer buffer, final int offset, final long length)
    {
        if (null == buffer)
        {
            throw new IllegalArgumentException(what + "=null (expected a buffer)");
        }
        if (!fits(buffer, offset, length))
        {
            throw new IllegalArgumentException(what + " offset=" + offset + " length=" + length +
                " (expected 0 <= offset and offset + length <= " + what + ".capacity=" + buffer.capacity() + ')');
        }
    }

    /**
     * @param buffer a caller's buffer, not null.
     * @param offset where a range starts.
     * @param length how many bytes it spans.
     * @return true if {@code [offset, offset + length)} lies inside {@code buffer}.
     */
    public static boolean fits(final DirectBuffer buffer, final int offset, final long length)
    {
        return offset >= 0 && length >= 0 && offset + length <= buffer.capacity();
    }

    /**
     * Checks that an array is present and has exactly the expected length.
     *
     * @param what     the argument's name in the message, e.g. {@code "item"}.
     * @param array    the caller's array.
     * @param expected the length it must have.
     * @throws IllegalArgumentException if the array is null or of another length.
     */
    public static void checkLength(final String what, final byte[] array, final int expected)
    {
        if (null == array)
        {
            throw new IllegalArgumentException(what + "=null (expected " + expected + " bytes)");
        }
        if (array.length != expected)
        {
            throw new IllegalArgumentException(what + " length=" + array.length + " (expected elementSize=" +
                expected + ')');
        }
    }
}
