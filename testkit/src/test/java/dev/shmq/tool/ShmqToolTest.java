package dev.shmq.tool;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmqPeers;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.zeroq.ZeroqQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

    @Test
    void shouldListSegmentsWithProtocolAndThisProcessAsMapper(final ShmTestNames names)
    {
        final String zeroq = names.next("tool-zq");
        final String slick = names.next("tool-slick");
        try (ZeroqQueue zeroqQueue = ZeroqQueue.create(zeroq, 8, 16);
            SlickQueue slickQueue = SlickQueue.create(slick, 8, 16))
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
            queue.putNowait(new byte[16]);
            queue.putNowait(new byte[16]);
            queue.getNowait();
            assertEquals(ShmqTool.EXIT_OK, run("inspect", name), stdout + stderr);
            assertTrue(stdout.contains("enqueue_pos          2"), stdout);
            assertTrue(stdout.contains("dequeue_pos          1"), stdout);
            assertTrue(stdout.contains("stalled              no"), stdout);

            queue.getNowait();
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
        try (SlickQueue queue = SlickQueue.create(name, 4, 8))
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
        Files.delete(names.directory().resolve(garbage));

        final String missing = names.next("tool-missing");
        assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", missing));
        assertTrue(stderr.contains("does not exist"), stderr);
        assertNoStackTrace();

        assertEquals(ShmqTool.EXIT_FAILURE, run("inspect", "a/b"));
        assertTrue(stderr.contains("expected no '/'"), stderr);
        assertNoStackTrace();

        assertEquals(ShmqTool.EXIT_USAGE, run("frobnicate"));
        assertTrue(stderr.contains("unknown command"), stderr);
        assertEquals(ShmqTool.EXIT_USAGE, run("recv", "zeroq"));
        assertTrue(stderr.contains("missing NAME"), stderr);
        assertEquals(ShmqTool.EXIT_USAGE, run("send", "zeroq", "x", "--count", "many"));
        assertTrue(stderr.contains("--count=many"), stderr);
        assertNoStackTrace();
    }

    @Test
    void shouldRemoveOnlyStaleSegmentsUnlessForced(final ShmTestNames names)
    {
        final String live = names.next("tool-live");
        final String stale = names.next("tool-stale");
        ShmSegment.create(ShmName.of(stale), 64).close();
        try (ShmSegment segment = ShmSegment.create(ShmName.of(live), 64))
        {
            assertEquals(ShmqTool.EXIT_FAILURE, run("rm", live));
            assertTrue(stderr.contains("live"), stderr);
            assertNoStackTrace();

            assertEquals(ShmqTool.EXIT_OK, run("clean", "--prefix", "shmq-test-ShmqToolTest-tool-"));
            assertTrue(stdout.contains("removed " + stale), stdout);
            assertFalse(stdout.contains("removed " + live), stdout);
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
        try (SlickQueue queue = SlickQueue.create(name, 64, 4))
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
            queue.putNowait(new byte[8]);
            queue.putNowait(new byte[8]);
            queue.tryAcquire();
            queue.getNowait();
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
        assertEquals(ShmqTool.EXIT_OK, run("rm", name), stderr);
    }
}
