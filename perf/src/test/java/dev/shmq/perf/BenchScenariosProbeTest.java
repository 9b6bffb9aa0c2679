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
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Where in a run its placement probes are taken: the first once the run's workers are all up and waiting for
 * {@code GO} (not before they start, a second or two ahead of the window), the second once they have exited. The
 * probe here counts this JVM's live child processes instead of bouncing a cache line, which says exactly when it ran.
 */
class BenchScenariosProbeTest
{
    private static final double USUAL_NANOS = 100;

    @Test
    void shouldProbeOnceTheWorkersAreReadyAndAgainOnceTheyHaveExited(@TempDir final Path out) throws IOException
    {
        final BenchOptions options = BenchOptions.parse("--count", "2000", "--warmup-ms", "0", "--duration-ms", "50",
            "--rtt-count", "200", "--paced-count", "200", "--wake-count", "3", "--out", out.toString());
        options.wakeIdleMs = 20;
        final String prefix = "shmq-probe-test-" + ProcessHandle.current().pid() + "-";
        final BenchPeers peers = new BenchPeers(Paths.get("target", "native-peers").toAbsolutePath());
        final BenchProcesses processes = new BenchProcesses(options, peers, prefix);
        final List<Long> childrenAtProbe = new ArrayList<>();
        final PlacementProbe probe = new PlacementProbe(() ->
        {
            childrenAtProbe.add(ProcessHandle.current().children().count());
            return USUAL_NANOS;
        });
        final BenchScenarios scenarios = new BenchScenarios(options, out, peers, processes, prefix,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), probe);
        try
        {
            scenarios.interleaved(List.of(new InterleavedRounds.Group(List.of(
                () -> scenarios.throughput("tp", BenchSystem.ZEROQ_SPIN, 64, 1, 1, true),
                () -> scenarios.throughput("tp", BenchSystem.CPP_ZEROQ, 64, 1, 1, true),
                () -> scenarios.roundTrip(BenchSystem.SLICK, 64),
                () -> scenarios.paced(BenchSystem.AGRONA_O2O, 64),
                () -> scenarios.wake(ZeroqEndpoints.IDLE_DEFAULT),
                scenarios::memcpyFrames,
                scenarios::limits), 1, 1)));

            final List<BenchResult> results = scenarios.results();
            assertEquals(7, results.size(), results.toString());
            for (final BenchResult run : results)
            {
                assertFalse(run.isAway(USUAL_NANOS), run.key() + ": " + run.note);
            }
            // two workers per row up and waiting at the first probe, none left at the second; the two rows that are
            // one native program are probed before it starts and after it exits
            assertEquals(List.of(2L, 0L, 2L, 0L, 2L, 0L, 2L, 0L, 2L, 0L, 0L, 0L, 0L, 0L), childrenAtProbe);
        }
        finally
        {
            processes.cleanUp();
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(ShmName.of("x").path().getParent(), prefix + "*"))
        {
            assertFalse(left.iterator().hasNext(), "segments left behind");
        }
    }
}
