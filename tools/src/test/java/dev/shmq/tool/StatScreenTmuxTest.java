package dev.shmq.tool;

import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.DebianPackages;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.zeroq.ZeroqQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code shmq stat} on a real terminal: a child JVM running the tool inside a detached tmux session (its own tmux
 * server, on a socket of its own), a paced producer and a consumer in this JVM, the screen read with
 * {@code tmux capture-pane} until it shows the header and the queue's row with a rate, then Ctrl-C. The tool's
 * classes come from the test classpath ({@link ChildJvm}), since surefire runs before the jar is packaged.
 */
@ExtendWith(ShmTestExtension.class)
class StatScreenTmuxTest
{
    private static final String SESSION = "stat";
    private static final Duration TMUX_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SCREEN_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final String INTERVAL_MS = "200";
    /** The JVM's exit status after SIGINT: 128 + 2. */
    private static final String SIGINT_EXIT = "130";

    @TempDir
    Path dir;

    @Test
    void shouldRedrawScreenWithRatesUntilCtrlC(final ShmTestNames names) throws Exception
    {
        final Path tmux = DebianPackages.require("tmux", "tmux");
        final String socket = "shmq-stat-test-" + UUID.randomUUID().toString().substring(0, 8);
        final String name = names.next("tmux");
        final Path exitFile = dir.resolve("exit");
        final Path errFile = dir.resolve("stderr");
        final List<String> stat = ChildJvm.mainClass(ShmqTool.class)
            .args("stat", name, "--interval", INTERVAL_MS)
            .command();
        // The shell keeps running through Ctrl-C (a trap, not an ignored signal, which java would inherit), so that
        // it can write the tool's exit status.
        final String shell = "trap true INT; " + words(stat) + " 2>" + word(errFile.toString()) + "; echo $? >" +
            word(exitFile.toString());
        try (ZeroqQueue queue = ZeroqQueue.create(name, 4096, 64);
            PacedTraffic traffic = PacedTraffic.zeroq(queue))
        {
            traffic.awaitBoth(PacedTraffic.BATCH, TMUX_TIMEOUT);
            try
            {
                assertEquals(0, tmux(tmux, socket, "new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", shell)
                    .exitCode, "tmux new-session");
                final String screen = awaitRow(tmux, socket, name, errFile);
                assertTrue(screen.contains("interval " + INTERVAL_MS + " ms"), screen);

                assertEquals(0, tmux(tmux, socket, "send-keys", "-t", SESSION, "C-c").exitCode, "send-keys");
                awaitSessionEnd(tmux, socket);
                assertEquals(SIGINT_EXIT, Files.readString(exitFile).trim(), "exit status; stderr: " + read(errFile));
                assertEquals("", read(errFile));
            }
            finally
            {
                tmux(tmux, socket, "kill-server");
            }
        }
    }

    /** Polls the screen until it shows the header and the queue's row with a rate above zero. */
    private static String awaitRow(final Path tmux, final String socket, final String name, final Path errFile)
    {
        final long deadline = System.nanoTime() + SCREEN_TIMEOUT.toNanos();
        String screen = "";
        while (System.nanoTime() - deadline < 0)
        {
            final Result capture = tmux(tmux, socket, "capture-pane", "-p", "-t", SESSION);
            if (0 != capture.exitCode)
            {
                fail("the session ended: " + capture.output + "\nstderr of stat: " + read(errFile) +
                    "\nlast screen:\n" + screen);
            }
            screen = capture.output;
            if (inRate(screen, name) > 0)
            {
                return screen;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return fail("no header and row of " + name + " with a rate within " + SCREEN_TIMEOUT + "; last screen:\n" +
            screen);
    }

    /** @return the IN/S column of the queue's row, or 0 while the screen does not show one. */
    private static double inRate(final String screen, final String name)
    {
        final List<String> lines = screen.lines().toList();
        final boolean header = lines.stream().anyMatch((line) -> line.startsWith("shmq stat "));
        final List<String> headings = columns(lines, "NAME ");
        final List<String> row = columns(lines, name + " ");
        final int in = headings.indexOf("IN/S");
        if (!header || in < 0 || row.size() <= in || !row.get(in).matches("[0-9]+\\.[0-9]"))
        {
            return 0;
        }
        return Double.parseDouble(row.get(in));
    }

    private static List<String> columns(final List<String> lines, final String start)
    {
        return lines.stream().filter((line) -> line.startsWith(start)).findFirst()
            .map((line) -> Arrays.asList(line.trim().split("\\s+"))).orElse(List.of());
    }

    private static void awaitSessionEnd(final Path tmux, final String socket)
    {
        final long deadline = System.nanoTime() + SCREEN_TIMEOUT.toNanos();
        while (0 == tmux(tmux, socket, "has-session", "-t", SESSION).exitCode)
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("the session still runs " + SCREEN_TIMEOUT + " after Ctrl-C:\n" +
                    tmux(tmux, socket, "capture-pane", "-p", "-t", SESSION).output);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static Result tmux(final Path tmux, final String socket, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(tmux.toString(), "-L", socket));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command);
        // Not nested in a tmux this test may run in: its own server, on its own socket.
        builder.environment().remove("TMUX");
        try (ChildProcess process = ChildProcess.start("tmux " + args[0], builder))
        {
            process.closeStdin();
            final int exitCode = process.waitFor(TMUX_TIMEOUT);
            return new Result(exitCode, process.stdout() + process.stderr());
        }
    }

    private static String words(final List<String> command)
    {
        return command.stream().map(StatScreenTmuxTest::word).collect(Collectors.joining(" "));
    }

    private static String word(final String text)
    {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)";
        }
        catch (final IOException ex)
        {
            return "cannot read " + file + ": " + ex;
        }
    }

    /** How a tmux command ended. */
    private record Result(int exitCode, String output)
    {
    }
}
