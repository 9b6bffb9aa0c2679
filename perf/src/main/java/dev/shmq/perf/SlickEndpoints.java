package dev.shmq.perf;

import dev.shmq.core.MessageHandler;
import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * shmq SlickQueue endpoints: one element of {@code payload} bytes per message. SlickQueue is lossy (producers never
 * wait), so in throughput runs the producer keeps at most half the ring ahead of what the consumers reported
 * ({@link SlickWindow}): the numbers are for delivered messages, and the table reports any loss.
 */
final class SlickEndpoints
{
    private static final int BATCH = 64;

    private SlickEndpoints()
    {
    }

    static String cursorName(final String name)
    {
        return name + "-cur";
    }

    static MessageReceiver receiver(final WorkerSpec spec, final boolean batch)
    {
        final String name = spec.string(WorkerSpec.NAME);
        final int payload = spec.integer(WorkerSpec.PAYLOAD, Long.BYTES);
        final boolean creator = spec.flag(WorkerSpec.CREATOR);
        final SlickQueue queue = creator ?
            SlickQueue.create(name, spec.integer(WorkerSpec.SLOTS, 1024), payload) : SlickQueue.open(name, payload);
        final MessageBody body = MessageBody.of(payload);
        if (spec.integer(WorkerSpec.CONSUMERS, 1) > 1)
        {
            final AtomicCursor cursor = creator ?
                AtomicCursor.create(cursorName(name)) : AtomicCursor.open(cursorName(name));
            return new SharedCursorReceiver(queue, cursor, body);
        }
        return batch ? new DrainReceiver(queue, body) : new Receiver(queue, body);
    }

    static MessageSender sender(final WorkerSpec spec, final BenchControl control, final boolean batch)
    {
        final int payload = spec.integer(WorkerSpec.PAYLOAD, Long.BYTES);
        final SlickQueue queue = SlickQueue.open(spec.string(WorkerSpec.NAME), payload);
        final SlickWindow window =
            new SlickWindow(control, spec.integer(WorkerSpec.CONSUMERS, 1), queue.capacity() / 2);
        final MessageBody body = MessageBody.of(payload);
        return batch ? new BatchSender(queue, body, window) : new Sender(queue, body, window);
    }

    /** One entry per call: {@code reserve}, written in place, {@code publish}. */
    static final class Sender implements MessageSender
    {
        private final SlickQueue queue;
        private final AtomicBuffer buffer;
        private final MessageBody body;
        private final SlickWindow window;

        Sender(final SlickQueue queue, final MessageBody body, final SlickWindow window)
        {
            this.queue = queue;
            this.buffer = queue.buffer();
            this.body = body;
            this.window = window;
        }

        @Override
        public boolean offer(final long stamp)
        {
            if (!window.mayReserve(1))
            {
                return false;
            }
            // The stamp goes into the message before the reserve, so that the entry is one pass between reserve and
            // publish, as in the C++ peer (and Agrona's write).
            body.prepare(stamp);
            final long index = queue.reserve();
            body.write(buffer, queue.offset(index), stamp);
            queue.publish(index);
            window.reservedTo(index + 1);
            return true;
        }

        @Override
        public void close()
        {
            queue.close();
        }
    }

    /**
     * Up to {@value #BATCH} entries per call: {@code reserveBatch}, each written in place, {@code publishBatch}.
     * Apart from {@link Sender}, so that neither branches on its mode per call.
     */
    static final class BatchSender implements MessageSender
    {
        private final SlickQueue queue;
        private final AtomicBuffer buffer;
        private final MessageBody body;
        private final SlickWindow window;

        BatchSender(final SlickQueue queue, final MessageBody body, final SlickWindow window)
        {
            this.queue = queue;
            this.buffer = queue.buffer();
            this.body = body;
            this.window = window;
        }

        @Override
        public boolean offer(final long stamp)
        {
            return 1 == offerBatch(stamp, 1);
        }

        @Override
        public int offerBatch(final long stamp, final int limit)
        {
            final int count = Math.min(limit, BATCH);
            if (!window.mayReserve(count))
            {
                return 0;
            }
            final AtomicBuffer buffer = this.buffer;
            body.prepare(stamp);
            final long first = queue.reserveBatch(count);
            for (int i = 0; i < count; i++)
            {
                body.write(buffer, queue.offset(first + i), stamp);
            }
            queue.publishBatch(first, count);
            window.reservedTo(first + count);
            return count;
        }

        @Override
        public void close()
        {
            queue.close();
        }
    }

    static final class Receiver implements MessageReceiver
    {
        private final SlickQueue queue;
        private final AtomicBuffer buffer;
        private final SlickCursor cursor = new SlickCursor();
        private final SlickEntry entry = new SlickEntry();
        private final MessageBody body;
        private final int capacity;
        private long lastStamp;

        Receiver(final SlickQueue queue, final MessageBody body)
        {
            this.queue = queue;
            this.buffer = queue.buffer();
            this.body = body;
            this.capacity = queue.capacity();
        }

        @Override
        public double fill()
        {
            // the reserved index (the producers' cache line, the extra touch) read opaque by initialReadingIndex(),
            // minus this reader's cursor (its own field): a snapshot; clamped to [0, 1], as producers may lap it
            return FillHistogram.fraction(queue.initialReadingIndex() - cursor.position(), capacity);
        }

        @Override
        public int poll(final int limit)
        {
            int taken = 0;
            while (taken < limit && queue.read(cursor, entry))
            {
                lastStamp = body.read(buffer, entry.offset());
                taken++;
            }
            return taken;
        }

        @Override
        public long lastStamp()
        {
            return lastStamp;
        }

        @Override
        public long corrupt()
        {
            return body.corrupt();
        }

        @Override
        public void close()
        {
            queue.close();
        }
    }

    static final class DrainReceiver implements MessageReceiver, MessageHandler
    {
        private final SlickQueue queue;
        private final SlickCursor cursor = new SlickCursor();
        private final MessageBody body;
        private final int capacity;
        private long lastStamp;

        DrainReceiver(final SlickQueue queue, final MessageBody body)
        {
            this.queue = queue;
            this.body = body;
            this.capacity = queue.capacity();
        }

        @Override
        public double fill()
        {
            // the reserved index (the producers' cache line, the extra touch) read opaque by initialReadingIndex(),
            // minus this reader's cursor (its own field): a snapshot; clamped to [0, 1], as producers may lap it
            return FillHistogram.fraction(queue.initialReadingIndex() - cursor.position(), capacity);
        }

        @Override
        public int poll(final int limit)
        {
            return queue.drain(cursor, this, limit);
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length, final long index)
        {
            lastStamp = body.read(buffer, offset);
        }

        @Override
        public long lastStamp()
        {
            return lastStamp;
        }

        @Override
        public long corrupt()
        {
            return body.corrupt();
        }

        @Override
        public void close()
        {
            queue.close();
        }
    }

    static final class SharedCursorReceiver implements MessageReceiver
    {
        private final SlickQueue queue;
        private final AtomicBuffer buffer;
        private final AtomicCursor cursor;
        private final SlickEntry entry = new SlickEntry();
        private final MessageBody body;
        private final int capacity;
        private long lastStamp;

        SharedCursorReceiver(final SlickQueue queue, final AtomicCursor cursor, final MessageBody body)
        {
            this.queue = queue;
            this.buffer = queue.buffer();
            this.cursor = cursor;
            this.body = body;
            this.capacity = queue.capacity();
        }

        @Override
        public double fill()
        {
            // the reserved index (the producers' cache line, the extra touch) read opaque by initialReadingIndex(),
            // minus the cursor the consumers share (acquire): a snapshot; clamped to [0, 1], as producers may lap it
            return FillHistogram.fraction(queue.initialReadingIndex() - cursor.load(), capacity);
        }

        @Override
        public int poll(final int limit)
        {
            int taken = 0;
            while (taken < limit && queue.read(cursor, entry))
            {
                lastStamp = body.read(buffer, entry.offset());
                taken++;
            }
            return taken;
        }

        @Override
        public long lastStamp()
        {
            return lastStamp;
        }

        @Override
        public long corrupt()
        {
            return body.corrupt();
        }

        @Override
        public void close()
        {
            cursor.close();
            queue.close();
        }
    }
}
