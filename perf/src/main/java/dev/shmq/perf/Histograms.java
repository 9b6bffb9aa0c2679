package dev.shmq.perf;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * Latency histograms in nanoseconds: creation, the coordinated-omission-free recording of paced runs, and the
 * encodings that carry them from child processes to the orchestrator.
 */
final class Histograms
{
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    static final int SIGNIFICANT_DIGITS = 3;

    private Histograms()
    {
    }

    static Histogram create()
    {
        return new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /**
     * Records a value, clamped into the trackable range so that a pathological outlier cannot end a run.
     *
     * @param histogram where to record.
     * @param nanos     the value.
     */
    static void record(final Histogram histogram, final long nanos)
    {
        histogram.recordValue(Math.max(0, Math.min(HIGHEST_TRACKABLE_NANOS, nanos)));
    }

    /**
     * Records the one-way latency of a paced message measured from when it was meant to be sent, not from when the
     * sender got round to it: a stalled sender then shows up as the latency every message behind it suffered
     * (Gil Tene's coordinated omission), instead of vanishing from the histogram.
     *
     * @param histogram    where to record.
     * @param intendedSend when the schedule said the message should go, in {@link System#nanoTime()} terms.
     * @param received     when it arrived.
     */
    static void recordFromIntended(final Histogram histogram, final long intendedSend, final long received)
    {
        record(histogram, received - intendedSend);
    }

    static String encode(final Histogram histogram)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        final byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(final String base64)
    {
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(base64)), HIGHEST_TRACKABLE_NANOS);
        }
        catch (final DataFormatException ex)
        {
            throw new IllegalStateException("histogram=" + base64.length() + " chars (expected a valid encoding)", ex);
        }
    }

    /**
     * @param file raw little-endian {@code int64} nanosecond samples, as the C/C++ peers write them.
     * @return a histogram of them.
     */
    static Histogram fromSamples(final Path file)
    {
        final Histogram histogram = create();
        try
        {
            final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.remaining() >= Long.BYTES)
            {
                record(histogram, bytes.getLong());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read samples " + file, ex);
        }
        return histogram;
    }
}
