package dev.shmq.perf.jmh;

import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.jctools.queues.MpmcArrayQueue;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One in-process queue under JMH: shmq's two in local mode (8-byte elements copied in and read in place) and the JVM
 * queues of references they are compared with (which move a preallocated object, so that boxing is not measured).
 */
abstract class LocalQueue
{
    static final int CAPACITY = 1 << 14;
    static final Object ELEMENT = new Object();

    abstract boolean offer(ProducerState producer);

    abstract boolean poll(ConsumerState consumer);

    void close()
    {
    }

    static LocalQueue of(final String type, final boolean sharedConsumers)
    {
        switch (type)
        {
            case "shmq-slick":
                return new Slick(sharedConsumers);
            case "shmq-zeroq":
                return new Zeroq();
            case "ArrayBlockingQueue":
                return new OfReferences(new ArrayBlockingQueue<>(CAPACITY));
            case "agrona-ManyToManyConcurrentArrayQueue":
                return new OfReferences(new ManyToManyConcurrentArrayQueue<>(CAPACITY));
            case "jctools-MpmcArrayQueue":
                return new OfReferences(new MpmcArrayQueue<>(CAPACITY));
            default:
                throw new IllegalArgumentException("queue=" + type + " (expected a benchmarked queue)");
        }
    }

    /** SlickQueue: reserve/publish; read with each consumer's own cursor (SPSC) or one shared cursor (MPMC). */
    static final class Slick extends LocalQueue
    {
        private final SlickQueue queue = SlickQueue.local(CAPACITY, Long.BYTES);
        private final AtomicCursor shared;

        Slick(final boolean sharedConsumers)
        {
            this.shared = sharedConsumers ? AtomicCursor.local() : null;
        }

        @Override
        boolean offer(final ProducerState producer)
        {
            final long index = queue.reserve();
            queue.buffer().putLong(queue.offset(index), index);
            queue.publish(index);
            return true;
        }

        @Override
        boolean poll(final ConsumerState consumer)
        {
            final boolean read = null == shared ?
                queue.read(consumer.cursor, consumer.entry) : queue.read(shared, consumer.entry);
            if (read)
            {
                consumer.sink = queue.buffer().getLong(consumer.entry.offset());
            }
            return read;
        }

        @Override
        void close()
        {
            queue.close();
        }
    }

    /** zeroq: offer(DirectBuffer)/poll(MutableDirectBuffer), the copying non-blocking API. */
    static final class Zeroq extends LocalQueue
    {
        private final ZeroqQueue queue = ZeroqQueue.local(CAPACITY, Long.BYTES);

        @Override
        boolean offer(final ProducerState producer)
        {
            final UnsafeBuffer message = producer.message;
            message.putLong(0, producer.sequence++);
            return queue.offer(message, 0, Long.BYTES);
        }

        @Override
        boolean poll(final ConsumerState consumer)
        {
            return queue.poll(consumer.message, 0);
        }

        @Override
        void close()
        {
            queue.close();
        }
    }

    static final class OfReferences extends LocalQueue
    {
        private final Queue<Object> queue;

        OfReferences(final Queue<Object> queue)
        {
            this.queue = queue;
        }

        @Override
        boolean offer(final ProducerState producer)
        {
            return queue.offer(ELEMENT);
        }

        @Override
        boolean poll(final ConsumerState consumer)
        {
            return null != queue.poll();
        }
    }
}
