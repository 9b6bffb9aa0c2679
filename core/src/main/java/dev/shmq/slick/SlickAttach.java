package dev.shmq.slick;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.shmq.slick.SlickQueueDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_MAGIC_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_INITIALISING;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_LEGACY;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_READY;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_UNINITIALISED;
import static dev.shmq.slick.SlickQueueDescriptor.MAGIC;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.totalLength;

/**
 * Creating and attaching to a SlickQueue: the v1.4.0 handshake on {@code init_state} (one creator wins
 * {@code 0 -> 2}, initialises and publishes {@code 3}; everyone else waits for {@code 3} with a deadline), legacy
 * headers, and the validation of everything a header says against the mapped length and what the caller expects,
 * before a {@link SlickQueue} is made over the buffer. Reads nothing beyond the header and writes nothing to a
 * segment it attaches to.
 *
 * <p>Older segments are accepted as legacy: {@code init_state = 1} (pre-1.4 C++, after a short grace) and the v1.2
 * header slick_queue_py 1.0.1 writes ({@code init_state = 0}, no magic).
 */
final class SlickAttach
{
    /** How often attaching polls {@code init_state}: every millisecond, as C++. */
    static final long INIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How long a legacy ({@code init_state = 1}) header must have been seen before it is trusted: 5 ms, as C++. */
    static final long LEGACY_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Passed as the expected element size by {@link #open(String, int, SlickConfig)}: take the header's. */
    static final int HEADER_ELEMENT_SIZE = 0;

    private static final int ANY_CAPACITY = 0;
    private static final int CACHE_LINE_LENGTH = 64;
    private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;

    private SlickAttach()
    {
    }

    /**
     * Creates the object ({@code exclusive}: failing if the name exists) or creates or attaches, as C++
     * {@code SlickQueue<T>(size, name)}, then initialises it if this process wins {@code init_state}, or attaches.
     */
    static SlickQueue create(
        final String name, final int capacity, final int elementSize, final SlickConfig config, final boolean exclusive)
    {
        final int length = totalLength(capacity, elementSize);
        final ShmName shmName = config.shmName(name);
        final ShmSegment segment = exclusive ?
            ShmSegment.create(shmName, length, config.permissions()) :
            ShmSegment.createOrOpen(shmName, length, config.permissions(), HEADER_LENGTH, config.openTimeoutNanos());
        try
        {
            return initialiseOrAttach(segment, capacity, elementSize, length, config);
        }
        catch (final Throwable ex)
        {
            if (segment.isCreator())
            {
                // An object this call created but could not initialise would block every later attacher.
                segment.unlink();
            }
            segment.closeAndUnmap();
            throw ex;
        }
    }

    private static SlickQueue initialiseOrAttach(
        final ShmSegment segment, final int capacity, final int elementSize, final int length, final SlickConfig config)
    {
        final AtomicBuffer buffer = segment.buffer();
        // acquire: pairs with the release of init_state by whoever initialises or initialised the segment.
        final int state = buffer.getIntAcquire(INIT_STATE_OFFSET);
        if (INIT_STATE_UNINITIALISED == state && !isV12Header(buffer))
        {
            // A populated slick_queue_py (v1.2) header also has init_state 0: attach to it below instead of
            // wiping it as C++ v1.4.0 would. Otherwise this process may become the initialiser, so the object
            // must be long enough before anything is written.
            if (segment.length() < length)
            {
                throw new IllegalStateException(segment.name().path() + " length=" + segment.length() +
                    " (expected at least " + length + " for capacity=" + capacity + ", elementSize=" +
                    elementSize + ')');
            }
            // full fence (C++ acq_rel): exactly one process wins the right to initialise.
            if (buffer.compareAndSetInt(INIT_STATE_OFFSET, INIT_STATE_UNINITIALISED, INIT_STATE_INITIALISING))
            {
                if (segment.isSizedHere())
                {
                    // Sized by us with a hole behind the header: allocate its pages now, while nobody else may
                    // write it (init_state = 2), so a full tmpfs fails here rather than with SIGBUS later.
                    segment.allocate(HEADER_LENGTH);
                }
                SlickRing.initialise(buffer, capacity, elementSize);
                return new SlickQueue(buffer, segment, capacity, elementSize, true, true, config);
            }
        }
        return attach(segment, capacity, elementSize, config);
    }

    /** Attaches to an existing queue; {@link #HEADER_ELEMENT_SIZE} takes the header's element size. */
    static SlickQueue open(final String name, final int elementSize, final SlickConfig config)
    {
        final ShmSegment segment = ShmSegment.open(config.shmName(name), HEADER_LENGTH, config.openTimeoutNanos());
        try
        {
            return attach(segment, ANY_CAPACITY, elementSize, config);
        }
        catch (final Throwable ex)
        {
            segment.closeAndUnmap();
            throw ex;
        }
    }

    /** A queue over 64-byte aligned memory of this process, initialised as a shared creator would. */
    static SlickQueue local(final int capacity, final int elementSize, final SlickConfig config)
    {
        final int length = totalLength(capacity, elementSize);
        final AtomicBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, CACHE_LINE_LENGTH));
        // release: nobody else sees this memory yet; the same states as a shared creator, for the same layout.
        buffer.putIntRelease(INIT_STATE_OFFSET, INIT_STATE_INITIALISING);
        SlickRing.initialise(buffer, capacity, elementSize);
        return new SlickQueue(buffer, null, capacity, elementSize, true, true, config);
    }

    private static boolean isV12Header(final AtomicBuffer buffer)
    {
        // plain: slick_queue_py wrote these before anyone could map the object; they never change afterwards.
        return 0 != buffer.getInt(SIZE_OFFSET) && 0 != buffer.getInt(ELEMENT_SIZE_OFFSET);
    }

    /**
     * Waits for readiness, then validates the header against the mapped length and what the caller expects, reading
     * nothing beyond the header and writing nothing.
     */
    private static SlickQueue attach(
        final ShmSegment segment, final int expectedCapacity, final int elementSize, final SlickConfig config)
    {
        final boolean hasLastPublished = awaitReady(segment, config.openTimeoutNanos());
        final AtomicBuffer buffer = segment.buffer();
        // plain: published by the init_state we acquired (or written before anyone could map a legacy object).
        final long size = buffer.getInt(SIZE_OFFSET) & UNSIGNED_INT_MASK;
        final long headerElementSize = buffer.getInt(ELEMENT_SIZE_OFFSET) & UNSIGNED_INT_MASK;
        final String path = segment.name().path().toString();
        // relaxed is enough for reserved: only its size bits are checked, and they never exceed size in a valid
        // segment.
        SlickQueueDescriptor.checkHeader(
            path, size, headerElementSize, buffer.getLongOpaque(RESERVED_OFFSET), segment.length());
        if (ANY_CAPACITY != expectedCapacity && size != expectedCapacity)
        {
            throw new IllegalStateException(path + " size=" + size + " (expected " + expectedCapacity +
                ", the capacity asked for)");
        }
        if (HEADER_ELEMENT_SIZE != elementSize && headerElementSize != elementSize)
        {
            throw new IllegalStateException(path + " element_size=" + headerElementSize + " (expected " + elementSize +
                ", the element size asked for)");
        }
        // The total fits the mapping (an int), so the header's element size fits an int too.
        return new SlickQueue(buffer, segment, (int)size, (int)headerElementSize, hasLastPublished, false, config);
    }

    /**
     * Waits, up to the timeout, for a header another process has finished initialising.
     *
     * @return true for a v1.4 header (with {@code last_published}), false for a legacy one.
     */
    private static boolean awaitReady(final ShmSegment segment, final long initTimeoutNanos)
    {
        final AtomicBuffer buffer = segment.buffer();
        final long start = System.nanoTime();
        while (true)
        {
            // acquire: pairs with the initialiser's release of init_state, so the header fields below are complete.
            final int state = buffer.getIntAcquire(INIT_STATE_OFFSET);
            final long waited = System.nanoTime() - start;
            if (INIT_STATE_READY == state)
            {
                // plain: written before the release of init_state we acquired.
                final int magic = buffer.getInt(HEADER_MAGIC_OFFSET);
                if (MAGIC != magic)
                {
                    throw new IllegalStateException(segment.name().path() + " header_magic=0x" +
                        Integer.toHexString(magic) + " (expected 0x" + Integer.toHexString(MAGIC) +
                        " with init_state=" +
                        INIT_STATE_READY + ')');
                }
                return true;
            }
            if (INIT_STATE_LEGACY == state && isV12Header(buffer) && waited >= LEGACY_GRACE_NANOS)
            {
                return false;
            }
            if (INIT_STATE_UNINITIALISED == state && isV12Header(buffer))
            {
                // A v1.4 initialiser writes size only after taking init_state to 2: this is a v1.2 header.
                // plain: written before anyone could map the object.
                final int magic = buffer.getInt(HEADER_MAGIC_OFFSET);
                if (MAGIC == magic)
                {
                    throw new IllegalStateException(segment.name().path() + " header_magic=0x" +
                        Integer.toHexString(magic) + " with init_state=0 and size set (expected no magic in a v1.2 " +
                        "header, or init_state=" + INIT_STATE_READY + ')');
                }
                return false;
            }
            if (state < INIT_STATE_UNINITIALISED || state > INIT_STATE_READY)
            {
                throw new IllegalStateException(segment.name().path() + " init_state=" + state + " (expected " +
                    INIT_STATE_UNINITIALISED + " to " + INIT_STATE_READY + ')');
            }
            if (waited >= initTimeoutNanos)
            {
                throw new IllegalStateException("timed out waiting for initialisation of " + segment.name().path() +
                    ": init_state=" + state + " after waiting " + TimeUnit.NANOSECONDS.toMillis(waited) +
                    " ms (expected " + INIT_STATE_READY + ", or " + INIT_STATE_LEGACY +
                    " with size and element_size set, within " + TimeUnit.NANOSECONDS.toMillis(initTimeoutNanos) +
                    " ms)");
            }
            LockSupport.parkNanos(INIT_POLL_NANOS);
        }
    }
}
