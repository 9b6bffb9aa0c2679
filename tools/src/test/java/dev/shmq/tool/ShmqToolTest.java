package dev.shmq.tool;

import dev.shmq.core.FakeProc;
import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.testkit.ShmqPeers;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmTestExtension.class)
class ShmqToolTest
{
    private String stdout;
    private String stderr;

    private int run(final String... args)
    {
        return runWithInput("", args);
    }

    private int runWithInput(final String input, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = new ShmqTool(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))).run(args);
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    private void assertNoStackTrace()
    {
        assertFalse(stderr.contains("\tat "), stderr);
        assertFalse(stderr.contains("Exception"), stderr);
    }

    private void assertOneLineFailure(final String command)
    {
        assertNoStackTrace();
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("shmq: " + command), stderr);
    }

    @Test
    void shouldListSegmentsWithProtocolAndThisProcessAsMapper(final ShmTestNames names)
    {
        final String zeroq = names.next("tool-zq");
        final String slick = names.next("tool-slick");
        try (ZeroqQueue zeroqQueue = ZeroqQueue.create(zeroq, 8, 16);
            SlickQueue slickQueue = SlickQueue.createOrOpen(slick, 8, 16))
        {
            assertTrue(zeroqQueue.isCreator() && slickQueue.isCreator());
            assertEquals(ShmqTool.EXIT_OK, run("list"));
            final String zeroqLine = lineWith(stdout, zeroq);
            assertTrue(zeroqLine.contains("zeroq 0.1.0"), zeroqLine);
            assertTrue(zeroqLine.contains(Long.toString(ProcessHandle.current().pid())), zeroqLine);
            assertTrue(lineWith(stdout, slick).contains("SlickQueue v1.4.0"), stdout);
            slickQueue.unlink();
        }
    }

    private static String lineWith(final String text, final String part)
    {
        return text.lines().filter((line) -> line.contains(part)).findFirst()
            .orElseThrow(() -> new AssertionError("no line with " + part + " in:\n" + text));
    }

    @Test
    void shouldInspectZeroqPositionsAndReportStall(final ShmTestNames names)
    {
        final String name = names.next("tool-inspect");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 8, 16))
        {
            new ZeroqPyQueue(queue).putNowait(new byte[16]);
            new ZeroqPyQueue(queue).putNowait(new byte[16]);
            new ZeroqPyQueue(queue).getNowait();
            assertEquals(ShmqTool.EXIT_OK, run("inspect", name), stdout + stderr);
            assertTrue(stdout.contains("enqueue_pos          2"), stdout);
            assertTrue(stdout.contains("dequeue_pos          1"), stdout);
            assertTrue(stdout.contains("stalled              no"), stdout);

            new ZeroqPyQueue(queue).getNowait();
            queue.tryClaim();
            assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", name), stdout);
            assertTrue(stdout.contains("stalled              yes, at position 2"), stdout);

            assertEquals(ShmqTool.EXIT_OK, run("unblock", name), stdout + stderr);
            assertTrue(stdout.startsWith("unblocked"), stdout);
            assertEquals(ShmqTool.EXIT_OK, run("inspect", name), stdout);
            assertEquals(ShmqTool.EXIT_OK, run("unblock", name));
            assertTrue(stdout.startsWith("not blocked"), stdout);
        }
    }

    @Test
    void shouldInspectSlickQueueHeader(final ShmTestNames names)
    {
        final String name = names.next("tool-slick-inspect");
        try (SlickQueue queue = SlickQueue.createOrOpen(name, 4, 8))
        {
            queue.publish(queue.reserve());
            assertEquals(ShmqTool.EXIT_OK, run("inspect", name), stdout + stderr);
            assertTrue(stdout.contains("SlickQueue v1.4.0"), stdout);
            assertTrue(stdout.contains("init_state           3 (ready)"), stdout);
            assertTrue(stdout.contains("last_published       0"), stdout);
            assertTrue(stdout.contains("write_index          1"), stdout);
            queue.unlink();
        }
    }

    @Test
    void shouldFailOnUnknownCorruptMissingAndBadNamesWithoutStackTrace(final ShmTestNames names) throws IOException
    {
        final String garbage = names.next("tool-garbage");
        Files.write(names.directory().resolve(garbage), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", garbage));
        assertTrue(stdout.contains("unknown"), stdout);
        assertOneLineFailure("inspect: " + garbage + ": no SlickQueue or zeroq header matches length=9");
        Files.delete(names.directory().resolve(garbage));

        final String missing = names.next("tool-missing");
        assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", missing));
        assertTrue(stderr.contains("does not exist"), stderr);
        assertOneLineFailure("inspect: ");

        assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", "a/b"));
        assertTrue(stderr.contains("expected no '/'"), stderr);
        assertOneLineFailure("inspect: ");

        assertEquals(ShmqTool.EXIT_USAGE, run("frobnicate"));
        assertTrue(stderr.contains("unknown command"), stderr);
        assertOneLineFailure("unknown command 'frobnicate'");
        assertEquals(ShmqTool.EXIT_USAGE, run("recv", "zeroq"));
        assertTrue(stderr.contains("missing NAME"), stderr);
        assertOneLineFailure("recv: ");
        assertEquals(ShmqTool.EXIT_USAGE, run("send", "zeroq", "x", "--count", "many"));
        assertTrue(stderr.contains("--count=many"), stderr);
        assertOneLineFailure("send: ");
        assertEquals(ShmqTool.EXIT_USAGE, run("recv", "rabbitmq", "x"));
        assertOneLineFailure("recv: protocol 'rabbitmq' (expected zeroq or slick)");
    }

    @Test
    void shouldPrintControlCharactersOfFailingNamesEscapedOnOneLine(final ShmTestNames names)
    {
        final String missing = names.next("tool-missing") + "\nsecond line";

        assertEquals(ShmqTool.EXIT_FAILURE, run("rm", missing));

        assertOneLineFailure("rm: no segment named '" + missing.replace("\n", "\\x0a") + "'");
    }

    @Test
    void shouldRemoveOnlyStaleSegmentsUnlessForced(final ShmTestNames names, @TempDir final Path dir)
        throws IOException
    {
        final String live = names.next("tool-live");
        final String stale = names.next("tool-stale");
        // Not through a segment: closing one does not unmap it, so this JVM would keep it live.
        Files.write(names.directory().resolve(stale), new byte[64]);
        try (ShmSegment segment = ShmSegment.create(ShmName.of(live), 64))
        {
            assertEquals(ShmqTool.EXIT_FAILURE, run("rm", live));
            assertTrue(stderr.contains("live"), stderr);
            assertOneLineFailure("rm: ");

            // This JVM as the only process: the real /proc may hold maps nobody can read (then nothing is stale).
            // Each name its own prefix: the fake procfs does not show other JVMs, which may run this test too.
            final String proc = FakeProc.withThisJvm(dir).root().toString();
            assertEquals(ShmqTool.EXIT_OK, run("--proc", proc, "clean", "--prefix", stale, "--min-age", "0"));
            assertEquals(List.of("removed " + stale, "1 removed"), stdout.lines().toList());
            assertEquals(ShmqTool.EXIT_OK, run("--proc", proc, "clean", "--prefix", live, "--min-age", "0"));
            assertEquals(List.of("0 removed"), stdout.lines().toList());
            assertTrue(Files.exists(segment.name().path()));

            assertEquals(ShmqTool.EXIT_OK, run("rm", live, "--force"));
            assertFalse(Files.exists(segment.name().path()));
        }
    }

    @Test
    void shouldSendAndReceiveCheckedPayloadsThroughZeroq(final ShmTestNames names)
    {
        final String name = names.next("tool-zq-send");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 64, 32))
        {
            assertEquals(ShmqTool.EXIT_OK, run("send", "zeroq", name, "--count", "50", "--producer", "7"), stderr);
            assertEquals("sent 50", stdout.trim());
            assertEquals(50, queue.size());
            assertEquals(ShmqTool.EXIT_OK, run("recv", "zeroq", name, "--count", "50", "--verify", "--hex"), stderr);
            assertTrue(stderr.contains("verified 50"), stderr);
            assertEquals(50, stdout.lines().count());
            assertEquals(ShmqTool.EXIT_FAILURE, run("recv", "zeroq", name, "--timeout", "1"));
            assertTrue(stderr.contains("no element for 1 ms"), stderr);
        }
    }

    @Test
    void shouldSendStdinLinesThroughSlickQueue(final ShmTestNames names)
    {
        final String name = names.next("tool-slick-send");
        try (SlickQueue queue = SlickQueue.createOrOpen(name, 64, 4))
        {
            assertEquals(ShmqTool.EXIT_OK, runWithInput("hello\nshared memory\n", "send", "slick", name, "--stdin"),
                stderr);
            assertEquals(ShmqTool.EXIT_OK, run("recv", "slick", name, "--count", "2", "--from-start"), stderr);
            assertEquals("hello\nshared memory\n", stdout.replace(System.lineSeparator(), "\n"));
            queue.unlink();
        }
    }

    @Test
    void shouldDriveQueueCreatedByNativePeer(final ShmTestNames names)
    {
        final String name = names.next("tool-peer");
        final NativePeer peer = ShmqPeers.zeroq();
        try (ChildProcess creator = peer.start("create", name, "16", "24"))
        {
            creator.awaitLine("READY", Duration.ofSeconds(30));
            assertEquals(ShmqTool.EXIT_OK, run("inspect", name), stdout + stderr);
            assertTrue(stdout.contains("zeroq 0.1.0"), stdout);
            assertTrue(stdout.contains("mapped_by            [" + creator.pid() + "]"), stdout);
            assertEquals(ShmqTool.EXIT_OK, run("send", "zeroq", name, "--count", "10"), stderr);
            assertEquals(ShmqTool.EXIT_OK, run("recv", "zeroq", name, "--count", "10", "--verify"), stderr);
            creator.send("exit");
            assertEquals(0, creator.waitFor(Duration.ofSeconds(30)), creator.describe());
        }
        assertFalse(Files.exists(Path.of(names.directory().toString(), name)));
    }

    @Test
    void shouldDriveSlickQueueCreatedByNativePeer(final ShmTestNames names)
    {
        final String name = names.next("tool-slick-peer");
        try (ChildProcess creator = ShmqPeers.slick().start("create", name, "64", "32"))
        {
            creator.awaitLine("READY", Duration.ofSeconds(30));
            assertEquals(ShmqTool.EXIT_OK, run("inspect", name), stdout + stderr);
            assertTrue(stdout.contains("SlickQueue v1.4.0"), stdout);
            assertTrue(stdout.contains("element_size         32"), stdout);
            assertTrue(stdout.contains("last_published       none"), stdout);
            assertEquals(ShmqTool.EXIT_OK, run("send", "slick", name, "--count", "20", "--producer", "3"), stderr);
            assertEquals(ShmqTool.EXIT_OK, run("recv", "slick", name, "--count", "20", "--from-start", "--verify"),
                stderr);
            assertTrue(stderr.contains("verified 20"), stderr);
            assertEquals(ShmqTool.EXIT_OK, run("inspect", name), stdout + stderr);
            assertTrue(stdout.contains("last_published       19"), stdout);
            creator.send("exit");
            assertEquals(0, creator.waitFor(Duration.ofSeconds(30)), creator.describe());
        }
        assertFalse(Files.exists(names.directory().resolve(name)), "the C++ creator unlinked it");
    }

    @Test
    void shouldReportZeroqCellHeldByConsumerAndUnblockIt(final ShmTestNames names)
    {
        final String name = names.next("tool-held");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 2, 8))
        {
            new ZeroqPyQueue(queue).putNowait(new byte[8]);
            new ZeroqPyQueue(queue).putNowait(new byte[8]);
            queue.tryAcquire();
            new ZeroqPyQueue(queue).getNowait();
            assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", name), stdout);
            assertTrue(stdout.contains("held_by_consumer     yes, position 0"), stdout);
            assertEquals(ShmqTool.EXIT_OK, run("unblock", name), stdout + stderr);
            assertTrue(stdout.contains("acquired by a consumer"), stdout);
            assertEquals(ShmqTool.EXIT_OK, run("inspect", name), stdout);
            assertTrue(stdout.contains("held_by_consumer     no"), stdout);
        }
    }

    @Test
    void shouldReportSlickQueueWhoseCreatorNeverFinishedInitialising(final ShmTestNames names)
    {
        final String name = names.next("tool-hold-init");
        try (ChildProcess creator = ShmqPeers.slick().start("hold-init", name, "64", "16"))
        {
            creator.awaitLine("READY", Duration.ofSeconds(30));
            assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", name), stdout + stderr);
            assertTrue(stdout.contains("SlickQueue v1.4.0"), stdout);
            assertTrue(stdout.contains("init_state           2 (initialising)"), stdout);
            assertTrue(stdout.contains("has not finished, or died while initialising"), stdout);
            creator.kill();
        }
        // Forced: the inspect above mapped it into this JVM, and closing does not unmap (the cleaner does, later).
        assertEquals(ShmqTool.EXIT_OK, run("rm", name, "--force"), stderr);
    }

    @Test
    void shouldNeverCleanLiveSegmentsWhoseNamesLookLikeMapsSyntax(final ShmTestNames names)
    {
        final String base = names.next("tool-odd");
        final List<ShmName> odd = List.of(ShmName.of(base + " (deleted)"), ShmName.of(base + "\nline"));
        try (ShmSegment deletedLookalike = ShmSegment.create(odd.get(0), 64);
            ShmSegment withNewline = ShmSegment.create(odd.get(1), 64))
        {
            assertTrue(deletedLookalike.isCreator() && withNewline.isCreator());

            assertEquals(ShmqTool.EXIT_OK, run("clean", "--prefix", base), stdout + stderr);
            assertTrue(Files.exists(odd.get(0).path()) && Files.exists(odd.get(1).path()), stdout);
            assertEquals(ShmqTool.EXIT_OK, run("clean", "--prefix", base, "--min-age", "0"), stdout + stderr);
            assertTrue(Files.exists(odd.get(0).path()) && Files.exists(odd.get(1).path()), stdout);
            assertEquals("0 removed", stdout.trim());

            assertEquals(ShmqTool.EXIT_OK, run("list"), stderr);
            assertTrue(lineWith(stdout, base + "\\x0aline").contains("[" + ProcessHandle.current().pid() + "]"),
                stdout);
        }
        finally
        {
            odd.forEach((name) -> run("rm", name.name(), "--force"));
        }
    }

    @Test
    void shouldKeepStagingAndYoungFilesAndSayWhy(final ShmTestNames names, @TempDir final Path dir)
        throws IOException
    {
        final Path staging = names.directory().resolve(ShmSegment.STAGING_PREFIX + names.next("tool-staging"));
        final String young = names.next("tool-young");
        try
        {
            // A creator still allocating (its staging file) and one about to map the name it just published.
            Files.write(staging, new byte[64]);
            Files.write(names.directory().resolve(young), new byte[64]);

            assertEquals(ShmqTool.EXIT_OK, run("clean", "--prefix", staging.getFileName().toString()), stderr);
            assertTrue(Files.exists(staging), stdout);
            assertTrue(stdout.contains("kept " + staging.getFileName() + ": too young: changed "), stdout);
            assertEquals(ShmqTool.EXIT_OK, run("clean", "--prefix", young), stderr);
            assertTrue(Files.exists(names.directory().resolve(young)), stdout);
            assertTrue(stdout.contains("(expected at least minAge=60 s;"), stdout);
            assertTrue(stdout.endsWith("0 removed" + System.lineSeparator()), stdout);

            final String proc = FakeProc.withThisJvm(dir).root().toString();
            assertEquals(ShmqTool.EXIT_OK, run("clean", "--prefix", young, "--min-age", "0", "--proc", proc), stderr);
            assertEquals("removed " + young, stdout.lines().findFirst().orElseThrow());
        }
        finally
        {
            Files.deleteIfExists(staging);
        }
    }

    @Test
    void shouldListWhatCleanWouldRemoveInDryRunAndRemoveNothing(final ShmTestNames names, @TempDir final Path dir)
        throws IOException
    {
        final String stale = names.next("tool-dry");
        Files.write(names.directory().resolve(stale), new byte[64]);
        final String proc = FakeProc.withThisJvm(dir).root().toString();

        assertEquals(ShmqTool.EXIT_OK,
            run("clean", "--prefix", stale, "--min-age", "0", "--dry-run", "--proc", proc), stderr);

        assertEquals(List.of("would remove " + stale, "1 would be removed"), stdout.lines().toList());
        assertTrue(Files.exists(names.directory().resolve(stale)));
        assertEquals(ShmqTool.EXIT_OK, run("clean", "--prefix", stale, "--min-age", "0", "--proc", proc), stderr);
        assertEquals(List.of("removed " + stale, "1 removed"), stdout.lines().toList());
        assertFalse(Files.exists(names.directory().resolve(stale)));
    }

    @Test
    void shouldKeepAndReportSegmentOfUnknownLiveness(final ShmTestNames names, @TempDir final Path dir)
        throws IOException
    {
        final String name = names.next("tool-unknown");
        Files.write(names.directory().resolve(name), new byte[64]);
        final String proc = FakeProc.withThisJvm(dir).unreadableProcess(1).root().toString();

        assertEquals(ShmqTool.EXIT_OK, run("--proc", proc, "clean", "--prefix", name, "--min-age", "0"), stderr);
        assertEquals(List.of("kept " + name + ": liveness unknown: mapped by no process whose maps could be read, " +
            "but the maps of 1 process could not be read (pids 1; run as their user or as root)", "0 removed"),
            stdout.lines().toList());
        assertEquals(ShmqTool.EXIT_FAILURE, run("--proc", proc, "rm", name));
        assertOneLineFailure("rm: segment " + names.directory().toRealPath().resolve(name) + " has liveness unknown: ");
        assertEquals(ShmqTool.EXIT_FAILURE, run("--proc", proc, "inspect", name), stderr);
        assertTrue(stdout.contains("mapped_by            unknown: mapped by no process whose maps"), stdout);
        assertTrue(Files.exists(names.directory().resolve(name)));
        assertEquals(ShmqTool.EXIT_OK, run("--proc", proc, "rm", name, "--force"), stderr);
    }

    @Test
    void shouldTakeCommonOptionsBeforeOrAfterTheCommand(@TempDir final Path dir) throws IOException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm"));
        Files.write(shm.resolve("garbage"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        final String proc = FakeProc.withThisJvm(dir).root().toString();

        for (final String[] args : List.of(
            new String[] {"--dir", shm.toString(), "--proc", proc, "list"},
            new String[] {"list", "--dir", shm.toString(), "--proc", proc},
            new String[] {"--proc", proc, "list", "--dir=" + shm}))
        {
            assertEquals(ShmqTool.EXIT_OK, run(args), stderr);
            assertTrue(lineWith(stdout, "garbage").endsWith(" -"), stdout);
        }
        assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", "garbage", "--dir", shm.toString(), "--proc", proc));
        assertTrue(stdout.contains("mapped_by            nobody (stale)"), stdout);
        assertOneLineFailure("inspect: garbage: no SlickQueue or zeroq header matches length=9");
    }

    @Test
    void shouldPrintUsageOnRequestAndFailWithoutCommand()
    {
        for (final String[] args : List.of(
            new String[] {"help"}, new String[] {"--help"}, new String[] {"-h"}, new String[] {"help", "recv"}))
        {
            assertEquals(ShmqTool.EXIT_OK, run(args), stderr);
            assertTrue(stdout.startsWith("Usage: shmq "), stdout);
            assertEquals("", stderr);
        }
        assertEquals(ShmqTool.EXIT_OK, run("clean", "--help"), stderr);
        assertTrue(stdout.startsWith("Usage: shmq clean "), stdout);
        assertTrue(stdout.contains("--min-age=S") && stdout.contains("(default: 60)"), stdout);

        assertEquals(ShmqTool.EXIT_USAGE, run());
        assertOneLineFailure("missing COMMAND (usage: shmq help)");
    }

    @Test
    void shouldReportEveryUsageErrorOnOneLine()
    {
        assertEquals(ShmqTool.EXIT_USAGE, run("send", "zeroq", "x", "--count", "-1"));
        assertOneLineFailure("send: --count=-1 (expected a number >= 0)");
        assertEquals(ShmqTool.EXIT_USAGE, run("clean", "--min-age"));
        assertOneLineFailure("clean: --min-age needs a value");
        assertEquals(ShmqTool.EXIT_USAGE, run("list", "extra"));
        assertOneLineFailure("list: unexpected arguments [extra]");
        assertEquals(ShmqTool.EXIT_USAGE, run("rm", "x", "--bogus"));
        assertOneLineFailure("rm: unexpected arguments [--bogus]");
        assertEquals(ShmqTool.EXIT_USAGE, run("--bogus"));
        assertOneLineFailure("unexpected arguments [--bogus]");
    }

    @Test
    void shouldTakeArgumentsStartingWithAtSignLiterallyNotAsArgumentFiles(
        final ShmTestNames names, @TempDir final Path dir) throws IOException
    {
        final Path argumentFile = Files.writeString(dir.resolve("args"), names.next("tool-expanded"));

        assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", "@" + argumentFile));

        assertTrue(stderr.contains("expected no '/'"), stderr);
        assertOneLineFailure("inspect: ");
    }
}
