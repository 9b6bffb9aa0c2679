package dev.shmq.perf;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest
{
    private static Histogram latencies(final long... nanos)
    {
        final Histogram histogram = Histograms.create();
        for (final long value : nanos)
        {
            histogram.recordValue(value);
        }
        return histogram;
    }

    @Test
    void shouldRateThroughputAgainstTheBaseline()
    {
        final BenchResult row = BenchResult.throughput("tp", "shmq-slick", 64, 30e6, null);
        final BenchResult base = BenchResult.throughput("tp", "unix-socket", 64, 1e6, null);

        assertEquals(30.0, ResultTable.ratio(row, base), 1e-9);
    }

    @Test
    void shouldRateLatencyAsBaselineP50OverRowP50()
    {
        final BenchResult row = BenchResult.latency("rtt", "shmq-slick", 8, latencies(1000, 1000, 1000), null);
        final BenchResult base = BenchResult.latency("rtt", "unix-socket", 8, latencies(10000, 10000, 10000), null);

        assertEquals(10.0, ResultTable.ratio(row, base), 0.05);
    }

    @Test
    void shouldGiveNoRatioWithoutBaseline()
    {
        final BenchResult row = BenchResult.throughput("tp", "shmq-slick", 64, 30e6, null);

        assertTrue(Double.isNaN(ResultTable.ratio(row, null)));
        assertTrue(Double.isNaN(ResultTable.ratio(row, BenchResult.missing("tp", "unix-socket", 64, "n/a"))));
    }

    @Test
    void shouldFindBaselinesPerScenarioAndPayload()
    {
        final ResultTable table = new ResultTable(List.of(
            BenchResult.throughput("tp", "shmq-zeroq-spin", 64, 20e6, null),
            BenchResult.throughput("tp", "agrona-o2o", 64, 10e6, null),
            BenchResult.throughput("tp", "unix-socket", 64, 0.5e6, null),
            BenchResult.throughput("tp", "unix-socket", 8, 1e6, null),
            BenchResult.throughput("tp2", "shmq-zeroq-spin", 64, 8e6, null),
            BenchResult.throughput("tp2", "agrona-m2o", 64, 4e6, null)));

        assertEquals(40.0, table.ratioToUnix(table.find("tp", "shmq-zeroq-spin", 64)), 1e-9);
        assertEquals(2.0, table.ratioToAgrona(table.find("tp", "shmq-zeroq-spin", 64)), 1e-9);
        assertEquals(2.0, table.ratioToAgrona(table.find("tp2", "shmq-zeroq-spin", 64)), 1e-9);
        assertTrue(Double.isNaN(table.ratioToUnix(table.find("tp2", "shmq-zeroq-spin", 64))));
    }

    @Test
    void shouldFormatOneLinePerResultUnderAHeader()
    {
        final ResultTable table = new ResultTable(List.of(
            BenchResult.throughput("tp", "shmq-slick", 64, 12_340_000, "note one"),
            BenchResult.missing("tp", "cpp-slick", 64, "n/a (peer missing)"),
            BenchResult.latency("rtt", "shmq-slick", 8, latencies(1500, 2500), null)));

        final String[] lines = table.format().split("\n");

        assertTrue(lines[0].startsWith("scenario"));
        assertTrue(lines[0].contains("p99.9 us"));
        assertTrue(lines[1].contains("12.34M") && lines[1].contains("789.8") && lines[1].contains("note one"));
        assertTrue(lines[2].contains("n/a (peer missing)"));
        assertTrue(lines[3].isEmpty());
        assertTrue(lines[4].contains("1.500"), lines[4]);
    }

    @Test
    void shouldWriteCsvWithQuotedNotes()
    {
        final ResultTable table = new ResultTable(List.of(
            BenchResult.throughput("tp", "shmq-slick", 64, 1e6, "lost 3, \"x\"")));

        final String[] lines = table.csv().split("\n");

        assertEquals(2, lines.length);
        assertTrue(lines[1].startsWith("tp,shmq-slick,64,1000000.0,64000000.0,"), lines[1]);
        assertTrue(lines[1].endsWith("\"lost 3, 'x'\""), lines[1]);
    }

    @Test
    void shouldFormatNumbersReadably()
    {
        assertEquals("1.50M", ResultTable.rate(1.5e6));
        assertEquals("2.5k", ResultTable.rate(2500));
        assertEquals("0.250", ResultTable.micros(250));
        assertEquals("12.5", ResultTable.micros(12_500));
        assertEquals("2.00x", ResultTable.times(2));
        assertEquals("35x", ResultTable.times(35));
        assertEquals("-", ResultTable.times(Double.NaN));
    }
}
