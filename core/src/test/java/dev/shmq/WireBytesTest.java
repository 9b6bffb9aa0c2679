package dev.shmq;

import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import dev.shmq.zeroq.ZeroqRange;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Guards the wire: a fixed sequence of operations on both queues, and a SHA-256 of every byte of the segment after
 * each step, compared with the digests recorded in {@code wire-bytes.txt}. A refactor that changes what any
 * operation stores, or where, fails here naming the first step that differs. Re-record only for an intended wire
 * change: {@code -Dshmq.wire.record=core/src/test/resources/dev/shmq/wire-bytes.txt}.
 */
class WireBytesTest
{
    private static final String GOLDEN = "wire-bytes.txt";
    private static final String RECORD_PROPERTY = "shmq.wire.record";

    private final Map<String, String> digests = new LinkedHashMap<>();

    @Test
    void shouldStoreTheSameBytesAsRecordedForEveryOperation() throws IOException
    {
        zeroqSteps();
        slickSteps();

        final String record = System.getProperty(RECORD_PROPERTY);
        if (null != record)
        {
            final List<String> lines = new ArrayList<>();
            digests.forEach((step, digest) -> lines.add(step + ' ' + digest));
            Files.write(Path.of(record), lines, StandardCharsets.US_ASCII);
        }
        final Map<String, String> golden = golden();
        assertEquals(golden.keySet().toString(), digests.keySet().toString(), "the same steps");
        for (final Map.Entry<String, String> step : golden.entrySet())
        {
            assertEquals(step.getValue(), digests.get(step.getKey()), "bytes after step " + step.getKey());
        }
    }

    private void zeroqSteps()
    {
        final ZeroqQueue queue = ZeroqQueue.local(8, 12);
        final ZeroqRange range = new ZeroqRange();
        final UnsafeBuffer element = new UnsafeBuffer(new byte[12 * 4]);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[12]);
        record("zeroq.initialised", queue.buffer());
        for (int i = 0; i < 3; i++)
        {
            stamp(element, 0, 12, 0x10 + i);
            queue.offer(element, 0, 12);
        }
        record("zeroq.offer x3", queue.buffer());
        queue.poll(out, 0);
        record("zeroq.poll", queue.buffer());
        final long claimed = queue.tryClaim();
        queue.buffer().putLong(queue.offset(claimed), 0x2020_2020_2020_2020L);
        queue.commit(claimed);
        record("zeroq.tryClaim+commit", queue.buffer());
        queue.release(queue.tryAcquire());
        record("zeroq.tryAcquire+release", queue.buffer());
        stamp(element, 0, 48, 0x30);
        queue.offerBatch(element, 0, 4, range);
        record("zeroq.offerBatch x4 (wraps)", queue.buffer());
        queue.drain((buffer, offset, length, position) -> { }, 3);
        record("zeroq.drain x3", queue.buffer());
        final ZeroqPyQueue py = new ZeroqPyQueue(queue);
        py.putNowait(new byte[12]);
        py.getNowait();
        py.getNowait();
        record("zeroq.putNowait+getNowait x2", queue.buffer());
        queue.close();
    }

    private void slickSteps()
    {
        final SlickQueue queue = SlickQueue.local(8, 4);
        record("slick.initialised", queue.buffer());
        for (int i = 0; i < 3; i++)
        {
            final long index = queue.reserve();
            queue.buffer().putInt(queue.offset(index), 0x100 + i);
            queue.publish(index);
        }
        record("slick.reserve+publish x3", queue.buffer());
        final long three = queue.reserve(3);
        queue.buffer().setMemory(queue.offset(three), 12, (byte)0x33);
        queue.publish(three, 3);
        record("slick.reserve(3)+publish", queue.buffer());
        final long wrapped = queue.reserve(4);
        record("slick.reserve(4) leaves a wrap marker", queue.buffer());
        queue.buffer().setMemory(queue.offset(wrapped), 16, (byte)0x44);
        queue.publish(wrapped, 4);
        record("slick.publish(4) after the wrap", queue.buffer());
        final long batch = queue.reserveBatch(2);
        queue.buffer().setMemory(queue.offset(batch), 8, (byte)0x55);
        queue.publishBatch(batch, 2);
        record("slick.reserveBatch+publishBatch", queue.buffer());

        final SlickCursor cursor = new SlickCursor();
        final SlickEntry entry = new SlickEntry();
        int read = 0;
        while (queue.read(cursor, entry))
        {
            read++;
        }
        digests.put("slick.broadcast entries read", Integer.toString(read));
        queue.readLast(entry);
        record("slick.broadcast reads write nothing", queue.buffer());
        final AtomicCursor shared = AtomicCursor.local();
        int stolen = 0;
        while (queue.read(shared, entry))
        {
            stolen++;
        }
        record("slick.work-stealing reads", queue.buffer());
        digests.put("slick.work-stealing cursor after " + stolen + " entries", Long.toString(shared.load()));
        queue.reset();
        record("slick.reset", queue.buffer());
        queue.close();
        shared.close();
    }

    private static void stamp(final UnsafeBuffer buffer, final int offset, final int length, final int seed)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(offset + i, (byte)(seed + i));
        }
    }

    private void record(final String step, final DirectBuffer buffer)
    {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        try
        {
            digests.put(step, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Map<String, String> golden() throws IOException
    {
        final Map<String, String> golden = new LinkedHashMap<>();
        try (InputStream in = WireBytesTest.class.getResourceAsStream(GOLDEN))
        {
            assertNotNull(in, GOLDEN + " is missing: record it with -D" + RECORD_PROPERTY + "=PATH");
            for (final String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n"))
            {
                if (!line.isBlank())
                {
                    final int space = line.lastIndexOf(' ');
                    golden.put(line.substring(0, space), line.substring(space + 1));
                }
            }
        }
        return golden;
    }
}
