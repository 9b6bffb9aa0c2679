package dev.shmq.tool;

import dev.shmq.core.CheckedPayload;
import dev.shmq.core.ShmSegment;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmq recv zeroq|slick NAME}: receives and prints elements or entries (as text, or in hex), and with
 * {@code --verify} checks checked payloads ({@link CheckedPayload}) and each producer's order.
 */
@Command(name = "recv", description = "receive and print, or verify checked payloads")
final class ReceiveCommand extends ToolCommand
{
    @Mixin
    private QueueTarget target;

    @Option(
        names = "--count",
        paramLabel = "N",
        converter = NonNegativeLong.class,
        description = "elements or entries to receive (default: ${DEFAULT-VALUE})")
    private long count = 1;

    @Option(
        names = "--timeout",
        paramLabel = "MS",
        converter = NonNegativeLong.class,
        description = "how long to wait for each (default: ${DEFAULT-VALUE})")
    private long timeoutMs = Long.parseLong(DEFAULT_TIMEOUT_MS);

    @Option(names = "--verify", description = "check checked payloads and each producer's order")
    private boolean verify;

    @Option(names = "--hex", description = "print in hex rather than as text")
    private boolean hex;

    @Option(names = "--from-start", description = "SlickQueue: read from index 0 rather than from the write index")
    private boolean fromStart;

    @Override
    int execute() throws InterruptedException
    {
        final Verifier verifier = new Verifier(verify);
        guarded(shmName(target.name), (guard) -> QueueProtocol.ZEROQ == target.protocol ?
            receiveZeroq(guard, verifier) : receiveSlick(guard, verifier));
        if (verify)
        {
            tool().err().println("verified " + count);
        }
        return ShmqTool.EXIT_OK;
    }

    private long receiveZeroq(final ShmSegment guard, final Verifier verifier) throws InterruptedException
    {
        try (ZeroqQueue queue = ZeroqQueue.open(target.name, zeroqConfig()))
        {
            final int elementSize = queue.elementSize();
            final UnsafeBuffer element = new UnsafeBuffer(new byte[elementSize]);
            for (long i = 0; i < count; i++)
            {
                guard.checkLength();
                if (!queue.poll(element, 0, timeoutMs, TimeUnit.MILLISECONDS))
                {
                    throw new IllegalStateException("no element for " + timeoutMs + " ms after " + i + " of " + count);
                }
                verifier.accept(element, 0, elementSize);
                print(element, 0, elementSize);
            }
            return count;
        }
    }

    private long receiveSlick(final ShmSegment guard, final Verifier verifier) throws InterruptedException
    {
        final SlickConfig config = slickConfig().idleStrategy(BackoffIdleStrategy::new);
        try (SlickQueue queue = SlickQueue.open(target.name, slickElementSize(guard), config))
        {
            final SlickCursor cursor = new SlickCursor(fromStart ? 0 : queue.initialReadingIndex());
            final SlickEntry entry = new SlickEntry();
            for (long i = 0; i < count; i++)
            {
                guard.checkLength();
                if (!queue.read(cursor, entry, timeoutMs, TimeUnit.MILLISECONDS))
                {
                    throw new IllegalStateException("no entry for " + timeoutMs + " ms after " + i + " of " + count);
                }
                guard.checkLength();
                verifier.accept(queue.buffer(), entry.offset(), entry.length());
                print(queue.buffer(), entry.offset(), entry.length());
            }
            if (cursor.lossCount() > 0)
            {
                fail("lost " + cursor.lossCount() + " entries (the reader was lapped)");
            }
            return count;
        }
    }

    private void print(final DirectBuffer buffer, final int offset, final int length)
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
        tool().out().println(line);
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
}
