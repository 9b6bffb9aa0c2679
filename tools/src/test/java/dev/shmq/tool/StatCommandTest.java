package dev.shmq.tool;

import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shmq stat} in-process, through {@link ShmqTool#run(String[])}: its line and JSON output against queues with
 * known traffic, and segments that go away or change between two of its samples. The terminal view is tested in
 * {@link StatScreenTmuxTest}.
 */
@ExtendWith(ShmTestExtension.class)
class StatCommandTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long WINDOW_MS = 500;
    private static final double RATE_TOLERANCE = 0.10;
    private static final double PACED_TOLERANCE = 0.25;
    private static final int CAPACITY = 4096;
    private static final int ELEMENT_SIZE = 64;

    private String stdout;
    private String stderr;

    @Test
    void shouldReportZeroqRatesOfPacedTrafficOverItsOwnSampleWindow(final ShmTestNames names)
    {
        final String name = names.next("rate-zq");
        try (ZeroqQueue queue = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE);
            PacedTraffic traffic = PacedTraffic.zeroq(queue))
        {
            traffic.awaitBoth(PacedTraffic.BATCH, TIMEOUT);
            assertEquals(ShmqTool.EXIT_OK, run("stat", name, "--once", "--interval", Long.toString(WINDOW_MS)),
                stderr);
            final Map<String, String> line = onlyLine(name);
            // Until the elements after the positions stat read are recorded too: the reference needs their times.
            traffic.awaitBoth(1 + (int)Math.max(
                Long.parseLong(line.get("enqueue_pos")), Long.parseLong(line.get("dequeue_pos"))), TIMEOUT);
            traffic.stop();
            assertEquals("ok", line.get("status"), stdout);
            assertEquals("zeroq", line.get("protocol"), stdout);
            assertEquals(Integer.toString(CAPACITY), line.get("capacity"), stdout);
            assertEquals(Integer.toString(ELEMENT_SIZE), line.get("element_size"), stdout);
            assertTrue(line.get("pids").contains(Long.toString(ProcessHandle.current().pid())), stdout);
            final double windowMs = Double.parseDouble(line.get("window_ms"));
            assertRate("enqueue", line, "enqueue_pos", "enqueued", "enqueue_per_s", windowMs, traffic::produced);
            assertRate("dequeue", line, "dequeue_pos", "dequeued", "dequeue_per_s", windowMs, traffic::consumed);
            final long occupancy = Long.parseLong(line.get("occupancy"));
            assertTrue(occupancy >= 0 && occupancy <= CAPACITY, stdout);
        }
    }

    @Test
    void shouldReportSlickReserveRateOfPacedProducerOverItsOwnSampleWindow(final ShmTestNames names)
    {
        final String name = names.next("rate-slick");
        try (SlickQueue queue = SlickQueue.create(name, 1024, ELEMENT_SIZE);
            PacedTraffic traffic = PacedTraffic.slick(queue))
        {
            traffic.awaitBoth(PacedTraffic.BATCH, TIMEOUT);
            assertEquals(ShmqTool.EXIT_OK, run("stat", name, "--once", "--interval", Long.toString(WINDOW_MS)),
                stderr);
            final Map<String, String> line = onlyLine(name);
            traffic.awaitBoth(1 + Integer.parseInt(line.get("write_index")), TIMEOUT);
            traffic.stop();
            assertEquals("ok", line.get("status"), stdout);
            assertEquals("slick", line.get("protocol"), stdout);
            assertEquals("n/a", line.get("occupancy"), stdout);
            assertEquals("ready", line.get("init_state"), stdout);
            final double windowMs = Double.parseDouble(line.get("window_ms"));
            assertRate("reserve", line, "write_index", "reserved", "reserve_per_s", windowMs, traffic::produced);
            // A batch every 10 ms: last_published moved between the two samples, so its age is counted from the second.
            assertEquals("yes", line.get("last_published_moved"), stdout);
            assertEquals("0", line.get("last_published_age_ms"), stdout);
            assertTrue(Long.parseLong(line.get("last_published")) >= Long.parseLong(line.get("write_index")) -
                PacedTraffic.BATCH, stdout);
        }
    }

    @Test
    void shouldPrintOneParsableJsonObjectPerSampleWithEscapedNames(final ShmTestNames names) throws IOException
    {
        final String prefix = names.next("json");
        final String odd = prefix + "-\"quoted\" back\\slash\ttab\u0001=x";
        try (ZeroqQueue plain = ZeroqQueue.create(prefix, 16, 8);
            ZeroqQueue stalled = ZeroqQueue.create(odd, 16, 8))
        {
            assertTrue(plain.isCreator() && stalled.isCreator());
            // Position 1 claimed and never committed: consumers wait on it, which one sample sees.
            new ZeroqPyQueue(stalled).putNowait(new byte[8]);
            new ZeroqPyQueue(stalled).getNowait();
            assertTrue(ZeroqQueue.NO_POSITION != stalled.tryClaim());

            assertEquals(ShmqTool.EXIT_OK, run("stat", prefix, "--json", "--count", "2", "--interval", "20"), stderr);
            final List<String> objects = stdout.lines().toList();
            assertEquals(2, objects.size(), stdout);
            for (final String object : objects)
            {
                @SuppressWarnings("unchecked")
                final Map<String, Object> sample = (Map<String, Object>)TinyJson.parse(object);
                assertEquals(new BigDecimal(20), sample.get("interval_ms"), object);
                assertEquals(prefix, sample.get("prefix"), object);
                assertNull(sample.get("error"), object);
                @SuppressWarnings("unchecked")
                final List<Map<String, Object>> segments = (List<Map<String, Object>>)sample.get("segments");
                assertEquals(List.of(prefix, odd), segments.stream().map((s) -> s.get("name")).toList(), object);
                final Map<String, Object> oddSegment = segments.get(1);
                assertEquals("ok", oddSegment.get("status"), object);
                assertEquals("zeroq", oddSegment.get("protocol"), object);
                assertEquals(new BigDecimal(16), oddSegment.get("capacity"), object);
                assertEquals(new BigDecimal(1), oddSegment.get("occupancy"), object);
                assertEquals(Boolean.TRUE, oddSegment.get("stalled"), object);
                assertEquals(Boolean.FALSE, oddSegment.get("held"), object);
                assertEquals(new BigDecimal("0.0"), oddSegment.get("enqueue_per_s"), object);
                assertTrue(oddSegment.get("window_ms") instanceof BigDecimal, object);
                assertTrue(((List<?>)oddSegment.get("pids")).contains(
                    new BigDecimal(ProcessHandle.current().pid())), object);
            }
            assertTrue(stdout.chars().allMatch((c) -> c >= ' ' && c <= '~' || '\n' == c), stdout);

            // The same name in a line: quoted, so that the line still splits at its spaces.
            assertEquals(ShmqTool.EXIT_OK, run("stat", odd, "--once", "--interval", "1"), stderr);
            assertTrue(stdout.contains(" name=\"" + prefix + "-\\\"quoted\\\" back\\\\slash\\x09tab\\x01=x\" "),
                stdout);
            assertEquals("yes?", onlyLine(odd).get("stalled"), stdout);
        }
    }

    @Test
    void shouldReportSegmentsRemovedTruncatedReshapedOrNewBetweenSamples(final ShmTestNames names) throws IOException
    {
        final String token = UUID.randomUUID().toString().substring(0, 8);
        final String removed = names.next(token + "-removed");
        final String prefix = removed.substring(0, removed.indexOf(token) + token.length() + 1);
        final String truncated = names.next(token + "-truncated");
        final String emptied = names.next(token + "-emptied");
        final String reshaped = names.next(token + "-reshaped");
        final String added = names.next(token + "-added");
        final Path directory = names.directory();
        try (ZeroqQueue removedQueue = ZeroqQueue.create(removed, 16, 8);
            ZeroqQueue truncatedQueue = ZeroqQueue.create(truncated, 16, 8);
            ZeroqQueue emptiedQueue = ZeroqQueue.create(emptied, 16, 8);
            ZeroqQueue reshapedQueue = ZeroqQueue.create(reshaped, 16, 8);
            Closer later = new Closer())
        {
            assertTrue(removedQueue.isCreator() && truncatedQueue.isCreator() && emptiedQueue.isCreator() &&
                reshapedQueue.isCreator());
            // While stat prints its first sample, before it takes the next: the queues are not touched again.
            final int exitCode = runWithHook(" status=", () ->
            {
                Files.delete(directory.resolve(removed));
                truncate(directory.resolve(truncated), 100);
                truncate(directory.resolve(emptied), 0);
                Files.delete(directory.resolve(reshaped));
                later.add(ZeroqQueue.create(reshaped, 32, 8));
                later.add(SlickQueue.create(added, 4, 8));
            }, "stat", prefix, "--count", "2", "--interval", "10");

            assertEquals(ShmqTool.EXIT_OK, exitCode, stdout + stderr);
            assertEquals("", stderr);
            final List<Map<String, String>> second = lines().subList(4, lines().size());
            assertEquals(List.of(added, emptied, removed, reshaped, truncated),
                second.stream().map((line) -> line.get("name")).toList(), stdout);
            assertEquals("new", second.get(0).get("status"), stdout);
            assertEquals("slick", second.get(0).get("protocol"), stdout);
            assertEquals("changed", second.get(1).get("status"), stdout);
            assertEquals("truncated: length 288 -> 0, protocol zeroq -> unknown", second.get(1).get("change"), stdout);
            assertEquals("gone", second.get(2).get("status"), stdout);
            assertEquals("zeroq", second.get(2).get("protocol"), stdout);
            assertEquals("changed", second.get(3).get("status"), stdout);
            assertEquals("length 288 -> 544, capacity 16 -> 32", second.get(3).get("change"), stdout);
            assertEquals("changed", second.get(4).get("status"), stdout);
            assertEquals("truncated: length 288 -> 100, protocol zeroq -> unknown", second.get(4).get("change"),
                stdout);
        }
    }

    @Test
    void shouldReportBadOptionsAndAnUnreadableDirectoryOnOneLine()
    {
        assertEquals(ShmqTool.EXIT_USAGE, run("stat", "--interval", "0"));
        assertOneLineFailure("shmq: stat: --interval=0 (expected at least 1 ms) (usage: shmq help)");
        assertEquals(ShmqTool.EXIT_USAGE, run("stat", "--once", "--count", "3"));
        assertOneLineFailure(
            "shmq: stat: --once and --count=3 (expected one of them: --once prints one sample) (usage: shmq help)");
        assertEquals(ShmqTool.EXIT_USAGE, run("stat", "--interval", "x"));
        assertOneLineFailure("shmq: stat: --interval=x (expected a number) (usage: shmq help)");
        assertEquals(ShmqTool.EXIT_FAILURE, run("--dir", "/nonexistent-shmq-stat", "stat", "--once"));
        assertTrue(stderr.startsWith("shmq: stat: cannot resolve directory=/nonexistent-shmq-stat"), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertEquals("", stdout);
    }

    private static void assertRate(
        final String what,
        final Map<String, String> line,
        final String positionKey,
        final String deltaKey,
        final String rateKey,
        final double windowMs,
        final LongUnaryOperator completedNanos)
    {
        final double rate = Double.parseDouble(line.get(rateKey));
        final long position = Long.parseLong(line.get(positionKey));
        final long delta = Long.parseLong(line.get(deltaKey));
        final String context = what + ": " + line;

        // stat's arithmetic: the positions' difference over its window, printed with one decimal.
        assertEquals(delta * 1000.0 / windowMs, rate, 0.05 + 1e-9 * rate, context);

        // The queue's own counters over the same window: stat read position p between the completions of elements
        // p - 1 and p, as the traffic recorded them; the middle of that span is when it read it, within half a batch
        // period (10 ms) at worst.
        final long before = position - delta;
        assertTrue(delta > 0 && before >= 1, context);
        final double readAfter = midpoint(completedNanos, position);
        final double readBefore = midpoint(completedNanos, before);
        final double reference = delta * (double)TimeUnit.SECONDS.toNanos(1) / (readAfter - readBefore);
        assertEquals(reference, rate, RATE_TOLERANCE * reference, context + " reference=" + reference);

        // And, loosely, the rate the traffic was paced at.
        assertEquals(PacedTraffic.RATE_PER_SECOND, rate, PACED_TOLERANCE * PacedTraffic.RATE_PER_SECOND, context);
    }

    private static double midpoint(final LongUnaryOperator completedNanos, final long position)
    {
        final long reached = completedNanos.applyAsLong(position - 1);
        return reached + (completedNanos.applyAsLong(position) - reached) / 2.0;
    }

    private static void truncate(final Path file, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
    }

    private int run(final String... args)
    {
        return runWithHook(null, null, args);
    }

    /**
     * Runs the tool with an output stream that runs {@code action} on the tool's thread, inside the write, the first
     * time the output holds {@code marker}: between two of stat's samples, whatever the machine's speed.
     */
    private int runWithHook(final String marker, final Action action, final String... args)
    {
        final HookedOutput out = new HookedOutput(marker, action);
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = new ShmqTool(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0])).run(args);
        stdout = out.text();
        stderr = err.toString(StandardCharsets.UTF_8);
        if (null != out.failure)
        {
            throw new AssertionError("the action between samples failed", out.failure);
        }
        assertTrue(null == marker || out.fired, "the output never held " + marker + ": " + stdout);
        return code;
    }

    private void assertOneLineFailure(final String line)
    {
        assertEquals(line + "\n", stderr);
        assertFalse(stderr.contains("Exception"), stderr);
    }

    private Map<String, String> onlyLine(final String name)
    {
        final List<Map<String, String>> lines = lines();
        assertEquals(1, lines.size(), stdout);
        assertEquals(name, lines.get(0).get("name"), stdout);
        return lines.get(0);
    }

    private List<Map<String, String>> lines()
    {
        return stdout.lines().map(StatCommandTest::fields).toList();
    }

    /**
     * @param line a line of stat: a timestamp, then {@code key=value} pairs, a value quoted if it needs to be.
     * @return the timestamp under {@code time}, then each pair, unquoted.
     */
    static Map<String, String> fields(final String line)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        int at = line.indexOf(' ');
        fields.put("time", line.substring(0, at));
        while (at < line.length())
        {
            final int equals = line.indexOf('=', ++at);
            final String key = line.substring(at, equals);
            final StringBuilder value = new StringBuilder();
            at = equals + 1;
            if (at < line.length() && '"' == line.charAt(at))
            {
                at++;
                while ('"' != line.charAt(at))
                {
                    final char c = line.charAt(at++);
                    if ('\\' != c)
                    {
                        value.append(c);
                    }
                    else if ('x' == line.charAt(at))
                    {
                        value.append((char)Integer.parseInt(line.substring(at + 1, at + 3), 16));
                        at += 3;
                    }
                    else
                    {
                        value.append(line.charAt(at++));
                    }
                }
                at++;
            }
            else
            {
                final int end = line.indexOf(' ', at) < 0 ? line.length() : line.indexOf(' ', at);
                value.append(line, at, end);
                at = end;
            }
            assertNull(fields.put(key, value.toString()), "key " + key + " twice in " + line);
        }
        return fields;
    }

    /** What runs between two samples. */
    @FunctionalInterface
    private interface Action
    {
        void run() throws IOException;
    }

    /** Collects the tool's output and runs an action, once, as soon as the output holds a marker. */
    private static final class HookedOutput extends OutputStream
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final String marker;
        private final Action action;
        private boolean fired;
        private Throwable failure;

        HookedOutput(final String marker, final Action action)
        {
            this.marker = marker;
            this.action = action;
        }

        @Override
        public void write(final int b)
        {
            bytes.write(b);
            check();
        }

        @Override
        public void write(final byte[] b, final int off, final int len)
        {
            bytes.write(b, off, len);
            check();
        }

        String text()
        {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        private void check()
        {
            if (null != marker && !fired && text().contains(marker))
            {
                fired = true;
                try
                {
                    action.run();
                }
                catch (final IOException | RuntimeException ex)
                {
                    failure = ex;
                }
            }
        }
    }

    /** Closes what an action made, after the test. */
    private static final class Closer implements AutoCloseable
    {
        private final List<AutoCloseable> resources = new ArrayList<>();

        void add(final AutoCloseable resource)
        {
            resources.add(resource);
        }

        @Override
        public void close() throws IOException
        {
            for (final AutoCloseable resource : resources)
            {
                try
                {
                    resource.close();
                }
                catch (final Exception ex)
                {
                    throw new IOException(ex);
                }
            }
        }
    }
}
