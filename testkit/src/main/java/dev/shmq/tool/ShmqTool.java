package dev.shmq.tool;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import dev.shmq.layout.SlickQueueDescriptor;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.CheckedPayload;
import dev.shmq.testkit.ShmSegmentInfo;
import dev.shmq.testkit.ShmSegments;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code shmq} command-line tool.
 *
 * <pre>
 * shmq list                                  segments, protocol, length, pids mapping them
 * shmq inspect NAME                          header fields, positions, state; exit 1 if corrupt or unknown
 * shmq rm NAME [--force]                     remove a segment (a live one only with --force)
 * shmq clean [--force] [--prefix P]          remove stale segments (mapped by nobody)
 * shmq unblock NAME                          free a zeroq cell held by a dead producer or consumer
 * shmq send zeroq|slick NAME [--count N] [--producer ID] [--stdin] [--timeout MS]
 * shmq recv zeroq|slick NAME [--count N] [--timeout MS] [--verify] [--hex] [--from-start]
 * common option: --dir DIR                   the shared-memory directory (default /dev/shm)
 * </pre>
 *
 * <p>{@code send} writes checked payloads ({@link CheckedPayload}) unless {@code --stdin} is given, in which case
 * each input line is one element (zeroq: zero-padded to the element size; SlickQueue: as many elements as the line
 * needs). {@code recv --verify} checks checked payloads and per-producer order. Exit codes: 0 success, 1 failure
 * (corrupt segment, timeout, verification), 2 usage error. Expected failures print one line, never a stack trace.
 */
public final class ShmqTool
{
    /** Exit code of a successful command. */
    public static final int EXIT_OK = 0;

    /** Exit code of a failed command: corrupt or unknown segment, timeout, failed verification. */
    public static final int EXIT_FAILURE = 1;

    /** Exit code of a malformed command line. */
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: shmq [--dir DIR] COMMAND ...",
        "  list                                   segments with protocol, length and the pids mapping them",
        "  inspect NAME                           header fields and state (exit 1 if corrupt or unknown)",
        "  rm NAME [--force]                      remove a segment; a live one only with --force",
        "  clean [--force] [--prefix P]           remove stale segments (all matching with --force)",
        "  unblock NAME                           zeroq: free a cell held by a process that died holding it",
        "  send zeroq|slick NAME [--count N] [--producer ID] [--stdin] [--timeout MS]",
        "  recv zeroq|slick NAME [--count N] [--timeout MS] [--verify] [--hex] [--from-start]");

    private static final long DEFAULT_TIMEOUT_MS = 5_000;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    /**
     * @param out where results go.
     * @param err where errors go.
     * @param in  where {@code send --stdin} reads.
     */
    public ShmqTool(final PrintStream out, final PrintStream err, final InputStream in)
    {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /**
     * Runs the tool and exits the JVM with its exit code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new ShmqTool(System.out, System.err, System.in).run(args));
    }

    /**
     * Runs one command.
     *
     * @param args the command line.
     * @return the exit code.
     */
    public int run(final String[] args)
    {
        try
        {
            final Arguments arguments = new Arguments(args);
            final String command = arguments.next("COMMAND");
            switch (command)
            {
                case "list":
                    return list(arguments);
                case "inspect":
                    return inspect(arguments);
                case "rm":
                    return remove(arguments);
                case "clean":
                    return clean(arguments);
                case "unblock":
                    return unblock(arguments);
                case "send":
                    return send(arguments);
                case "recv":
                    return receive(arguments);
                case "help":
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return EXIT_OK;
                default:
                    throw new UsageException("unknown command '" + command + "'");
            }
        }
        catch (final UsageException ex)
        {
            err.println("shmq: " + ex.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            err.println("shmq: " + ex.getMessage());
            return EXIT_FAILURE;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            err.println("shmq: interrupted");
            return EXIT_FAILURE;
        }
    }

    private int list(final Arguments arguments)
    {
        arguments.done();
        final ShmSegments segments = ShmSegments.in(arguments.directory());
        out.printf("%-40s %-18s %12s  %s%n", "NAME", "PROTOCOL", "LENGTH", "PIDS");
        for (final ShmSegmentInfo info : segments.list())
        {
            out.printf("%-40s %-18s %12d  %s%n", info.name(), kindOf(arguments.directory(), info.name()).label(),
                info.length(), info.pids().isEmpty() ? "-" : info.pids().toString());
        }
        return EXIT_OK;
    }

    private static SegmentKind kindOf(final Path directory, final String name)
    {
        try (ShmSegment segment = ShmSegment.openReadOnly(ShmName.of(directory, name)))
        {
            return SegmentInspector.detect(segment.buffer(), segment.length());
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return SegmentKind.UNKNOWN;
        }
    }

    private int inspect(final Arguments arguments)
    {
        final String name = arguments.next("NAME");
        arguments.done();
        final ShmName shmName = ShmName.of(arguments.directory(), name);
        final SegmentReport report;
        try (ShmSegment segment = ShmSegment.openReadOnly(shmName))
        {
            report = SegmentInspector.inspect(segment.buffer(), segment.length());
        }
        out.printf("%-20s %s%n", "name", shmName.name());
        out.printf("%-20s %s%n", "protocol", report.kind().label());
        for (final String field : report.fieldNames())
        {
            out.printf("%-20s %s%n", field, report.field(field));
        }
        final Optional<ShmSegmentInfo> info = ShmSegments.in(arguments.directory()).inspect(shmName.name());
        info.ifPresent((segmentInfo) -> out.printf("%-20s %s%n", "mapped_by",
            segmentInfo.pids().isEmpty() ? "nobody (stale)" : segmentInfo.pids().toString()));
        for (final String problem : report.problems())
        {
            out.printf("%-20s %s%n", "PROBLEM", problem);
        }
        return report.isHealthy() ? EXIT_OK : EXIT_FAILURE;
    }

    private int remove(final Arguments arguments)
    {
        final String name = arguments.next("NAME");
        final boolean force = arguments.flag("--force");
        arguments.done();
        if (!ShmSegments.in(arguments.directory()).remove(name, force))
        {
            throw new IllegalStateException("no segment named '" + name + "' in " + arguments.directory());
        }
        out.println("removed " + name);
        return EXIT_OK;
    }

    private int clean(final Arguments arguments)
    {
        final boolean force = arguments.flag("--force");
        final String prefix = arguments.option("--prefix", "");
        arguments.done();
        final ShmSegments segments = ShmSegments.in(arguments.directory());
        final List<String> removed = new ArrayList<>();
        if (force)
        {
            for (final ShmSegmentInfo info : segments.list())
            {
                if (info.name().startsWith(prefix) && segments.remove(info.name(), true))
                {
                    removed.add(info.name());
                }
            }
        }
        else
        {
            removed.addAll(segments.removeStale((name) -> name.startsWith(prefix)));
        }
        removed.forEach((name) -> out.println("removed " + name));
        out.println(removed.size() + " removed");
        return EXIT_OK;
    }

    private int unblock(final Arguments arguments)
    {
        final String name = arguments.next("NAME");
        arguments.done();
        try (ZeroqQueue queue = ZeroqQueue.open(name))
        {
            final boolean stalled = queue.isStalled();
            final boolean held = queue.isHeldByConsumer();
            if (!stalled && !held)
            {
                out.println("not blocked: nothing to do");
                return EXIT_OK;
            }
            // A stall seen once may be a live process between two instructions: it must persist to count.
            LockSupport.parkNanos(SegmentInspector.STALL_SAMPLE_NANOS);
            if ((stalled && queue.isStalled() || held && queue.isHeldByConsumer()) && queue.unblock())
            {
                out.println("unblocked: freed a cell " + (stalled ?
                    "claimed by a producer that never committed (position skipped, nothing committed was lost)" :
                    "acquired by a consumer that never released it"));
                return EXIT_OK;
            }
            out.println("not blocked any more: the holder moved on");
            return EXIT_OK;
        }
    }

    private int send(final Arguments arguments) throws InterruptedException
    {
        final String protocol = arguments.next("zeroq|slick");
        final String name = arguments.next("NAME");
        final long count = arguments.longOption("--count", 1);
        final long producer = arguments.longOption("--producer", 0);
        final boolean fromStdin = arguments.flag("--stdin");
        final long timeoutMs = arguments.longOption("--timeout", DEFAULT_TIMEOUT_MS);
        arguments.done();
        final ShmName shmName = ShmName.of(arguments.directory(), name);
        final List<byte[]> lines = fromStdin ? readLines() : null;
        final long total = fromStdin ? lines.size() : count;
        if ("zeroq".equals(protocol))
        {
            try (ZeroqQueue queue = ZeroqQueue.open(name))
            {
                final UnsafeBuffer element = new UnsafeBuffer(new byte[queue.elementSize()]);
                for (long i = 0; i < total; i++)
                {
                    element.setMemory(0, element.capacity(), (byte)0);
                    if (fromStdin)
                    {
                        final byte[] line = lines.get((int)i);
                        if (line.length > queue.elementSize())
                        {
                            throw new IllegalArgumentException("line " + (i + 1) + " length=" + line.length +
                                " (expected at most elementSize=" + queue.elementSize() + ")");
                        }
                        element.putBytes(0, line);
                    }
                    else
                    {
                        CheckedPayload.fill(element, 0, queue.elementSize(), producer, i);
                    }
                    if (!queue.offer(element, 0, queue.elementSize(), timeoutMs, TimeUnit.MILLISECONDS))
                    {
                        throw new IllegalStateException("queue full for " + timeoutMs + " ms after " + i + " of " +
                            total + " elements");
                    }
                }
            }
        }
        else if ("slick".equals(protocol))
        {
            try (SlickQueue queue = SlickQueue.open(name, slickElementSize(shmName)))
            {
                final int elementSize = queue.elementSize();
                for (long i = 0; i < total; i++)
                {
                    if (fromStdin)
                    {
                        final byte[] line = lines.get((int)i);
                        final int n = Math.max(1, (line.length + elementSize - 1) / elementSize);
                        final long index = queue.reserve(n);
                        queue.buffer().setMemory(queue.offset(index), n * elementSize, (byte)0);
                        queue.buffer().putBytes(queue.offset(index), line);
                        queue.publish(index, n);
                    }
                    else
                    {
                        final long index = queue.reserve();
                        CheckedPayload.fill(queue.buffer(), queue.offset(index), elementSize, producer, i);
                        queue.publish(index);
                    }
                }
            }
        }
        else
        {
            throw new UsageException("protocol '" + protocol + "' (expected zeroq or slick)");
        }
        out.println("sent " + total);
        return EXIT_OK;
    }

    private static int slickElementSize(final ShmName name)
    {
        try (ShmSegment segment = ShmSegment.openReadOnly(name))
        {
            if (segment.length() < SlickQueueDescriptor.HEADER_LENGTH)
            {
                throw new IllegalStateException(name.path() + " length=" + segment.length() +
                    " (expected at least the SlickQueue header length " + SlickQueueDescriptor.HEADER_LENGTH + ")");
            }
            return segment.buffer().getInt(SlickQueueDescriptor.ELEMENT_SIZE_OFFSET);
        }
    }

    private List<byte[]> readLines()
    {
        final List<byte[]> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                lines.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read stdin: " + ex, ex);
        }
        return lines;
    }

    private int receive(final Arguments arguments) throws InterruptedException
    {
        final String protocol = arguments.next("zeroq|slick");
        final String name = arguments.next("NAME");
        final long count = arguments.longOption("--count", 1);
        final long timeoutMs = arguments.longOption("--timeout", DEFAULT_TIMEOUT_MS);
        final boolean verify = arguments.flag("--verify");
        final boolean hex = arguments.flag("--hex");
        final boolean fromStart = arguments.flag("--from-start");
        arguments.done();
        final ShmName shmName = ShmName.of(arguments.directory(), name);
        final Verifier verifier = new Verifier(verify);
        if ("zeroq".equals(protocol))
        {
            try (ZeroqQueue queue = ZeroqQueue.open(name))
            {
                final UnsafeBuffer element = new UnsafeBuffer(new byte[queue.elementSize()]);
                for (long i = 0; i < count; i++)
                {
                    if (!queue.poll(element, 0, timeoutMs, TimeUnit.MILLISECONDS))
                    {
                        throw new IllegalStateException("no element for " + timeoutMs + " ms after " + i + " of " +
                            count);
                    }
                    verifier.accept(element, 0, queue.elementSize());
                    print(element, 0, queue.elementSize(), hex);
                }
            }
        }
        else if ("slick".equals(protocol))
        {
            try (SlickQueue queue = SlickQueue.open(name, slickElementSize(shmName)))
            {
                final SlickCursor cursor = new SlickCursor(fromStart ? 0 : queue.initialReadingIndex());
                final SlickEntry entry = new SlickEntry();
                final IdleStrategy idle = new BackoffIdleStrategy();
                for (long i = 0; i < count; i++)
                {
                    if (!queue.read(cursor, entry, idle, TimeUnit.MILLISECONDS.toNanos(timeoutMs)))
                    {
                        throw new IllegalStateException("no entry for " + timeoutMs + " ms after " + i + " of " +
                            count);
                    }
                    verifier.accept(queue.buffer(), entry.offset(), entry.length());
                    print(queue.buffer(), entry.offset(), entry.length(), hex);
                }
                if (cursor.lossCount() > 0)
                {
                    err.println("shmq: lost " + cursor.lossCount() + " entries (the reader was lapped)");
                }
            }
        }
        else
        {
            throw new UsageException("protocol '" + protocol + "' (expected zeroq or slick)");
        }
        if (verify)
        {
            err.println("verified " + count);
        }
        return EXIT_OK;
    }

    private void print(final DirectBuffer buffer, final int offset, final int length, final boolean hex)
    {
        final StringBuilder line = new StringBuilder(length * 2);
        if (hex)
        {
            for (int i = 0; i < length; i++)
            {
                line.append(String.format("%02x", buffer.getByte(offset + i)));
            }
        }
        else
        {
            int end = length;
            while (end > 0 && 0 == buffer.getByte(offset + end - 1))
            {
                end--;
            }
            final byte[] bytes = new byte[end];
            buffer.getBytes(offset, bytes);
            line.append(new String(bytes, StandardCharsets.UTF_8));
        }
        out.println(line);
    }

    /** Checks checked payloads and each producer's order when asked to. */
    private static final class Verifier
    {
        private final boolean enabled;
        private final Map<Long, Long> lastByProducer = new HashMap<>();

        Verifier(final boolean enabled)
        {
            this.enabled = enabled;
        }

        void accept(final DirectBuffer buffer, final int offset, final int length)
        {
            if (!enabled)
            {
                return;
            }
            CheckedPayload.verify(buffer, offset, length);
            final long producer = CheckedPayload.producer(buffer, offset);
            final long sequence = CheckedPayload.sequence(buffer, offset);
            final Long last = lastByProducer.put(producer, sequence);
            if (null != last && sequence <= last)
            {
                throw new IllegalStateException("order: producer=" + producer + " sequence=" + sequence +
                    " after " + last);
            }
        }
    }

    /** A malformed command line. */
    private static final class UsageException extends IllegalArgumentException
    {
        private static final long serialVersionUID = 1L;

        UsageException(final String message)
        {
            super(message);
        }
    }

    /** Positional arguments and options, consumed in order. */
    private static final class Arguments
    {
        private final List<String> remaining = new ArrayList<>();
        private Path directory = ShmName.defaultDirectory();

        Arguments(final String[] args)
        {
            for (int i = 0; i < args.length; i++)
            {
                if ("--dir".equals(args[i]))
                {
                    if (i + 1 >= args.length)
                    {
                        throw new UsageException("--dir needs a value");
                    }
                    directory = Paths.get(args[++i]);
                    // The queues resolve names in this directory too: one process, one command, one directory.
                    System.setProperty(ShmName.DIRECTORY_PROPERTY, directory.toString());
                }
                else
                {
                    remaining.add(args[i]);
                }
            }
        }

        Path directory()
        {
            return directory;
        }

        String next(final String what)
        {
            for (int i = 0; i < remaining.size(); i++)
            {
                if (!remaining.get(i).startsWith("--"))
                {
                    return remaining.remove(i);
                }
            }
            throw new UsageException("missing " + what);
        }

        boolean flag(final String flag)
        {
            return remaining.remove(flag);
        }

        String option(final String option, final String defaultValue)
        {
            final int at = remaining.indexOf(option);
            if (at < 0)
            {
                return defaultValue;
            }
            if (at + 1 >= remaining.size())
            {
                throw new UsageException(option + " needs a value");
            }
            remaining.remove(at);
            return remaining.remove(at);
        }

        long longOption(final String option, final long defaultValue)
        {
            final String value = option(option, null);
            if (null == value)
            {
                return defaultValue;
            }
            try
            {
                final long parsed = Long.parseLong(value);
                if (parsed < 0)
                {
                    throw new UsageException(option + "=" + value + " (expected a number >= 0)");
                }
                return parsed;
            }
            catch (final NumberFormatException ex)
            {
                throw new UsageException(option + "=" + value + " (expected a number)");
            }
        }

        void done()
        {
            if (!remaining.isEmpty())
            {
                throw new UsageException("unexpected arguments " + remaining);
            }
        }
    }
}
