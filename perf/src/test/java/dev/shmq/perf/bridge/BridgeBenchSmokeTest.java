package dev.shmq.perf.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The across-hosts benchmark end to end with tiny counts, one pair per row: namespaces, bridges, raw Aeron, the
 * table, and nothing left behind. Needs root, as the benchmark does.
 */
class BridgeBenchSmokeTest
{
    @Test
    void shouldMeasureEveryRowOnBothSidesAndLeaveNothingBehind(@TempDir final Path out)
        throws IOException, InterruptedException
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final BridgeBench bench = new BridgeBench(BridgeBenchOptions.parse(
            "--runs", "1", "--payloads", "64", "--count", "4000", "--warmup", "1000",
            "--latency-count", "2000", "--latency-warmup", "500", "--out", out.toString()),
            new PrintStream(text, true, StandardCharsets.UTF_8));

        final List<BridgeBenchReport.Sample> samples = bench.run();

        final String printed = text.toString(StandardCharsets.UTF_8);
        assertEquals(4, samples.size(), printed);
        for (final BridgeBenchReport.Sample sample : samples)
        {
            assertTrue(sample.ok(), sample + "\n" + printed);
        }
        assertTrue(printed.contains("| 64 B throughput, M msg/s | "), printed);
        assertTrue(printed.contains("| 64 B latency at 10,000 msg/s, p99.9 us | "), printed);
        assertTrue(printed.contains("too few runs to tell (n=1/1)"), printed);
        assertTrue(Files.isRegularFile(out.resolve("results.md")));
        assertTrue(Files.isRegularFile(out.resolve("runs.csv")));
        assertTrue(Files.isRegularFile(out.resolve("run1-lat64-raw.hgrm")));
        assertTrue(Files.isRegularFile(out.resolve("run1-lat64-bridged.hgrm")));
        try (DirectoryStream<Path> left = Files.newDirectoryStream(BridgeBenchRuns.shmDirectory(),
            bench.prefix() + "*"))
        {
            assertFalse(left.iterator().hasNext(), "queues or Aeron directories left behind");
        }
        assertFalse(namespaces().contains("p" + Long.toString(ProcessHandle.current().pid(), Character.MAX_RADIX) +
            "a"), "namespaces left behind");
    }

    private static String namespaces() throws IOException, InterruptedException
    {
        final Process ip = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        final String list = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ip.waitFor(10, TimeUnit.SECONDS));
        return list;
    }
}
