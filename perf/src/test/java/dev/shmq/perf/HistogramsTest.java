package dev.shmq.perf;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HistogramsTest
{
    @Test
    void shouldChargeAStallToEveryMessageScheduledDuringIt()
    {
        // Paced at one message per 10 us; the sender stalls and all ten go at 100 us, arriving at once.
        final Histogram histogram = Histograms.create();
        final long arrival = 100_000;
        for (int i = 0; i < 10; i++)
        {
            Histograms.recordFromIntended(histogram, i * 10_000L, arrival);
        }

        // Measured from the actual send time every one would show ~0; from the schedule they wait 100..10 us.
        assertEquals(10, histogram.getTotalCount());
        assertEquals(100_000, histogram.getMaxValue(), 100);
        assertEquals(10_000, histogram.getMinValue(), 10);
        assertEquals(55_000, histogram.getMean(), 100);
    }

    @Test
    void shouldClampValuesOutsideTheTrackableRange()
    {
        final Histogram histogram = Histograms.create();

        Histograms.record(histogram, -5);
        Histograms.record(histogram, Long.MAX_VALUE);

        assertEquals(2, histogram.getTotalCount());
        assertEquals(0, histogram.getMinValue());
    }

    @Test
    void shouldRoundTripThroughTheResultLineEncoding()
    {
        final Histogram histogram = Histograms.create();
        for (long value = 100; value < 1_000_000; value += 997)
        {
            histogram.recordValue(value);
        }

        final Histogram decoded = Histograms.decode(Histograms.encode(histogram));

        assertEquals(histogram.getTotalCount(), decoded.getTotalCount());
        assertEquals(histogram.getValueAtPercentile(99), decoded.getValueAtPercentile(99));
        assertEquals(histogram.getMaxValue(), decoded.getMaxValue());
    }

    @Test
    void shouldReadNativeSampleFiles(@TempDir final Path directory) throws Exception
    {
        final ByteBuffer samples = ByteBuffer.allocate(3 * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        samples.putLong(300).putLong(400).putLong(500);
        final Path file = Files.write(directory.resolve("samples.bin"), samples.array());

        final Histogram histogram = Histograms.fromSamples(file);

        assertEquals(3, histogram.getTotalCount());
        assertEquals(400, histogram.getValueAtPercentile(50), 1);
    }
}
