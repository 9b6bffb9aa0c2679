package dev.shmq.reliability;

import dev.shmq.core.ShmSegmentInfo;
import dev.shmq.core.ShmSegments;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Queues closed while other threads are inside calls on them, in a child JVM ({@link CloseRaceMain}), once with
 * Agrona's bounds checks on and once with them off: every call during or after {@code close()} completes or throws
 * {@link IllegalStateException} saying the queue is closed, blocked calls wake with it, and the JVM never dies of a
 * SIGSEGV or SIGBUS (no {@code hs_err_pid*.log} in the child's working directory). For every kind of call of
 * {@code ZeroqQueue} and {@code SlickQueue}, in process and shared memory, {@value CloseRaceMain#DEFAULT_ROUNDS}
 * rounds unless {@value CloseRaceMain#ROUNDS_PROPERTY} says otherwise.
 */
@ExtendWith(ShmTestExtension.class)
class CloseRaceTest
{
    private static final Duration CHILD_DEADLINE = Duration.ofMinutes(5);
    private static final int CAPTURE_CHARS = 1 << 20;
    private static final int HS_ERR_LINES = 60;
    private static final String BOUNDS_CHECKS_PROPERTY = "agrona.disable.bounds.checks";

    @ParameterizedTest(name = "bounds checks {0}")
    @ValueSource(strings = { "on", "off" })
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldOnlyCompleteOrThrowClosedWhenQueuesAreClosedUnderRunningCalls(
        final String boundsChecks, final ShmTestNames names, @TempDir final Path workingDirectory) throws IOException
    {
        final String prefix = names.next("close-" + boundsChecks);
        final ChildJvm jvm = ChildJvm.mainClass(CloseRaceMain.class)
            .name("close-race-bounds-" + boundsChecks)
            .args(prefix)
            .workingDirectory(workingDirectory)
            .captureChars(CAPTURE_CHARS)
            .addJvmOption("-Xmx256m")
            .addJvmOption("-XX:-CreateCoredumpOnCrash");
        if ("off".equals(boundsChecks))
        {
            jvm.systemProperty(BOUNDS_CHECKS_PROPERTY, "true");
        }
        forward(jvm, CloseRaceMain.ROUNDS_PROPERTY);
        forward(jvm, CloseRaceMain.WORKERS_PROPERTY);
        forward(jvm, CloseRaceMain.SEED_PROPERTY);
        forward(jvm, CloseRaceMain.MODES_PROPERTY);

        final long start = System.nanoTime();
        final int exit;
        final String stdout;
        final String description;
        List<String> leftovers = List.of();
        try (ChildProcess child = jvm.start())
        {
            exit = child.waitFor(CHILD_DEADLINE);
            stdout = child.stdout();
            description = child.describe();
        }
        finally
        {
            leftovers = removeSegments(names.directory(), prefix);
        }
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        final List<String> lines = Arrays.asList(stdout.split("\n"));
        lines.stream().filter((line) -> line.startsWith(CloseRaceMain.KIND_PREFIX) ||
            line.startsWith(CloseRaceMain.OK_PREFIX) || line.startsWith(CloseRaceMain.FAIL_PREFIX))
            .forEach((line) -> System.out.println("CLOSE RACE bounds checks " + boundsChecks + ": " + line));
        System.out.println("CLOSE RACE bounds checks " + boundsChecks + ": child exit=" + exit + " in " + seconds +
            " s");

        final String crash = crashReport(workingDirectory);
        if (!crash.isEmpty())
        {
            fail("child JVM crashed (bounds checks " + boundsChecks + "):\n" + crash + description);
        }
        final List<String> unexpected = lines.stream()
            .filter((line) -> line.startsWith(CloseRaceMain.UNEXPECTED_PREFIX)).collect(Collectors.toList());
        assertTrue(unexpected.isEmpty(), unexpected.size() + " unexpected outcomes (bounds checks " + boundsChecks +
            "), first: " + (unexpected.isEmpty() ? "" : unexpected.get(0)) + description);
        assertEquals(0, exit, "child exit code (bounds checks " + boundsChecks + ", >128 is a signal)" + description);
        final String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        assertTrue(last.startsWith(CloseRaceMain.OK_PREFIX), "last line '" + last + "' (expected OK ...)" +
            description);
        assertTrue(lines.stream().anyMatch((line) -> line.startsWith(CloseRaceMain.KIND_PREFIX)),
            "no KIND summary line" + description);
        assertTrue(leftovers.isEmpty(), "child left shared-memory objects behind: " + leftovers);
    }

    private static void forward(final ChildJvm jvm, final String property)
    {
        final String value = System.getProperty(property);
        if (null != value)
        {
            jvm.systemProperty(property, value);
        }
    }

    /**
     * @return the names under {@code prefix} that were still there, all now removed.
     */
    private static List<String> removeSegments(final Path directory, final String prefix)
    {
        final ShmSegments segments = ShmSegments.in(directory);
        final List<String> removed = new ArrayList<>();
        for (final ShmSegmentInfo info : segments.list())
        {
            if (info.name().startsWith(prefix) && segments.remove(info.name(), true))
            {
                removed.add(info.name());
            }
        }
        return removed;
    }

    /**
     * @return the head of every {@code hs_err_pid*.log} in the directory (the signal and the frame), or "".
     */
    private static String crashReport(final Path directory) throws IOException
    {
        final StringBuilder report = new StringBuilder();
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.filter((path) -> path.getFileName().toString().matches("hs_err_pid.*\\.log"))
                .collect(Collectors.toList()))
            {
                report.append("--- ").append(file.getFileName()).append(" ---\n");
                try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1))
                {
                    lines.limit(HS_ERR_LINES).forEach((line) -> report.append(line).append('\n'));
                }
            }
        }
        return report.toString();
    }
}
