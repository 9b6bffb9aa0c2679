package dev.shmq.tool;

import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Another process truncates a segment while the tool works on it: the tool, run through its entry point in a child
 * JVM, must answer with exit code 1 and one line on standard error, never a stack trace, and never die of the SIGBUS
 * an access past the end of the file raises (exit code 128 or more, or an {@code hs_err_pid*.log}).
 *
 * <p>Every truncation here lands where the tool's next access is a read (HotSpot turns a SIGBUS there into an
 * {@code InternalError}, which the tool reports) or where the tool is waiting and checks the length first. Not tested,
 * because no process can promise it: a truncation landing between the tool's length check and a compare-and-swap of
 * {@code send slick} (every {@code reserve}); the JVM's native CAS path dies of that SIGBUS, as a C++ peer would.
 */
@ExtendWith(ShmTestExtension.class)
class ShmqToolTruncationTest
{
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final String WAIT_MS = Long.toString(CHILD_TIMEOUT.toMillis());
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int FIRST_SIGNAL_EXIT_CODE = 128;
    private static final int MAX_PARKED_ATTEMPTS = 5;
    private static final int CAPACITY = 16;
    private static final int ELEMENT_SIZE = 64;

    @TempDir
    Path workingDirectory;

    @Test
    void shouldReportTruncationDuringZeroqReceive(final ShmTestNames names) throws IOException
    {
        final String name = names.next("recv-zq");
        try (ZeroqQueue queue = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE);
            ChildProcess tool = startTool("recv", "zeroq", name, "--timeout", WAIT_MS))
        {
            assertTrue(queue.isCreator());
            truncateOnceMapped(names.directory().resolve(name), tool);
            assertOneLineFailure(tool, "recv");
        }
    }

    @Test
    void shouldReportTruncationDuringSlickReceive(final ShmTestNames names) throws IOException
    {
        final String name = names.next("recv-slick");
        try (SlickQueue queue = SlickQueue.createOrOpen(name, CAPACITY, ELEMENT_SIZE);
            ChildProcess tool = startTool("recv", "slick", name, "--timeout", WAIT_MS))
        {
            assertTrue(queue.isCreator());
            truncateOnceMapped(names.directory().resolve(name), tool);
            assertOneLineFailure(tool, "recv");
        }
    }

    @Test
    void shouldReportTruncationWhileZeroqSendWaitsForRoom(final ShmTestNames names) throws IOException
    {
        final String name = names.next("send-zq");
        try (ZeroqQueue queue = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE))
        {
            for (int i = 0; i < CAPACITY; i++)
            {
                new ZeroqPyQueue(queue).putNowait(new byte[ELEMENT_SIZE]);
            }
            try (ChildProcess tool = startTool("send", "zeroq", name, "--timeout", WAIT_MS))
            {
                truncateOnceMapped(names.directory().resolve(name), tool);
                assertOneLineFailure(tool, "send");
            }
        }
    }

    @Test
    void shouldReportTruncationWhileInspectSamplesStalledCell(final ShmTestNames names) throws IOException
    {
        assertOneLineFailureWhenTruncatedWhileParked(names, "inspect");
    }

    @Test
    void shouldReportTruncationWhileUnblockSamplesStalledCell(final ShmTestNames names) throws IOException
    {
        assertOneLineFailureWhenTruncatedWhileParked(names, "unblock");
    }

    @Test
    void shouldReportSegmentTruncatedBeforehandForEveryCommand(final ShmTestNames names) throws IOException
    {
        final String name = names.next("truncated");
        try (ZeroqQueue queue = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE))
        {
            assertTrue(queue.isCreator());
            truncate(names.directory().resolve(name), ELEMENT_SIZE);
            for (final List<String> args : List.of(
                List.of("inspect", name),
                List.of("unblock", name),
                List.of("recv", "zeroq", name, "--timeout", "1"),
                List.of("send", "zeroq", name, "--timeout", "1")))
            {
                try (ChildProcess tool = startTool(args.toArray(new String[0])))
                {
                    assertOneLineFailure(tool, args.get(0));
                }
            }
        }
    }

    private void assertOneLineFailureWhenTruncatedWhileParked(final ShmTestNames names, final String command)
        throws IOException
    {
        for (int attempt = 1; attempt <= MAX_PARKED_ATTEMPTS; attempt++)
        {
            final String name = names.next(command + "-parked");
            try (ZeroqQueue queue = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE))
            {
                new ZeroqPyQueue(queue).putNowait(new byte[ELEMENT_SIZE]);
                new ZeroqPyQueue(queue).getNowait();
                // Claimed and never committed: both commands look twice, a pause apart, before they decide.
                assertTrue(ZeroqQueue.NO_POSITION != queue.tryClaim());
                final Path file = names.directory().resolve(name);
                try (ChildProcess tool = ChildJvm.mainClass(TruncateWhileParkedMain.class)
                    .args(file.toString(), command, name)
                    .workingDirectory(workingDirectory)
                    .start())
                {
                    final int exitCode = tool.waitFor(CHILD_TIMEOUT);
                    if (TruncateWhileParkedMain.MISSED_EXIT_CODE != exitCode)
                    {
                        assertOneLineFailure(tool, exitCode, command);
                        assertTrue(tool.stderr().contains("truncated"), tool.describe());
                        return;
                    }
                }
            }
        }
        fail("the truncation missed the pause of " + command + " " + MAX_PARKED_ATTEMPTS + " times");
    }

    private ChildProcess startTool(final String... args)
    {
        return ChildJvm.mainClass(ShmqTool.class).args(args).workingDirectory(workingDirectory).start();
    }

    private void assertOneLineFailure(final ChildProcess tool, final String command) throws IOException
    {
        assertOneLineFailure(tool, tool.waitFor(CHILD_TIMEOUT), command);
    }

    private void assertOneLineFailure(final ChildProcess tool, final int exitCode, final String command)
        throws IOException
    {
        assertTrue(exitCode < FIRST_SIGNAL_EXIT_CODE, "died abnormally" + tool.describe());
        assertNoCrashLog();
        assertEquals(ShmqTool.EXIT_FAILURE, exitCode, tool.describe());
        final String stderr = tool.stderr();
        assertEquals(1, stderr.lines().count(), tool.describe());
        assertTrue(stderr.startsWith("shmq: " + command + ": "), tool.describe());
        assertFalse(stderr.contains("Exception") || stderr.contains("at dev.shmq"), tool.describe());
    }

    private void assertNoCrashLog() throws IOException
    {
        try (Stream<Path> files = Files.list(workingDirectory))
        {
            final List<Path> crashLogs =
                files.filter((path) -> path.getFileName().toString().startsWith("hs_err_pid")).toList();
            assertEquals(List.of(), crashLogs, () -> crashLogs.isEmpty() ? "" : read(crashLogs.get(0)));
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return "cannot read " + file + ": " + ex;
        }
    }

    /**
     * Waits until the tool maps the object for writing, as the queues do (its read-only view of the object may come
     * first), then truncates it to nothing under the tool.
     */
    private static void truncateOnceMapped(final Path file, final ChildProcess tool) throws IOException
    {
        final long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (!mapsForWriting(tool.pid(), file))
        {
            assertTrue(tool.isAlive() && System.nanoTime() - deadline < 0,
                "the tool did not map " + file + " within " + CHILD_TIMEOUT + tool.describe());
            LockSupport.parkNanos(POLL_NANOS);
        }
        truncate(file, 0);
    }

    private static boolean mapsForWriting(final long pid, final Path file)
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps")))
        {
            return lines.anyMatch((line) -> line.endsWith(" " + file) && line.split(" ")[1].startsWith("rw"));
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    private static void truncate(final Path file, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
    }
}
