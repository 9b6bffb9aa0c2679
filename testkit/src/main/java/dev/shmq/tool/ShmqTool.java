package dev.shmq.tool;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.core.CheckedPayload;
import dev.shmq.core.ShmSegmentInfo;
import dev.shmq.core.ShmSegments;
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
import java.time.Duration;
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
 * shmq rm NAME [--force]                     remove a segment (a live one, or of unknown liveness, only with --force)
 * shmq clean [--prefix P] [--min-age S] [--dry-run] [--force]
 *                                            remove stale segments (mapped by nobody, changed at least S s ago)
 * shmq unblock NAME                          free a zeroq cell held by a dead producer or consumer
 * shmq send zeroq|slick NAME [--count N] [--producer ID] [--stdin] [--timeout MS]
 * shmq recv zeroq|slick NAME [--count N] [--timeout MS] [--verify] [--hex] [--from-start]
 * common options: --dir DIR                  the shared-memory directory (default /dev/shm)
 *                 --proc DIR                 the procfs whose processes' maps tell liveness (default /proc)
 * </pre>
 *
 * <p>{@code send} writes checked payloads ({@link CheckedPayload}) unless {@code --stdin} is given, in which case
 * each input line is one element (zeroq: zero-padded to the element size; SlickQueue: as many elements as the line
 * needs). {@code recv --verify} checks checked payloads and per-producer order. Liveness and cleaning are those of
 * {@link ShmSegments}: by device and inode, a segment of unknown liveness is never removed without {@code --force},
 * and a young one never.
 *
 * <p>Exit codes: 0 success, 1 failure (corrupt or truncated segment, timeout, verification, an object clean could not
 * remove), 2 usage error. Every failure is one line on standard error, {@code shmq: COMMAND: message}, never a stack
 * trace: whatever a command throws, an {@link Error} too, is caught at the command boundary. Another process may
 * truncate a segment under the tool, and touching a mapping past the end of its file raises SIGBUS (which the JVM
 * turns into an {@link InternalError} when it can): so every command that reads or writes slots or cells checks the
 * object's length before each element and after each pause, and reports a truncation it finds as one line.
 */
public final class ShmqTool
{
    /** Exit code of a successful command. */
    public static final int EXIT_OK = 0;

    /** Exit code of a failed command: corrupt or unknown segment, timeout, failed verification. */
    public static final int EXIT_FAILURE = 1;

    /** Exit code of a malformed command line. */
    public static final int EXIT_USAGE = 2;

    private static final String LIST = "list";
    private static final String INSPECT = "inspect";
    private static final String RM = "rm";
    private static final String CLEAN = "clean";
    private static final String UNBLOCK = "unblock";
    private static final String SEND = "send";
    private static final String RECV = "recv";
    private static final String ZEROQ = "zeroq";
    private static final String SLICK = "slick";

    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: shmq [--dir DIR] [--proc DIR] COMMAND ...",
        "  --dir DIR                              the shared-memory directory (default /dev/shm)",
        "  --proc DIR                             the procfs whose processes' maps tell liveness (default /proc;",
        "                                         the host's, mounted elsewhere, from a container)",
        "  list                                   segments with protocol, length and the pids mapping them",
        "  inspect NAME                           header fields and state (exit 1 if corrupt or unknown)",
        "  rm NAME [--force]                      remove a segment; a live one, or one whose liveness is unknown,",
        "                                         only with --force",
        "  clean [--prefix P] [--min-age S] [--dry-run] [--force]",
        "                                         remove stale segments: mapped by no process, and changed at least",
        "                                         S seconds ago (default " + ShmSegments.DEFAULT_MIN_AGE.toSeconds() +
            "). Kept and listed: segments of unknown",
        "                                         liveness (some process's maps cannot be read: run as root) and",
        "                                         younger ones. --dry-run lists what would be removed and removes",
        "                                         nothing; --force removes live and unknown ones too, never younger",
        "  unblock NAME                           zeroq: free a cell held by a process that died holding it",
        "  send zeroq|slick NAME [--count N] [--producer ID] [--stdin] [--timeout MS]",
        "  recv zeroq|slick NAME [--count N] [--timeout MS] [--verify] [--hex] [--from-start]",
        "exit codes: 0 success, 1 failure, 2 usage error; a failure prints one line: shmq: COMMAND: message");

    private static final String DIR_OPTION = "--dir";
    private static final String PROC_OPTION = "--proc";
    private static final String DEFAULT_PROC_ROOT = "/proc";
    private static final String USAGE_HINT = " (usage: shmq help)";
    private static final String UNSAFE_ACCESS_FAULT = "unsafe memory access";
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
     * Runs one command. Never throws: every failure is reported as one line on the error stream.
     *
     * @param args the command line.
     * @return the exit code.
     */
    public int run(final String[] args)
    {
        String label = null;
        try
        {
            final Arguments arguments = new Arguments(args);
            final String name = arguments.next("COMMAND");
            final Command command = command(name);
            label = name;
            return command.run(arguments);
        }
        catch (final UsageException ex)
        {
            printFailure(label, ex.getMessage() + USAGE_HINT);
            return EXIT_USAGE;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            printFailure(label, "interrupted");
            return EXIT_FAILURE;
        }
        catch (final Throwable ex)
        {
            // The command boundary: whatever a command throws, an Error such as the InternalError of an access to a
            // truncated mapping too, is one line and an exit code.
            printFailure(label, describe(ex));
            return EXIT_FAILURE;
        }
    }

    private Command command(final String name)
    {
        switch (name)
        {
            case LIST:
                return this::list;
            case INSPECT:
                return this::inspect;
            case RM:
                return this::remove;
            case CLEAN:
                return this::clean;
            case UNBLOCK:
                return this::unblock;
            case SEND:
                return this::send;
            case RECV:
                return this::receive;
            case "help":
            case "--help":
            case "-h":
                return this::help;
            default:
                throw new UsageException("unknown command '" + name + "'");
        }
    }

    private void printFailure(final String command, final String message)
    {
        err.println("shmq: " + (null == command ? "" : command + ": ") + printable(message));
    }

    private static String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        if ((ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) && null != message)
        {
            return message;
        }
        if (ex instanceof InternalError && null != message && message.contains(UNSAFE_ACCESS_FAULT))
        {
            return "memory fault in a shared-memory segment (truncated by another process?): " + message;
        }
        return ex.getClass().getSimpleName() + (null == message ? "" : ": " + message);
    }

    /**
     * @return the text with every control character (a newline in a name, say) shown as {@code \xNN}, so that it
     * stays on one line.
     */
    private static String printable(final String text)
    {
        final StringBuilder printable = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isISOControl(c))
            {
                printable.append(String.format("\\x%02x", (int)c));
            }
            else
            {
                printable.append(c);
            }
        }
        return printable.toString();
    }

    /**
     * Runs a task with a read-only mapping of the segment, whose {@link ShmSegment#checkLength()} tells whether
     * another process truncated it. A memory fault in the task is reported as the truncation it almost always is.
     */
    private static <T> T guarded(final ShmName name, final SegmentTask<T> task) throws InterruptedException
    {
        try (ShmSegment guard = ShmSegment.openReadOnly(name))
        {
            try
            {
                return task.run(guard);
            }
            catch (final InternalError fault)
            {
                guard.checkLength();
                throw fault;
            }
        }
    }

    private int help(final Arguments arguments)
    {
        out.println(USAGE);
        return EXIT_OK;
    }

    private int list(final Arguments arguments)
    {
        arguments.done();
        final ShmSegments segments = arguments.segments();
        out.printf("%-40s %-18s %12s  %s%n", "NAME", "PROTOCOL", "LENGTH", "PIDS");
        for (final ShmSegmentInfo info : segments.list())
        {
            out.printf("%-40s %-18s %12d  %s%n", printable(info.name()),
                kindOf(arguments.directory(), info.name()).label(), info.length(), pidsColumn(info));
        }
        return EXIT_OK;
    }

    private static String pidsColumn(final ShmSegmentInfo info)
    {
        switch (info.liveness())
        {
            case LIVE:
                return info.pids().toString();
            case STALE:
                return "-";
            default:
                return "unknown";
        }
    }

    private static SegmentKind kindOf(final Path directory, final String name)
    {
        try (ShmSegment segment = ShmSegment.openReadOnly(ShmName.of(directory, name)))
        {
            segment.checkLength();
            return SegmentInspector.detect(segment.buffer(), segment.length());
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return SegmentKind.UNKNOWN;
        }
    }

    private int inspect(final Arguments arguments) throws InterruptedException
    {
        final String name = arguments.next("NAME");
        arguments.done();
        final ShmName shmName = ShmName.of(arguments.directory(), name);
        // Scanned before this process maps the segment: closing a segment does not unmap it, so it would list itself.
        final Optional<ShmSegmentInfo> info = arguments.segments().inspect(shmName.name());
        final SegmentReport report = guarded(shmName, SegmentInspector::inspect);
        out.printf("%-20s %s%n", "name", printable(shmName.name()));
        out.printf("%-20s %s%n", "protocol", report.kind().label());
        for (final String field : report.fieldNames())
        {
            out.printf("%-20s %s%n", field, report.field(field));
        }
        info.ifPresent((segmentInfo) -> out.printf("%-20s %s%n", "mapped_by", mappedBy(segmentInfo)));
        for (final String problem : report.problems())
        {
            out.printf("%-20s %s%n", "PROBLEM", problem);
        }
        if (report.isHealthy())
        {
            return EXIT_OK;
        }
        final List<String> problems = report.problems();
        printFailure(INSPECT, shmName.name() + ": " + problems.get(0) +
            (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        return EXIT_FAILURE;
    }

    private static String mappedBy(final ShmSegmentInfo info)
    {
        switch (info.liveness())
        {
            case LIVE:
                return info.pids().toString();
            case STALE:
                return "nobody (stale)";
            default:
                return info.describeLiveness();
        }
    }

    private int remove(final Arguments arguments)
    {
        final String name = arguments.next("NAME");
        final boolean force = arguments.flag("--force");
        arguments.done();
        if (!arguments.segments().remove(name, force))
        {
            throw new IllegalStateException("no segment named '" + name + "' in " + arguments.directory());
        }
        out.println("removed " + printable(name));
        return EXIT_OK;
    }

    private int clean(final Arguments arguments)
    {
        final boolean force = arguments.flag("--force");
        final boolean dryRun = arguments.flag("--dry-run");
        final String prefix = arguments.option("--prefix", "");
        final long minAgeSeconds = arguments.longOption("--min-age", ShmSegments.DEFAULT_MIN_AGE.toSeconds());
        arguments.done();
        final ShmSegments.CleanReport report = arguments.segments().clean(
            ShmSegments.CleanOptions.DEFAULT
                .names((name) -> name.startsWith(prefix))
                .minAge(Duration.ofSeconds(minAgeSeconds))
                .force(force)
                .dryRun(dryRun));
        final String removedVerb = dryRun ? "would remove " : "removed ";
        report.removed().forEach((name) -> out.println(removedVerb + printable(name)));
        report.kept().forEach((kept) -> out.println("kept " + printable(kept.name()) + ": " + kept.detail()));
        report.failed().forEach((failed) -> printFailure(CLEAN, failed.detail()));
        out.println(report.removed().size() + (dryRun ? " would be removed" : " removed"));
        return report.failed().isEmpty() ? EXIT_OK : EXIT_FAILURE;
    }

    private int unblock(final Arguments arguments) throws InterruptedException
    {
        final String name = arguments.next("NAME");
        arguments.done();
        final String outcome = guarded(ShmName.of(arguments.directory(), name), (guard) -> unblock(guard, name));
        out.println(outcome);
        return EXIT_OK;
    }

    private static String unblock(final ShmSegment guard, final String name)
    {
        try (ZeroqQueue queue = ZeroqQueue.open(name))
        {
            guard.checkLength();
            final boolean stalled = queue.isStalled();
            final boolean held = queue.isHeldByConsumer();
            if (!stalled && !held)
            {
                return "not blocked: nothing to do";
            }
            // A stall seen once may be a live process between two instructions: it must persist to count.
            LockSupport.parkNanos(SegmentInspector.STALL_SAMPLE_NANOS);
            guard.checkLength();
            final boolean stillBlocked = stalled && queue.isStalled() || held && queue.isHeldByConsumer();
            guard.checkLength();
            if (stillBlocked && queue.unblock())
            {
                return "unblocked: freed a cell " + (stalled ?
                    "claimed by a producer that never committed (position skipped, nothing committed was lost)" :
                    "acquired by a consumer that never released it");
            }
            return "not blocked any more: the holder moved on";
        }
    }

    private int send(final Arguments arguments) throws InterruptedException
    {
        final String protocol = protocol(arguments.next("zeroq|slick"));
        final String name = arguments.next("NAME");
        final long count = arguments.longOption("--count", 1);
        final long producer = arguments.longOption("--producer", 0);
        final boolean fromStdin = arguments.flag("--stdin");
        final long timeoutMs = arguments.longOption("--timeout", DEFAULT_TIMEOUT_MS);
        arguments.done();
        final ShmName shmName = ShmName.of(arguments.directory(), name);
        final Outgoing outgoing = new Outgoing(fromStdin ? readLines() : null, count, producer);
        final long sent = guarded(shmName, (guard) -> ZEROQ.equals(protocol) ?
            sendZeroq(guard, name, outgoing, timeoutMs) : sendSlick(guard, name, outgoing));
        out.println("sent " + sent);
        return EXIT_OK;
    }

    private static String protocol(final String protocol)
    {
        if (!ZEROQ.equals(protocol) && !SLICK.equals(protocol))
        {
            throw new UsageException("protocol '" + protocol + "' (expected zeroq or slick)");
        }
        return protocol;
    }

    private static long sendZeroq(
        final ShmSegment guard, final String name, final Outgoing outgoing, final long timeoutMs)
        throws InterruptedException
    {
        try (ZeroqQueue queue = ZeroqQueue.open(name))
        {
            final int elementSize = queue.elementSize();
            final UnsafeBuffer element = new UnsafeBuffer(new byte[elementSize]);
            final long total = outgoing.total();
            for (long i = 0; i < total; i++)
            {
                outgoing.fillZeroqElement(element, i);
                guard.checkLength();
                if (!queue.offer(element, 0, elementSize, timeoutMs, TimeUnit.MILLISECONDS))
                {
                    throw new IllegalStateException("queue full for " + timeoutMs + " ms after " + i + " of " +
                        total + " elements");
                }
            }
            return total;
        }
    }

    private static long sendSlick(final ShmSegment guard, final String name, final Outgoing outgoing)
    {
        try (SlickQueue queue = SlickQueue.open(name, slickElementSize(guard)))
        {
            final long total = outgoing.total();
            for (long i = 0; i < total; i++)
            {
                guard.checkLength();
                outgoing.publishSlickEntry(queue, i);
            }
            return total;
        }
    }

    /**
     * @return the element size of the SlickQueue header of the guard's mapping, for opening the queue.
     */
    private static int slickElementSize(final ShmSegment guard)
    {
        if (guard.length() < SlickQueueDescriptor.HEADER_LENGTH)
        {
            throw new IllegalStateException(guard.name().path() + " length=" + guard.length() +
                " (expected at least the SlickQueue header length " + SlickQueueDescriptor.HEADER_LENGTH + ")");
        }
        guard.checkLength();
        return guard.buffer().getInt(SlickQueueDescriptor.ELEMENT_SIZE_OFFSET);
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
        final String protocol = protocol(arguments.next("zeroq|slick"));
        final String name = arguments.next("NAME");
        final long count = arguments.longOption("--count", 1);
        final long timeoutMs = arguments.longOption("--timeout", DEFAULT_TIMEOUT_MS);
        final boolean verify = arguments.flag("--verify");
        final boolean hex = arguments.flag("--hex");
        final boolean fromStart = arguments.flag("--from-start");
        arguments.done();
        final ShmName shmName = ShmName.of(arguments.directory(), name);
        final Incoming incoming = new Incoming(count, timeoutMs, fromStart, hex, new Verifier(verify));
        guarded(shmName, (guard) -> ZEROQ.equals(protocol) ?
            receiveZeroq(guard, name, incoming) : receiveSlick(guard, name, incoming));
        if (verify)
        {
            err.println("verified " + count);
        }
        return EXIT_OK;
    }

    private long receiveZeroq(final ShmSegment guard, final String name, final Incoming incoming)
        throws InterruptedException
    {
        try (ZeroqQueue queue = ZeroqQueue.open(name))
        {
            final int elementSize = queue.elementSize();
            final UnsafeBuffer element = new UnsafeBuffer(new byte[elementSize]);
            for (long i = 0; i < incoming.count(); i++)
            {
                guard.checkLength();
                if (!queue.poll(element, 0, incoming.timeoutMs(), TimeUnit.MILLISECONDS))
                {
                    throw new IllegalStateException("no element for " + incoming.timeoutMs() + " ms after " + i +
                        " of " + incoming.count());
                }
                incoming.verifier().accept(element, 0, elementSize);
                print(element, 0, elementSize, incoming.hex());
            }
            return incoming.count();
        }
    }

    private long receiveSlick(final ShmSegment guard, final String name, final Incoming incoming)
    {
        try (SlickQueue queue = SlickQueue.open(name, slickElementSize(guard)))
        {
            final SlickCursor cursor = new SlickCursor(incoming.fromStart() ? 0 : queue.initialReadingIndex());
            final SlickEntry entry = new SlickEntry();
            final IdleStrategy idle = new BackoffIdleStrategy();
            final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(incoming.timeoutMs());
            for (long i = 0; i < incoming.count(); i++)
            {
                guard.checkLength();
                if (!queue.read(cursor, entry, idle, timeoutNanos))
                {
                    throw new IllegalStateException("no entry for " + incoming.timeoutMs() + " ms after " + i +
                        " of " + incoming.count());
                }
                guard.checkLength();
                incoming.verifier().accept(queue.buffer(), entry.offset(), entry.length());
                print(queue.buffer(), entry.offset(), entry.length(), incoming.hex());
            }
            if (cursor.lossCount() > 0)
            {
                err.println("shmq: " + RECV + ": lost " + cursor.lossCount() + " entries (the reader was lapped)");
            }
            return incoming.count();
        }
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

    /** One command, run with the arguments after its name. */
    @FunctionalInterface
    private interface Command
    {
        int run(Arguments arguments) throws InterruptedException;
    }

    /** What a command does with a segment, given the read-only mapping that checks its length. */
    @FunctionalInterface
    private interface SegmentTask<T>
    {
        T run(ShmSegment guard) throws InterruptedException;
    }

    /**
     * What {@code send} sends: the lines of standard input, or {@code count} checked payloads of a producer.
     *
     * @param lines    the lines, or null for checked payloads.
     * @param count    how many checked payloads.
     * @param producer the producer id of the checked payloads.
     */
    private record Outgoing(List<byte[]> lines, long count, long producer)
    {
        long total()
        {
            return null == lines ? count : lines.size();
        }

        void fillZeroqElement(final UnsafeBuffer element, final long i)
        {
            final int elementSize = element.capacity();
            element.setMemory(0, elementSize, (byte)0);
            if (null == lines)
            {
                CheckedPayload.fill(element, 0, elementSize, producer, i);
                return;
            }
            final byte[] line = lines.get((int)i);
            if (line.length > elementSize)
            {
                throw new IllegalArgumentException("line " + (i + 1) + " length=" + line.length +
                    " (expected at most elementSize=" + elementSize + ")");
            }
            element.putBytes(0, line);
        }

        void publishSlickEntry(final SlickQueue queue, final long i)
        {
            final int elementSize = queue.elementSize();
            if (null == lines)
            {
                final long index = queue.reserve();
                CheckedPayload.fill(queue.buffer(), queue.offset(index), elementSize, producer, i);
                queue.publish(index);
                return;
            }
            final byte[] line = lines.get((int)i);
            final int n = Math.max(1, (line.length + elementSize - 1) / elementSize);
            final long index = queue.reserve(n);
            queue.buffer().setMemory(queue.offset(index), n * elementSize, (byte)0);
            queue.buffer().putBytes(queue.offset(index), line);
            queue.publish(index, n);
        }
    }

    /**
     * How {@code recv} receives.
     *
     * @param count     how many elements or entries.
     * @param timeoutMs how long to wait for each.
     * @param fromStart SlickQueue: read from index 0 rather than from the write index.
     * @param hex       print in hex rather than as text.
     * @param verifier  checks payloads when asked to.
     */
    private record Incoming(long count, long timeoutMs, boolean fromStart, boolean hex, Verifier verifier)
    {
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
        private Path procRoot = Paths.get(DEFAULT_PROC_ROOT);

        Arguments(final String[] args)
        {
            for (int i = 0; i < args.length; i++)
            {
                if (DIR_OPTION.equals(args[i]))
                {
                    directory = Paths.get(valueOf(args, ++i, DIR_OPTION));
                    // The queues resolve names in this directory too: one process, one command, one directory.
                    System.setProperty(ShmName.DIRECTORY_PROPERTY, directory.toString());
                }
                else if (PROC_OPTION.equals(args[i]))
                {
                    procRoot = Paths.get(valueOf(args, ++i, PROC_OPTION));
                }
                else
                {
                    remaining.add(args[i]);
                }
            }
        }

        private static String valueOf(final String[] args, final int at, final String option)
        {
            if (at >= args.length)
            {
                throw new UsageException(option + " needs a value");
            }
            return args[at];
        }

        Path directory()
        {
            return directory;
        }

        ShmSegments segments()
        {
            return ShmSegments.in(directory, procRoot);
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
