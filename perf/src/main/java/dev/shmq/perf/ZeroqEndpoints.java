package dev.shmq.perf;

import dev.shmq.core.MessageHandler;
import dev.shmq.core.PhasedBackoffIdleStrategy;
import dev.shmq.core.QueueConfig;
import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.zeroq.ZeroqDescriptor;
import dev.shmq.zeroq.ZeroqQueue;
import dev.shmq.zeroq.ZeroqRange;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * shmq zeroq endpoints: busy-spin on {@code tryClaim}/{@code tryAcquire}, waiting with the queue's idle strategy
 * ({@code claim}/{@code acquire}), or batches ({@code tryClaim(k)}/{@code drain}). All write and read in place.
 */
final class ZeroqEndpoints
{
    static final String IDLE_SPIN = "spin";
    static final String IDLE_DEFAULT = "default";
    static final String IDLE_YIELD = "yield";
    static final String IDLE_SLEEP_1MS = "sleep1ms";
    static final String IDLE_BACKOFF_PREFIX = "backoff-max-park-us:";

    private static final int BATCH = 64;
    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private ZeroqEndpoints()
    {
    }

    static Supplier<IdleStrategy> idleStrategy(final String idle)
    {
        if (idle.startsWith(IDLE_BACKOFF_PREFIX))
        {
            // the default phases with another longest park, to explore wake-up latency against idle CPU
            final long maxParkNanos = TimeUnit.MICROSECONDS.toNanos(
                Long.parseLong(idle.substring(IDLE_BACKOFF_PREFIX.length())));
            return () -> new PhasedBackoffIdleStrategy(QueueConfig.DEFAULT_SPIN_NANOS, QueueConfig.DEFAULT_YIELD_NANOS,
                Math.min(QueueConfig.DEFAULT_MIN_PARK_NANOS, maxParkNanos), maxParkNanos);
        }
        switch (idle)
        {
            case IDLE_SPIN:
                return BusySpinIdleStrategy::new;
            case IDLE_YIELD:
                return YieldingIdleStrategy::new;
            case IDLE_SLEEP_1MS:
                return () -> new SleepingMillisIdleStrategy(1);
            case IDLE_DEFAULT:
                return QueueConfig::defaultIdleStrategy;
            default:
                throw new IllegalArgumentException("idle=" + idle + " (expected spin, default, yield or sleep1ms)");
        }
    }

    static ZeroqQueue createOrOpen(final WorkerSpec spec)
    {
        final ZeroqConfig config = new ZeroqConfig()
            .idleStrategy(idleStrategy(spec.string(WorkerSpec.IDLE, IDLE_DEFAULT)))
            .openTimeout(5, TimeUnit.SECONDS);
        final String name = spec.string(WorkerSpec.NAME);
        return spec.flag(WorkerSpec.CREATOR) ?
            ZeroqQueue.create(name, spec.integer(WorkerSpec.SLOTS, 1024),
                spec.integer(WorkerSpec.PAYLOAD, Long.BYTES), config) :
            ZeroqQueue.open(name, config);
    }

    static MessageReceiver receiver(final WorkerSpec spec, final BenchSystem system)
    {
        final ZeroqQueue queue = createOrOpen(spec);
        final MessageBody body = MessageBody.of(queue.elementSize());
        return BenchSystem.ZEROQ_BATCH == system ? new DrainReceiver(queue, body) :
            new Receiver(queue, body, BenchSystem.ZEROQ == system);
    }

    static MessageSender sender(final WorkerSpec spec, final BenchSystem system)
    {
        final ZeroqQueue queue = createOrOpen(spec);
        return BenchSystem.ZEROQ_BATCH == system ? new BatchSender(queue) :
            new Sender(queue, BenchSystem.ZEROQ == system);
    }

    /**
     * One element per call: {@code tryClaim} (spin) or {@code claim} (waiting), the element written in place,
     * {@code commit}. Apart from {@link BatchSender}, so that neither branches on its mode per call (the send loop
     * inlines either: see {@code BenchProcesses.INLINE_HARNESS}).
     */
    static final class Sender implements MessageSender
    {
        private final ZeroqQueue queue;
        private final AtomicBuffer buffer;
        private final MessageBody body;
        private final boolean waiting;

        Sender(final ZeroqQueue queue, final boolean waiting)
        {
            this.queue = queue;
            this.buffer = queue.buffer();
            this.body = MessageBody.of(queue.elementSize());
            this.waiting = waiting;
        }

        @Override
        public boolean offer(final long stamp)
        {
            // The stamp goes into the message before the claim, so that the element is one pass between claim and
            // commit, as in the C++ peer (and Agrona's write): consumers wait at this position until the commit.
            body.prepare(stamp);
            final long position = waiting ? claim() : queue.tryClaim();
            if (ZeroqQueue.NO_POSITION == position)
            {
                return false;
            }
            body.write(buffer, queue.offset(position), stamp);
            queue.commit(position);
            return true;
        }

        private long claim()
        {
            try
            {
                return queue.claim(WAIT_NANOS, TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return ZeroqQueue.NO_POSITION;
            }
        }

        @Override
        public void close()
        {
            queue.close();
        }
    }

    /** Up to {@value #BATCH} elements per call: {@code tryClaim(k)}, each written in place, {@code commit(range)}. */
    static final class BatchSender implements MessageSender
    {
        private final ZeroqQueue queue;
        private final AtomicBuffer buffer;
        private final MessageBody body;
        private final ZeroqRange range = new ZeroqRange();

        BatchSender(final ZeroqQueue queue)
        {
            this.queue = queue;
            this.buffer = queue.buffer();
            this.body = MessageBody.of(queue.elementSize());
        }

        @Override
        public boolean offer(final long stamp)
        {
            return 1 == offerBatch(stamp, 1);
        }

        @Override
        public int offerBatch(final long stamp, final int limit)
        {
            body.prepare(stamp);
            final int claimed = queue.tryClaim(Math.min(limit, BATCH), range);
            final long first = range.position();
            for (int i = 0; i < claimed; i++)
            {
                body.write(buffer, queue.offset(first + i), stamp);
            }
            queue.commit(range);
            return claimed;
        }

        @Override
        public void close()
        {
            queue.close();
        }
    }

    static final class Receiver implements MessageReceiver
    {
        private final ZeroqQueue queue;
        private final AtomicBuffer buffer;
        private final MessageBody body;
        private final boolean waiting;
        private final int capacity;
        private long lastStamp;

        Receiver(final ZeroqQueue queue, final MessageBody body, final boolean waiting)
        {
            this.queue = queue;
            this.buffer = queue.buffer();
            this.body = body;
            this.waiting = waiting;
            this.capacity = queue.capacity();
        }

        @Override
        public double fill()
        {
            return ZeroqEndpoints.fill(buffer, capacity);
        }

        @Override
        public int poll(final int limit)
        {
            int taken = 0;
            while (taken < limit)
            {
                final long position = waiting && 0 == taken ? acquire() : queue.tryAcquire();
                if (ZeroqQueue.NO_POSITION == position)
                {
                    break;
                }
                lastStamp = body.read(buffer, queue.offset(position));
                queue.release(position);
                taken++;
            }
            return taken;
        }

        private long acquire()
        {
            try
            {
                return queue.acquire(WAIT_NANOS, TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return ZeroqQueue.NO_POSITION;
            }
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

    /** The ring's fill for {@link MessageReceiver#fill()}: {@code (enqueue_pos - dequeue_pos) / capacity}. */
    private static double fill(final AtomicBuffer buffer, final int capacity)
    {
        // opaque, both: a snapshot. Both positions share the header line, which the other side's CAS takes, so this
        // is the extra touch (once per progress check). Not size(): its clamps are branches, and one first taken
        // mid-run (a full ring, say) would deoptimise the consumer's loop there.
        final long dequeue = buffer.getLongOpaque(ZeroqDescriptor.DEQUEUE_POS_OFFSET);
        final long enqueue = buffer.getLongOpaque(ZeroqDescriptor.ENQUEUE_POS_OFFSET);
        return FillHistogram.fraction(enqueue - dequeue, capacity);
    }

    static final class DrainReceiver implements MessageReceiver, MessageHandler
    {
        private final ZeroqQueue queue;
        private final AtomicBuffer buffer;
        private final MessageBody body;
        private final int capacity;
        private long lastStamp;

        DrainReceiver(final ZeroqQueue queue, final MessageBody body)
        {
            this.queue = queue;
            this.buffer = queue.buffer();
            this.body = body;
            this.capacity = queue.capacity();
        }

        @Override
        public double fill()
        {
            return ZeroqEndpoints.fill(buffer, capacity);
        }

        @Override
        public int poll(final int limit)
        {
            return queue.drain(this, limit);
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length, final long position)
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
}
