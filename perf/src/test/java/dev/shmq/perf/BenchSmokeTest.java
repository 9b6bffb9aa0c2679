package dev.shmq.perf;

import dev.shmq.core.ShmName;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main job end to end with tiny counts: two systems, throughput and round trip, child JVMs and all.
 */
class BenchSmokeTest
{
    @Test
    void shouldRunTheSuiteForTwoSystemsAndLeaveNoSegmentsBehind(@TempDir final Path out) throws IOException
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final BenchMain bench = new BenchMain(BenchOptions.parse(
            "--systems", "shmq-zeroq-spin,unix-socket", "--scenarios", "tp,rtt", "--payloads", "64",
            "--count", "20000", "--runs", "1", "--warmup-ms", "0", "--rtt-count", "500", "--out", out.toString()),
            new PrintStream(text, true, StandardCharsets.UTF_8));

        final List<BenchResult> results = bench.run();

        final String printed = text.toString(StandardCharsets.UTF_8);
        // One run per row, or up to 3 more rounds of a group if a run's probes said away.
        assertEquals(7, results.stream().map(BenchResult::key).distinct().count(),
            "rows: tp zeroq-spin, zeroq-spin/nobc, unix; rtt 2 systems x 2 sizes; " + printed);
        for (final BenchResult result : results)
        {
            assertTrue(result.hasThroughput() || result.hasLatency(), result.key() + ": " + result.note);
            assertTrue(result.probeBeforeNanos > 0 && result.probeAfterNanos > 0, "probed: " + result.key());
        }
        assertTrue(printed.contains("placement probe: usual round trip"), printed);
        assertTrue(Files.isRegularFile(out.resolve("runs.csv")));
        assertTrue(printed.contains("x unix"), printed);
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        assertTrue(Files.isRegularFile(out.resolve("results.csv")));
        assertTrue(Files.isRegularFile(out.resolve("rtt-shmq-zeroq-spin-64.hgrm")));
        try (DirectoryStream<Path> left = Files.newDirectoryStream(
            ShmName.of("x").path().getParent(), bench.prefix() + "*"))
        {
            assertTrue(!left.iterator().hasNext(), "segments left behind");
        }
    }

    @Test
    void shouldMoveFramesWrittenAndCheckedInPlaceAgainstMemcpyOfTheSameRound(@TempDir final Path out)
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final BenchMain bench = new BenchMain(BenchOptions.parse(
            "--systems", "shmq-slick,shmq-zeroq-spin,agrona-o2o,unix-socket,cpp-slick,cpp-zeroq", "--scenarios", "tp",
            "--payloads", "frame", "--count", "40", "--runs", "1", "--warmup-ms", "0", "--duration-ms", "100",
            "--out", out.toString()), new PrintStream(text, true, StandardCharsets.UTF_8));

        final List<BenchResult> results = bench.run();

        final String printed = text.toString(StandardCharsets.UTF_8);
        for (final String system : new String[]{"shmq-slick", "shmq-zeroq-spin", "agrona-o2o", "unix-socket",
            "cpp-slick", "cpp-zeroq", BenchScenarios.MEMCPY})
        {
            // a consumer that took a frame whose checksum did not match its stamp fails its row
            assertTrue(results.stream().anyMatch((run) -> run.system.equals(system) && run.hasThroughput() &&
                Payloads.FRAME == run.payload), system + " moved frames: " + printed);
        }
        assertTrue(printed.contains("shmq-slick 1080p frames, written and checksummed in place, >= 0.8x memcpy: "),
            printed);
    }
}
