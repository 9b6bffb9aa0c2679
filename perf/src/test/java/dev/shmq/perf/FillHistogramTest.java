package dev.shmq.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FillHistogramTest
{
    @Test
    void shouldClampTheFractionToZeroAndOne()
    {
        assertEquals(0.25, FillHistogram.fraction(256, 1024));
        assertEquals(0.0, FillHistogram.fraction(-3, 1024));
        assertEquals(1.0, FillHistogram.fraction(5000, 1024));
        assertEquals(1.0, FillHistogram.fraction(1024, 1024));
        assertEquals(0.0, FillHistogram.fraction(Long.MIN_VALUE, 1024));
        assertEquals(1.0, FillHistogram.fraction(Long.MAX_VALUE, 1024));
    }

    @Test
    void shouldBucketPerMille()
    {
        assertEquals(0, FillHistogram.bucket(0.0));
        assertEquals(123, FillHistogram.bucket(0.1234));
        assertEquals(1000, FillHistogram.bucket(1.0));
        assertEquals(0, FillHistogram.bucket(Double.NaN));
        assertEquals(1000, FillHistogram.bucket(7.0));
        assertEquals(0, FillHistogram.bucket(-1.0));
    }

    @Test
    void shouldGiveTheMedianOfTheSamplesInRange()
    {
        final short[] samples = {1000, 1000, 100, 500, 900, 0};

        final FillHistogram histogram = new FillHistogram().record(samples, 2, 5);

        assertEquals(3, histogram.total());
        assertEquals(0.5, histogram.median());
        assertEquals("0.500", FillHistogram.format(histogram.median()));
        assertEquals(0.1, new FillHistogram().record(samples, 2, 4).median());
        assertTrue(Double.isNaN(new FillHistogram().median()));
    }
}
