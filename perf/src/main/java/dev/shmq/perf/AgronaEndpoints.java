package dev.shmq.perf;

import dev.shmq.core.ShmName;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.File;
import java.nio.MappedByteBuffer;

/**
 * Agrona's ring buffers, the standard Java IPC, over a file mapped from the shared-memory directory: tryClaim, the
 * message written in place, commit (as shmq's senders claim, write and commit; for a copied message this is what
 * Agrona's write does), and read with a handler that reads the message in place.
 */
final class AgronaEndpoints
{
    private static final int MSG_TYPE_ID = 1;
    private static final int RECORD_ALIGNMENT = 8;
    private static final int HEADER_LENGTH = 8;
    private static final int MAX_MESSAGE_FRACTION = 8;

    private AgronaEndpoints()
    {
    }

    /**
     * @param payload message length.
     * @param slots   messages the ring should hold.
     * @return a power-of-two capacity holding {@code slots} records and allowing {@code payload} as a message.
     */
    static int capacity(final int payload, final int slots)
    {
        final long record = (HEADER_LENGTH + payload + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
        final long wanted = Math.max(record * slots, (long)payload * MAX_MESSAGE_FRACTION);
        final long capacity = Long.highestOneBit(wanted - 1) << 1;
        if (capacity > (1 << 30))
        {
            throw new IllegalArgumentException("payload=" + payload + ", slots=" + slots + " (ring too large)");
        }
        return (int)capacity;
    }

    private static RingBuffer map(final WorkerSpec spec, final boolean manyToOne)
    {
        final File file = ShmName.of(spec.string(WorkerSpec.NAME)).path().toFile();
        final MappedByteBuffer mapped;
        if (spec.flag(WorkerSpec.CREATOR))
        {
            final int capacity = capacity(spec.integer(WorkerSpec.PAYLOAD, Long.BYTES),
                spec.integer(WorkerSpec.SLOTS, 1024));
            mapped = IoUtil.mapNewFile(file, capacity + RingBufferDescriptor.TRAILER_LENGTH, true);
        }
        else
        {
            mapped = IoUtil.mapExistingFile(file, "agrona ring");
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        return manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }

    static MessageReceiver receiver(final WorkerSpec spec, final boolean manyToOne)
    {
        return new Receiver(map(spec, manyToOne), MessageBody.of(spec.integer(WorkerSpec.PAYLOAD, Long.BYTES)));
    }

    static MessageSender sender(final WorkerSpec spec, final boolean manyToOne)
    {
        return new Sender(map(spec, manyToOne), MessageBody.of(spec.integer(WorkerSpec.PAYLOAD, Long.BYTES)));
    }

    static final class Sender implements MessageSender
    {
        private final RingBuffer ring;
        private final AtomicBuffer buffer;
        private final MessageBody body;

        Sender(final RingBuffer ring, final MessageBody body)
        {
            this.ring = ring;
            this.buffer = ring.buffer();
            this.body = body;
        }

        @Override
        public boolean offer(final long stamp)
        {
            body.prepare(stamp);
            final int index = ring.tryClaim(MSG_TYPE_ID, body.length());
            if (index < 0)
            {
                return false;
            }
            body.write(buffer, index, stamp);
            ring.commit(index);
            return true;
        }

        @Override
        public void close()
        {
            IoUtil.unmap(ring.buffer().byteBuffer());
        }
    }

    static final class Receiver implements MessageReceiver, MessageHandler
    {
        private final RingBuffer ring;
        private final AtomicBuffer buffer;
        private final int capacity;
        private final int tailOffset;
        private final int headOffset;
        private final MessageBody body;
        private long lastStamp;

        Receiver(final RingBuffer ring, final MessageBody body)
        {
            this.ring = ring;
            this.body = body;
            this.buffer = ring.buffer();
            this.capacity = ring.capacity();
            this.tailOffset = capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
            this.headOffset = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        }

        @Override
        public int poll(final int limit)
        {
            return ring.read(this, limit);
        }

        @Override
        public double fill()
        {
            // opaque, both: a snapshot of (producerPosition - consumerPosition) in bytes, records and padding
            // included; the tail (the producers' cache line) is the extra line touched, the head is this reader's.
            final long head = buffer.getLongOpaque(headOffset);
            final long tail = buffer.getLongOpaque(tailOffset);
            return FillHistogram.fraction(tail - head, capacity);
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            lastStamp = body.read(buffer, index);
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
            IoUtil.unmap(ring.buffer().byteBuffer());
        }
    }
}
