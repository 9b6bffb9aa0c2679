package dev.shmq.examples;

import dev.shmq.core.MessageHandler;
import dev.shmq.layout.CStruct;
import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The code of every example in README.md, between {@code tag::name[]} and {@code end::name[]} markers.
 * {@link ReadmeExamplesTest} runs each one, across processes where the example is about processes, and checks
 * that README.md shows exactly this code.
 */
final class ReadmeExamples
{
    /** What a camera writes into a frame in place, and an encoder reads in place (stand-ins for real devices). */
    interface Camera
    {
        void capture(MutableDirectBuffer buffer, int offset);
    }

    interface Encoder
    {
        void encode(DirectBuffer buffer, int offset, int length);
    }

    private ReadmeExamples()
    {
    }

    static long zeroqInProcess() throws InterruptedException
    {
        // tag::zeroq-in-process[]
        try (ZeroqQueue queue = ZeroqQueue.local(1024, 16))      // capacity (power of two), element size
        {
            final UnsafeBuffer order = new UnsafeBuffer(new byte[16]);
            order.putLong(0, 42);                                 // order id
            order.putLong(8, 101_250);                            // price in ticks
            queue.put(order, 0, 16);                              // waits while the queue is full

            final UnsafeBuffer received = new UnsafeBuffer(new byte[16]);
            queue.take(received, 0);                              // waits while it is empty
            return received.getLong(8);
        }
        // end::zeroq-in-process[]
    }

    static void zeroqProducer(final String name, final int count) throws InterruptedException
    {
        // tag::zeroq-producer[]
        // Fails if the name exists. The creator unlinks the name on close unless told not to: here the consumer does.
        final ZeroqConfig config = new ZeroqConfig().unlinkOnClose(false);
        try (ZeroqQueue queue = ZeroqQueue.create(name, 1024, 16, config))
        {
            final UnsafeBuffer order = new UnsafeBuffer(new byte[16]);
            for (long id = 0; id < count; id++)
            {
                order.putLong(0, id);
                order.putLong(8, 100_000 + id);
                if (!queue.offer(order, 0, 16, 10, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("queue full for 10 s: is the consumer running?");
                }
            }
        }
        // end::zeroq-producer[]
    }

    static long zeroqConsumer(final String name, final int count) throws InterruptedException
    {
        long sum = 0;
        // tag::zeroq-consumer[]
        try (ZeroqQueue queue = ZeroqQueue.open(name))          // element size and capacity come from the header
        {
            final ZeroqPyQueue py = new ZeroqPyQueue(queue);      // zeroq.Queue's calls: bytes in and out, Full/Empty
            for (int i = 0; i < count; i++)
            {
                final byte[] order = py.get(5, TimeUnit.SECONDS); // QueueEmptyException after 5 s, as zeroq's Empty
                sum += new UnsafeBuffer(order).getLong(8);
            }
            queue.unlink();                                       // done with the name: remove it
        }
        // end::zeroq-consumer[]
        return sum;
    }

    static boolean zeroqBusySpin(final String name) throws InterruptedException
    {
        // tag::zeroq-busy-spin[]
        final ZeroqConfig lowLatency = new ZeroqConfig().idleStrategy(BusySpinIdleStrategy::new);
        try (ZeroqQueue queue = ZeroqQueue.open(name, lowLatency))
        {
            final UnsafeBuffer order = new UnsafeBuffer(new byte[queue.elementSize()]);
            return queue.poll(order, 0, 100, TimeUnit.MICROSECONDS); // false if nothing came within 100 us
        }
        // end::zeroq-busy-spin[]
    }

    static long zeroqDrain(final ZeroqQueue queue)
    {
        final long[] total = new long[1];
        // tag::zeroq-drain[]
        // One handler shape for both queues: the bytes in place, their length and the message's queue position.
        final MessageHandler onOrder = (buffer, offset, length, position) -> total[0] += buffer.getLong(offset + 8);
        while (queue.drain(onOrder, 64) > 0)                      // up to 64 orders per CAS on dequeue_pos
        {
            Thread.onSpinWait();
        }
        // end::zeroq-drain[]
        return total[0];
    }

    static void zeroqFrameProducer(final String name, final Camera camera, final int frames)
        throws InterruptedException
    {
        // tag::zeroq-frames-producer[]
        final int frameSize = 1920 * 1080 * 3;
        try (ZeroqQueue queue = ZeroqQueue.create(name, 4, frameSize, new ZeroqConfig().unlinkOnClose(false)))
        {
            for (int i = 0; i < frames; i++)
            {
                final long position = queue.claim(10, TimeUnit.SECONDS); // a free cell, or NO_POSITION on timeout
                if (ZeroqQueue.NO_POSITION == position)
                {
                    throw new IllegalStateException("no free frame for 10 s: is the encoder running?");
                }
                camera.capture(queue.buffer(), queue.offset(position));  // written in place: the only copy
                queue.commit(position);
            }
        }
        // end::zeroq-frames-producer[]
    }

    static void zeroqFrameConsumer(final String name, final Encoder encoder, final int frames)
        throws InterruptedException
    {
        // tag::zeroq-frames-consumer[]
        try (ZeroqQueue queue = ZeroqQueue.open(name))
        {
            for (int i = 0; i < frames; i++)
            {
                final long position = queue.acquire(5, TimeUnit.SECONDS);
                if (ZeroqQueue.NO_POSITION == position)
                {
                    throw new IllegalStateException("no frame for 5 s");
                }
                encoder.encode(queue.buffer(), queue.offset(position), queue.elementSize()); // read in place
                queue.release(position);
            }
            queue.unlink();
        }
        // end::zeroq-frames-consumer[]
    }

    static String slickLocal()
    {
        // tag::slick-local[]
        try (SlickQueue queue = SlickQueue.local(1024, 64))      // lossy ring: producers never wait
        {
            final long index = queue.reserve();
            queue.buffer().putStringWithoutLengthAscii(queue.offset(index), "BUY 100 ESZ6");
            queue.publish(index);

            final SlickCursor cursor = new SlickCursor();         // one per reader: every reader sees every entry
            final SlickEntry entry = new SlickEntry();            // reused: reading allocates nothing
            if (queue.read(cursor, entry))
            {
                return queue.buffer().getStringWithoutLengthAscii(entry.offset(), 12);
            }
            return null;
        }
        // end::slick-local[]
    }

    static void slickPublisher(final String name, final List<String> messages)
    {
        // tag::slick-publisher[]
        // Variable-length messages: 1-byte elements, one entry of n elements per message. Create, or attach if it
        // exists, as C++ SlickQueue<T>(size, name) does (create() would fail if it exists). As in C++, the creator
        // unlinks the name on close unless told not to: here a later reader does.
        final SlickConfig config = new SlickConfig().unlinkOnClose(false);
        try (SlickQueue queue = SlickQueue.createOrOpen(name, 1 << 16, 1, config))
        {
            for (final String message : messages)
            {
                final int length = message.length();
                final long index = queue.reserve(length);
                queue.buffer().putStringWithoutLengthAscii(queue.offset(index), message);
                queue.publish(index, length);
            }
        }
        // end::slick-publisher[]
    }

    static List<String> slickSubscriber(final String name, final int count) throws InterruptedException
    {
        final List<String> received = new ArrayList<>();
        // tag::slick-subscriber[]
        try (SlickQueue queue = SlickQueue.open(name, 1))        // waits up to 2 s for the creator's handshake
        {
            final SlickCursor cursor = new SlickCursor(0);        // or queue.initialReadingIndex(): new data only
            final SlickEntry entry = new SlickEntry();
            while (received.size() < count && queue.read(cursor, entry, 1, TimeUnit.SECONDS)) // false after 1 s
            {
                received.add(queue.buffer().getStringWithoutLengthAscii(entry.offset(), entry.length()));
            }
            if (cursor.lossCount() > 0)
            {
                System.err.println("lapped by the producers: lost " + cursor.lossCount() + " elements");
            }
        }
        // end::slick-subscriber[]
        return received;
    }

    static long slickWorker(final String queueName, final String cursorName)
    {
        long processed = 0;
        // tag::slick-work-stealing[]
        try (SlickQueue queue = SlickQueue.open(queueName, 64);
            AtomicCursor cursor = AtomicCursor.open(cursorName))  // 8 bytes in shared memory, one for all workers
        {
            final SlickEntry entry = new SlickEntry();
            while (queue.read(cursor, entry))                     // each entry goes to exactly one worker
            {
                processed += queue.buffer().getLong(entry.offset());
            }
        }
        // end::slick-work-stealing[]
        return processed;
    }

    static long slickFromCpp(final String name, final int count)
    {
        long lastPrice = -1;
        // tag::slick-from-cpp[]
        // C++: struct Order { uint64_t id; int64_t price_ticks; };  slick::SlickQueue<Order> queue(1024, "orders");
        final CStruct orderLayout = CStruct.builder("Order").u64("id").i64("price_ticks").build();
        final int priceOffset = orderLayout.offsetOf("price_ticks");

        try (SlickQueue queue = SlickQueue.open(name, orderLayout.size())) // element size = sizeof(Order)
        {
            final SlickCursor cursor = new SlickCursor();
            final SlickEntry entry = new SlickEntry();
            for (int i = 0; i < count; )
            {
                if (queue.read(cursor, entry))
                {
                    lastPrice = queue.buffer().getLong(entry.offset() + priceOffset);
                    i++;
                }
            }
        }
        // end::slick-from-cpp[]
        return lastPrice;
    }

    /**
     * Runs one example in a child JVM.
     *
     * @param args example name, then its arguments.
     * @throws Exception if the example fails.
     */
    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "zeroq-consumer":
                System.out.println("SUM " + zeroqConsumer(args[1], Integer.parseInt(args[2])));
                break;
            case "zeroq-frames-consumer":
                final FrameCheck check = new FrameCheck();
                zeroqFrameConsumer(args[1], check, Integer.parseInt(args[2]));
                System.out.println("FRAMES " + check.frames);
                break;
            case "slick-subscriber":
                System.out.println("RECEIVED " + String.join(",", slickSubscriber(args[1], Integer.parseInt(args[2]))));
                break;
            case "slick-worker":
                System.out.println("PROCESSED " + slickWorker(args[1], args[2]));
                break;
            default:
                throw new IllegalArgumentException("example=" + args[0]);
        }
    }

    /** A camera that paints frame {@code n} with byte value {@code n}, and the check that reads it back. */
    static final class FramePattern implements Camera
    {
        private byte next;

        @Override
        public void capture(final MutableDirectBuffer buffer, final int offset)
        {
            buffer.setMemory(offset, 1920 * 1080 * 3, next++);
        }
    }

    static final class FrameCheck implements Encoder
    {
        private int frames;

        @Override
        public void encode(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte expected = (byte)frames;
            for (int i = 0; i < length; i += 4096)
            {
                if (buffer.getByte(offset + i) != expected || buffer.getByte(offset + length - 1) != expected)
                {
                    throw new IllegalStateException("frame " + frames + " byte " + i);
                }
            }
            frames++;
        }
    }
}
