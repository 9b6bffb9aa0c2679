package dev.shmq.tool;

import dev.shmq.core.CheckedPayload;
import dev.shmq.core.ShmSegment;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmq send zeroq|slick NAME}: writes checked payloads ({@link CheckedPayload}), or the lines of standard input
 * with {@code --stdin} (zeroq: one element each, zero-padded; SlickQueue: as many elements as the line needs).
 */
@Command(name = "send", description = "send checked payloads, or the lines of standard input")
final class SendCommand extends ToolCommand
{
    @Mixin
    private QueueTarget target;

    @Option(
        names = "--count",
        paramLabel = "N",
        converter = NonNegativeLong.class,
        description = "checked payloads to send (default: ${DEFAULT-VALUE})")
    private long count = 1;

    @Option(
        names = "--producer",
        paramLabel = "ID",
        converter = NonNegativeLong.class,
        description = "the producer id in the checked payloads (default: ${DEFAULT-VALUE})")
    private long producer;

    @Option(names = "--stdin", description = "send each line of standard input instead")
    private boolean fromStdin;

    @Option(
        names = "--timeout",
        paramLabel = "MS",
        converter = NonNegativeLong.class,
        description = "zeroq: how long to wait for room for each element (default: ${DEFAULT-VALUE})")
    private long timeoutMs = Long.parseLong(DEFAULT_TIMEOUT_MS);

    @Override
    int execute() throws InterruptedException
    {
        final Outgoing outgoing = new Outgoing(fromStdin ? readLines() : null, count, producer);
        final long sent = guarded(shmName(target.name), (guard) -> QueueProtocol.ZEROQ == target.protocol ?
            sendZeroq(guard, outgoing) : sendSlick(guard, outgoing));
        tool().out().println("sent " + sent);
        return ShmqTool.EXIT_OK;
    }

    private long sendZeroq(final ShmSegment guard, final Outgoing outgoing) throws InterruptedException
    {
        try (ZeroqQueue queue = ZeroqQueue.open(target.name, zeroqConfig()))
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

    private long sendSlick(final ShmSegment guard, final Outgoing outgoing)
    {
        try (SlickQueue queue = SlickQueue.open(target.name, slickElementSize(guard), slickConfig()))
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

    private List<byte[]> readLines()
    {
        final List<byte[]> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(tool().in(), StandardCharsets.UTF_8)))
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
}
