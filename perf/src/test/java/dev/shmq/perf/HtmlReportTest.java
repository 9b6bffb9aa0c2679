package dev.shmq.perf;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest
{
    @Test
    void shouldRenderOneSelfContainedChartPerLatencyGroup()
    {
        final Histogram histogram = Histograms.create();
        for (long value = 1000; value < 100_000; value += 500)
        {
            histogram.recordValue(value);
        }
        final List<BenchResult> results = List.of(
            BenchResult.latency("rtt", "shmq-slick", 8, histogram, null),
            BenchResult.latency("rtt", "unix-socket", 8, histogram, null),
            BenchResult.latency("rtt", "shmq-slick", 64, histogram, null),
            BenchResult.throughput("tp", "shmq-slick", 64, 1e6, null));

        final String html = HtmlReport.render(results, "table <&>", "header");

        assertEquals(2, html.split("<svg", -1).length - 1);
        assertEquals(3, html.split("<polyline", -1).length - 1);
        assertTrue(html.contains("table &lt;&amp;&gt;"));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("http://") && !html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    }
}
