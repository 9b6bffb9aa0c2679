package dev.shmq.slick;

import dev.shmq.core.BufferBounds;
import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static dev.shmq.slick.SlickQueueDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.HEADER_MAGIC_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_INITIALISING;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_LEGACY;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_READY;
import static dev.shmq.slick.SlickQueueDescriptor.INIT_STATE_UNINITIALISED;
import static dev.shmq.slick.SlickQueueDescriptor.LAST_PUBLISHED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.MAGIC;
import static dev.shmq.slick.SlickQueueDescriptor.MAX_ENTRY_ELEMENTS;
import static dev.shmq.slick.SlickQueueDescriptor.NONE;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_INDEX_SHIFT;
import static dev.shmq.slick.SlickQueueDescriptor.RESERVED_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_LENGTH;
import static dev.shmq.slick.SlickQueueDescriptor.SLOT_SIZE_OFFSET;
import static dev.shmq.slick.SlickQueueDescriptor.dataOffset;
import static dev.shmq.slick.SlickQueueDescriptor.packReserved;
import static dev.shmq.slick.SlickQueueDescriptor.reservedIndex;
import static dev.shmq.slick.SlickQueueDescriptor.reservedSize;
import static dev.shmq.slick.SlickQueueDescriptor.totalLength;

/**
 * A SlickQueue v1.4.0 ring: lossy, multi-producer, read by readers that each own a {@link SlickCursor} (broadcast) or
 * share an {@link AtomicCursor} (work-stealing). Wire-compatible with C++ {@code slick::SlickQueue<T>} and
 * slick_queue_py: every write and read-modify-write on shared memory is the one the C++ makes, in the same order and
 * at least as strong, so a C++ or Python peer cannot tell this process from one of its own.
 *
 * <p>Where it deliberately differs from C++ v1.4.0, invisibly to peers: {@link #readLast(SlickEntry)} masks the slot
 * index; a reader reloads {@code reserved} (for reset detection) only when a slot holds an index beyond the last one
 * it saw; {@link #create} attaches to a populated v1.2 header instead of re-initialising it; slot sizes read from
 * shared memory are checked against the ring before an entry is returned.
 *
 * <p>Producing is zero-copy: {@link #reserve()} (or {@link #reserve(int)} for an entry of several elements), write the
 * element(s) at {@link #offset(long)} in {@link #buffer()}, then {@link #publish(long)}. Producers never wait: a
 * producer that laps a slow reader overwrites old entries, and the reader skips ahead and counts what it lost.
 *
 * <p>Attaching follows the v1.4.0 handshake on {@code init_state}: one creator wins {@code 0 -> 2}, initialises and
 * publishes {@code 3}; everyone else waits for {@code 3} with a deadline. Older segments are accepted as legacy:
 * {@code init_state = 1} (pre-1.4 C++, after a short grace) and the v1.2 header slick_queue_py 1.0.1 writes
 * ({@code init_state = 0}, no magic). {@code last_published} is neither read nor written on a legacy segment.
 *
 * <p>Thread safety: producing and {@link #read(AtomicCursor, SlickEntry)} are safe from any thread; a
 * {@link SlickCursor} belongs to one thread; {@link #reset()} needs the queue to be quiet. {@link #close()} may run
 * while other threads are inside calls: those complete or throw {@link IllegalStateException} saying the queue is
 * closed, and every call after it throws that. The memory stays mapped until the queue is unreachable, so no call
 * can touch unmapped memory.
 *
 * <p>Nothing read from shared memory is trusted: a slot whose size no producer could have written is read as "not
 * ready" (a producer may be rewriting it) rather than followed, and no read path reports a valid queue as corrupt.
 * Arguments are checked before anything is stored.
 */
public final class SlickQueue implements AutoCloseable
{
    /** How long attaching waits for the creator to finish initialising unless told otherwise: 2 s, as C++. */
    public static final long DEFAULT_INIT_TIMEOUT_NANOS = SlickConfig.DEFAULT_INIT_TIMEOUT_NANOS;

    /** How often attaching polls {@code init_state}: every millisecond, as C++. */
    public static final long INIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How long a legacy ({@code init_state = 1}) header must have been seen before it is trusted: 5 ms, as C++. */
    public static final long LEGACY_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** The largest capacity the layout allows (the slot array must stay addressable by an int). */
    public static final int MAX_CAPACITY = 1 << 30;

    private static final int CACHE_LINE_LENGTH = 64;
    /** Passed as the expected element size by {@link #open(String)}: take the header's. */
    private static final int HEADER_ELEMENT_SIZE = 0;
    private static final int SLOT_OVERWRITTEN = -1;
    private static final int SLOT_UNSETTLED = -2;
    private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;
    private static final long SINGLE_STEP = 1L << RESERVED_INDEX_SHIFT;

    private final AtomicBuffer buffer;
    private final ShmSegment segment;
    private final int capacity;
    private final long mask;
    private final int elementSize;
    private final int dataOffset;
    private final boolean hasLastPublished;
    private final boolean creator;
    private final AtomicLong lossTotal = new AtomicLong();
    private final boolean unlinkOnClose;
    private volatile boolean closed;

    private SlickQueue(
        final AtomicBuffer buffer,
        final ShmSegment segment,
        final int capacity,
        final int elementSize,
        final boolean hasLastPublished,
        final boolean creator,
        final SlickConfig config)
    {
        this.unlinkOnClose = null != segment && config.resolveUnlinkOnClose(creator);
        // Every atomic field is 8-byte aligned relative to the base, so the base must be too (a mapping is page
        // aligned, local memory 64-byte aligned); under -Dagrona.strict.alignment.checks=true a heap buffer fails.
        buffer.verifyAlignment();
        this.buffer = buffer;
        this.segment = segment;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.elementSize = elementSize;
        this.dataOffset = dataOffset(capacity);
        this.hasLastPublished = hasLastPublished;
        this.creator = creator;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Creating and attaching
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Creates the queue, or attaches to it if it exists, as C++ {@code SlickQueue<T>(size, name)}: waits up to
     * {@link #DEFAULT_INIT_TIMEOUT_NANOS} for another creator to finish initialising.
     *
     * @param name        the shared-memory object's name.
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes ({@code sizeof(T)} of C++ peers).
     * @return the queue; {@link #isCreator()} tells whether this call initialised it.
     * @throws IllegalArgumentException for a bad name, capacity or element size.
     * @throws IllegalStateException    if an existing queue has another capacity or element size, its header is
     *                                  invalid, or its initialisation does not complete in time.
     */
    public static SlickQueue create(final String name, final int capacity, final int elementSize)
    {
        return create(name, capacity, elementSize, new SlickConfig());
    }

    /**
     * Creates the queue, or attaches to it if it exists, as C++ {@code SlickQueue<T>(size, name)}.
     *
     * @param name             the shared-memory object's name.
     * @param capacity         the number of slots, a power of two.
     * @param elementSize      the element size in bytes ({@code sizeof(T)} of C++ peers).
     * @param initTimeoutNanos how long to wait for another creator to finish initialising.
     * @return the queue; {@link #isCreator()} tells whether this call initialised it.
     * @throws IllegalArgumentException for a bad name, capacity or element size.
     * @throws IllegalStateException    if an existing queue has another capacity or element size, its header is
     *                                  invalid, or its initialisation does not complete in time.
     */
    public static SlickQueue create(
        final String name, final int capacity, final int elementSize, final long initTimeoutNanos)
    {
        return create(
            name, capacity, elementSize, new SlickConfig().initTimeout(initTimeoutNanos, TimeUnit.NANOSECONDS));
    }

    /**
     * Creates the queue, or attaches to it if it exists, as C++ {@code SlickQueue<T>(size, name)}. An existing object
     * that stays empty for the whole wait was left by a creator killed before sizing it: this call sizes it and
     * initialises it, as C++ does.
     *
     * @param name        the shared-memory object's name.
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes ({@code sizeof(T)} of C++ peers).
     * @param config      the wait for another creator, and whether {@link #close()} unlinks.
     * @return the queue; {@link #isCreator()} tells whether this call initialised it.
     * @throws IllegalArgumentException for a bad name, capacity or element size.
     * @throws IllegalStateException    if an existing queue has another capacity or element size, its header is
     *                                  invalid, or its initialisation does not complete in time.
     */
    public static SlickQueue create(
        final String name, final int capacity, final int elementSize, final SlickConfig config)
    {
        final int length = totalLength(capacity, elementSize);
        final ShmName shmName = config.shmName(name);
        final long initTimeoutNanos = config.initTimeoutNanos();
        final ShmSegment segment = ShmSegment.createOrOpen(
            shmName, length, config.permissions(), HEADER_LENGTH, initTimeoutNanos);
        try
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
                    initialise(buffer, capacity, elementSize);
                    return new SlickQueue(buffer, segment, capacity, elementSize, true, true, config);
                }
            }
            return attach(segment, capacity, elementSize, config);
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

    /**
     * Attaches to an existing queue, as C++ {@code SlickQueue<T>(name)}, waiting up to
     * {@link #DEFAULT_INIT_TIMEOUT_NANOS} for its creator to finish initialising.
     *
     * @param name        the shared-memory object's name.
     * @param elementSize the element size this process expects.
     * @return the queue, with the capacity its header holds.
     * @throws IllegalArgumentException for a bad name or element size.
     * @throws IllegalStateException    if the object is missing, its header is invalid or has another element size,
     *                                  or its initialisation does not complete in time.
     */
    public static SlickQueue open(final String name, final int elementSize)
    {
        return open(name, elementSize, new SlickConfig());
    }

    /**
     * Attaches to an existing queue, as C++ {@code SlickQueue<T>(name)}.
     *
     * @param name             the shared-memory object's name.
     * @param elementSize      the element size this process expects.
     * @param initTimeoutNanos how long to wait for the creator to size and initialise the object.
     * @return the queue, with the capacity its header holds.
     * @throws IllegalArgumentException for a bad name or element size.
     * @throws IllegalStateException    if the object is missing, its header is invalid or has another element size,
     *                                  or its initialisation does not complete in time.
     */
    public static SlickQueue open(final String name, final int elementSize, final long initTimeoutNanos)
    {
        return open(name, elementSize, new SlickConfig().initTimeout(initTimeoutNanos, TimeUnit.NANOSECONDS));
    }

    /**
     * Attaches to an existing queue, as C++ {@code SlickQueue<T>(name)}.
     *
     * @param name        the shared-memory object's name.
     * @param elementSize the element size this process expects.
     * @param config      the wait for the creator, and whether {@link #close()} unlinks (by default it does not).
     * @return the queue, with the capacity its header holds.
     * @throws IllegalArgumentException for a bad name or element size.
     * @throws IllegalStateException    if the object is missing, its header is invalid or has another element size,
     *                                  or its initialisation does not complete in time.
     */
    public static SlickQueue open(final String name, final int elementSize, final SlickConfig config)
    {
        if (elementSize < 1)
        {
            throw new IllegalArgumentException("elementSize=" + elementSize + " (expected at least 1)");
        }
        return openExisting(name, elementSize, config);
    }

    /**
     * Attaches to an existing queue, taking the element size from its header (validated against the object's
     * length), as zeroq's {@code open} does. Check {@link #elementSize()} against {@code sizeof(T)} before use.
     *
     * @param name the shared-memory object's name.
     * @return the queue, with the capacity and element size its header holds.
     * @throws IllegalArgumentException for a bad name.
     * @throws IllegalStateException    if the object is missing, its header is invalid, or its initialisation does
     *                                  not complete in time.
     */
    public static SlickQueue open(final String name)
    {
        return open(name, new SlickConfig());
    }

    /**
     * Attaches to an existing queue, taking the element size from its header, as {@link #open(String)}.
     *
     * @param name   the shared-memory object's name.
     * @param config the wait for the creator, the directory, and whether {@link #close()} unlinks.
     * @return the queue, with the capacity and element size its header holds.
     * @throws IllegalArgumentException for a bad name.
     * @throws IllegalStateException    if the object is missing, its header is invalid, or its initialisation does
     *                                  not complete in time.
     */
    public static SlickQueue open(final String name, final SlickConfig config)
    {
        return openExisting(name, HEADER_ELEMENT_SIZE, config);
    }

    private static SlickQueue openExisting(final String name, final int elementSize, final SlickConfig config)
    {
        final ShmSegment segment = ShmSegment.open(config.shmName(name), HEADER_LENGTH, config.initTimeoutNanos());
        try
        {
            return attach(segment, 0, elementSize, config);
        }
        catch (final Throwable ex)
        {
            segment.closeAndUnmap();
            throw ex;
        }
    }

    /**
     * A queue in this process only, as C++ {@code SlickQueue<T>(size)}: the same layout in a 64-byte aligned direct
     * buffer, so it behaves exactly as a shared one.
     *
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes.
     * @return the queue.
     * @throws IllegalArgumentException for a bad capacity or element size.
     */
    public static SlickQueue local(final int capacity, final int elementSize)
    {
        final int length = totalLength(capacity, elementSize);
        final AtomicBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, CACHE_LINE_LENGTH));
        // release: nobody else sees this memory yet; the same states as a shared creator, for the same layout.
        buffer.putIntRelease(INIT_STATE_OFFSET, INIT_STATE_INITIALISING);
        initialise(buffer, capacity, elementSize);
        return new SlickQueue(buffer, null, capacity, elementSize, true, true, new SlickConfig());
    }

    private static void initialise(final AtomicBuffer buffer, final int capacity, final int elementSize)
    {
        // release, as C++: nobody reads the magic before init_state = 3 anyway.
        buffer.putIntRelease(HEADER_MAGIC_OFFSET, MAGIC);
        // plain: the release of init_state below publishes these to every attacher.
        buffer.putLong(RESERVED_OFFSET, 0);
        buffer.putLong(LAST_PUBLISHED_OFFSET, NONE);
        buffer.putInt(SIZE_OFFSET, capacity);
        buffer.putInt(ELEMENT_SIZE_OFFSET, elementSize);
        clearSlots(buffer, capacity);
        // release: everything above is visible to whoever acquires init_state = 3.
        buffer.putIntRelease(INIT_STATE_OFFSET, INIT_STATE_READY);
    }

    private static void clearSlots(final AtomicBuffer buffer, final int capacity)
    {
        for (int i = 0, offset = HEADER_LENGTH; i < capacity; i++, offset += SLOT_LENGTH)
        {
            // plain: published by the release that follows (init_state, or reserved in reset()).
            buffer.putInt(offset + SLOT_SIZE_OFFSET, 1);
            buffer.putLong(offset + SLOT_DATA_INDEX_OFFSET, NONE);
        }
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
        final long initTimeoutNanos = config.initTimeoutNanos();
        final AtomicBuffer buffer = segment.buffer();
        final long start = System.nanoTime();
        final boolean hasLastPublished;
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
                hasLastPublished = true;
                break;
            }
            if (INIT_STATE_LEGACY == state && isV12Header(buffer) && waited >= LEGACY_GRACE_NANOS)
            {
                hasLastPublished = false;
                break;
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
                hasLastPublished = false;
                break;
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

        // plain: published by the init_state we acquired (or written before anyone could map a legacy object).
        final long size = buffer.getInt(SIZE_OFFSET) & UNSIGNED_INT_MASK;
        final long headerElementSize = buffer.getInt(ELEMENT_SIZE_OFFSET) & UNSIGNED_INT_MASK;
        final String path = segment.name().path().toString();
        if (size < 1 || size > MAX_CAPACITY || (size & (size - 1)) != 0)
        {
            throw new IllegalStateException(path + " size=" + size + " (expected a power of two in [1, " +
                MAX_CAPACITY + "])");
        }
        if (0 != expectedCapacity && size != expectedCapacity)
        {
            throw new IllegalStateException(path + " size=" + size + " (expected " + expectedCapacity +
                ", the capacity asked for)");
        }
        if (HEADER_ELEMENT_SIZE == elementSize ? headerElementSize < 1 : headerElementSize != elementSize)
        {
            throw new IllegalStateException(path + " element_size=" + headerElementSize + " (expected " +
                (HEADER_ELEMENT_SIZE == elementSize ? "at least 1" : elementSize + ", the element size asked for") +
                ')');
        }
        final long total = HEADER_LENGTH + size * (SLOT_LENGTH + headerElementSize);
        if (total > segment.length())
        {
            throw new IllegalStateException(path + " length=" + segment.length() + " (expected at least " + total +
                " for size=" + size + ", element_size=" + headerElementSize + ')');
        }
        // relaxed is enough: only the size bits are checked, and they never exceed size in a valid segment.
        final long reservedSize = reservedSize(buffer.getLongOpaque(RESERVED_OFFSET));
        if (reservedSize > size)
        {
            throw new IllegalStateException(path + " reserved size bits=" + reservedSize + " (expected at most size=" +
                size + ')');
        }
        // The total fits the mapping (an int), so the header's element size fits an int too.
        return new SlickQueue(buffer, segment, (int)size, (int)headerElementSize, hasLastPublished, false, config);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Producing
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Reserves one element, as C++ {@code reserve()}: one {@code fetch_add} on {@code reserved}, and one
     * {@code compare_exchange} to put 1 in its size bits when the last reservation was of another size.
     *
     * @return the index to write at {@link #offset(long)} and then {@link #publish(long)}.
     * @throws IllegalStateException if the queue is closed.
     */
    public long reserve()
    {
        checkOpen();
        return reserveOne();
    }

    private long reserveOne()
    {
        final AtomicBuffer buffer = this.buffer;
        // full fence (C++ release): takes the next index, racing every other producer's reserve on this word.
        final long prev = buffer.getAndAddLong(RESERVED_OFFSET, SINGLE_STEP);
        final long index = reservedIndex(prev);
        final long prevSize = reservedSize(prev);
        if (1 != prevSize)
        {
            // full fence (C++ release): record "last reservation was 1"; failure means someone moved on: ignored.
            buffer.compareAndSetLong(RESERVED_OFFSET, packReserved(index + 1, prevSize), packReserved(index + 1, 1));
        }
        return index;
    }

    /**
     * Reserves an entry of {@code n} consecutive elements, as C++ {@code reserve(n)}: a CAS loop on {@code reserved}
     * that skips to the start of the next lap when the entry would cross the end of the ring, leaving a wrap marker
     * for readers in the slot it skipped from.
     *
     * @param n the number of elements, {@code 1 <= n <= min(capacity, 65535)}.
     * @return the index of the first element; write them at {@link #offset(long)}, then {@link #publish(long, int)}.
     * @throws IllegalArgumentException if {@code n} is out of range.
     */
    public long reserve(final int n)
    {
        checkEntryElements(n);
        checkOpen();
        if (1 == n)
        {
            return reserveOne();
        }
        final AtomicBuffer buffer = this.buffer;
        final long mask = this.mask;
        final int capacity = this.capacity;
        // relaxed: only a guess for the CAS, which validates it.
        long reserved = buffer.getLongOpaque(RESERVED_OFFSET);
        long index;
        boolean wrapped;
        while (true)
        {
            index = reservedIndex(reserved);
            final long slot = index & mask;
            wrapped = slot + n > capacity;
            if (wrapped)
            {
                index += capacity - slot;
            }
            // full fence (C++ release on success): on failure it returns the value seen, as compare_exchange_weak.
            final long witness = buffer.compareAndExchangeLong(RESERVED_OFFSET, reserved, packReserved(index + n, n));
            if (witness == reserved)
            {
                break;
            }
            reserved = witness;
            Thread.onSpinWait();
        }
        if (wrapped)
        {
            final int markerOffset = slotOffset(reservedIndex(reserved));
            // plain: ordered before data_index by the release below.
            buffer.putInt(markerOffset + SLOT_SIZE_OFFSET, n);
            // release: a reader that acquires the marker's index sees its size ("continue at index").
            buffer.putLongRelease(markerOffset + SLOT_DATA_INDEX_OFFSET, index);
        }
        return index;
    }

    /**
     * Reserves {@code count} entries of one element each with a single {@code fetch_add} on {@code reserved}: the
     * word ends as {@code count} calls of {@link #reserve()} leave it (size bits 1 after the same fix-up CAS), so no
     * peer can tell the difference. Single-element entries never cross the end of the ring, so no wrap marker.
     *
     * @param count the number of entries, {@code 1 <= count <= capacity}.
     * @return the index of the first entry; the others follow it; publish with {@link #publishBatch(long, int)}.
     * @throws IllegalArgumentException if {@code count} is out of range.
     */
    public long reserveBatch(final int count)
    {
        if (count < 1 || count > capacity)
        {
            throw new IllegalArgumentException("count=" + count + " (expected 1 to " + capacity + ", the capacity)");
        }
        checkOpen();
        final AtomicBuffer buffer = this.buffer;
        // full fence (C++ release): takes count indexes at once, racing every other producer's reserve.
        final long prev = buffer.getAndAddLong(RESERVED_OFFSET, SINGLE_STEP * count);
        final long index = reservedIndex(prev);
        final long prevSize = reservedSize(prev);
        if (1 != prevSize)
        {
            // full fence: the same fix-up the last of count reserve() calls would make; failure ignored likewise.
            buffer.compareAndSetLong(
                RESERVED_OFFSET, packReserved(index + count, prevSize), packReserved(index + count, 1));
        }
        return index;
    }

    /**
     * @param index an index from a reserve call (any lap).
     * @return the offset in {@link #buffer()} of element {@code index & (capacity - 1)}.
     */
    public int offset(final long index)
    {
        return dataOffset + (int)(index & mask) * elementSize;
    }

    /**
     * Publishes a one-element entry, as C++ {@code publish(index)}.
     *
     * @param index the index {@link #reserve()} returned.
     * @return true if published; false if the entry was lapped before it was published (see
     *         {@link #publish(long, int)}).
     * @throws IllegalArgumentException if {@code index} was never reserved (see {@link #publish(long, int)}).
     * @throws IllegalStateException    if the queue is closed.
     */
    public boolean publish(final long index)
    {
        return publish(index, 1);
    }

    /**
     * Publishes an entry, as C++ {@code publish(index, n)}: slot size, then {@code data_index} with release, then
     * {@code last_published} raised to {@code index} if it is lower.
     *
     * <p>The arguments are checked before anything is stored: {@code n} must fit between the entry's slot and the end
     * of the ring (no producer can reserve an entry that crosses it), and the entry must lie below {@code reserved},
     * i.e. have been reserved by someone. That rejects a size of 0, a negative or oversized one and an index never
     * reserved; it cannot tell a second publish of the same index, or another producer's index, from the right one.
     *
     * <p>A producer that the others lapped between its reserve and this call (a whole ring of entries reserved
     * after its own) finds its slot taken by a newer entry: C++ would store the older index there anyway, which
     * rewinds the slot and leaves every reader waiting at it with no data until the next lap. This call stores
     * nothing then and returns false: the entry is lost, as any overwritten entry is. The bytes written at
     * {@link #offset(long)} may already have overwritten the newer entry's, which no reader can detect: size the
     * ring so that no producer is lapped while it writes. (The check uses the {@code reserved} loaded for the
     * argument check; a lap completing between that load and the stores below is not caught.)
     *
     * @param index the index the reserve call returned.
     * @param n     the number of elements reserved.
     * @return true if published; false if the entry was lapped before it was published and nothing was stored.
     * @throws IllegalArgumentException if {@code n} or {@code index} is out of range; nothing is written then.
     * @throws IllegalStateException    if the queue is closed.
     */
    public boolean publish(final long index, final int n)
    {
        checkOpen();
        if (isLapped(index, checkReserved(index, n)))
        {
            return false;
        }
        final AtomicBuffer buffer = this.buffer;
        final int slotOffset = slotOffset(index);
        // plain: ordered before data_index by the release below.
        buffer.putInt(slotOffset + SLOT_SIZE_OFFSET, n);
        // release: the element bytes and the size are visible to a reader that acquires this index.
        buffer.putLongRelease(slotOffset + SLOT_DATA_INDEX_OFFSET, index);
        if (hasLastPublished)
        {
            raiseLastPublished(buffer, index);
        }
        return true;
    }

    /**
     * Publishes the {@code count} single-element entries {@link #reserveBatch(int)} reserved, raising
     * {@code last_published} once, to the last of them.
     *
     * <p>Entries lapped since they were reserved are skipped, as {@link #publish(long, int)} skips them.
     *
     * @param first the index {@link #reserveBatch(int)} returned.
     * @param count the count it was given.
     * @return how many were published: {@code count}, less the first ones if they were lapped.
     * @throws IllegalArgumentException if {@code count} is not in {@code [1, capacity]} or the entries were never
     *                                  all reserved; nothing is written then.
     * @throws IllegalStateException    if the queue is closed.
     */
    public int publishBatch(final long first, final int count)
    {
        checkOpen();
        if (count < 1 || count > capacity)
        {
            throw new IllegalArgumentException("count=" + count + " (expected 1 to " + capacity + ", the capacity)");
        }
        final long reservedIndex = checkReserved(first + count - 1, 1);
        final AtomicBuffer buffer = this.buffer;
        final long end = first + count;
        // Lapped entries come first: the slots of [first, reservedIndex - capacity) belong to newer entries.
        final long start = Math.max(first, reservedIndex - capacity);
        if (start >= end)
        {
            return 0;
        }
        for (long index = start; index < end; index++)
        {
            final int slotOffset = slotOffset(index);
            // plain: ordered before data_index by the release below.
            buffer.putInt(slotOffset + SLOT_SIZE_OFFSET, 1);
            // release: this element's bytes are visible to a reader that acquires this index.
            buffer.putLongRelease(slotOffset + SLOT_DATA_INDEX_OFFSET, index);
        }
        if (hasLastPublished)
        {
            raiseLastPublished(buffer, end - 1);
        }
        return (int)(end - start);
    }

    /**
     * @return true if position {@code index + capacity} is reserved, so the slot of {@code index} belongs to a newer
     *         entry (or soon will).
     */
    private boolean isLapped(final long index, final long reservedIndex)
    {
        return reservedIndex - index > capacity;
    }

    private static void raiseLastPublished(final AtomicBuffer buffer, final long index)
    {
        // relaxed: only the starting guess of the CAS loop, which validates it.
        long current = buffer.getLongOpaque(LAST_PUBLISHED_OFFSET);
        while (NONE == current || current < index)
        {
            // full fence (C++ release): read_last acquires it and sees the entry's slot and bytes.
            final long witness = buffer.compareAndExchangeLong(LAST_PUBLISHED_OFFSET, current, index);
            if (witness == current)
            {
                return;
            }
            current = witness;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Consuming
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Reads the next entry for a reader that owns its cursor, as C++ {@code read(uint64_t&)}: follows wrap markers,
     * restarts at 0 after a reset, and when lapped skips to the oldest entry still in the slot, adding the elements
     * lost to the cursor's and the queue's loss counts.
     *
     * <p>Zero-copy: the entry's bytes are read in place, and a producer that laps this reader overwrites them while
     * they are in use, exactly as with C++ (nothing in the protocol prevents it). Call {@link #isOverwritten} after
     * using them to know, or use the copying {@link #read(SlickCursor, MutableDirectBuffer, int)}, which validates.
     *
     * @param cursor the reader's cursor; advanced past the entry.
     * @param entry  filled in with the entry when there is one.
     * @return true if an entry was read; false if none is ready (entry unchanged; the cursor may have followed a wrap
     *         marker or restarted after a reset).
     * @throws IllegalStateException if the queue is closed.
     */
    public boolean read(final SlickCursor cursor, final SlickEntry entry)
    {
        checkOpen();
        final long index = poll(cursor);
        if (NONE == index)
        {
            return false;
        }
        final int count = cursor.entryCount;
        entry.set(index, offset(index), count, count * elementSize);
        return true;
    }

    /**
     * Reads the next entry, waiting for one with an idle strategy up to a timeout.
     *
     * @param cursor       the reader's cursor.
     * @param entry        filled in with the entry when there is one.
     * @param idleStrategy how to wait between attempts; reset before returning.
     * @param timeoutNanos how long to wait at most.
     * @return true if an entry was read; false if none was ready within the timeout.
     * @throws IllegalStateException if the queue is closed, also while waiting, or its object was truncated.
     */
    public boolean read(
        final SlickCursor cursor, final SlickEntry entry, final IdleStrategy idleStrategy, final long timeoutNanos)
    {
        if (read(cursor, entry))
        {
            return true;
        }
        final long start = System.nanoTime();
        try
        {
            while (true)
            {
                idleStrategy.idle();
                if (null != segment)
                {
                    segment.checkLengthWhileWaiting(start);
                }
                if (read(cursor, entry))
                {
                    return true;
                }
                if (System.nanoTime() - start >= timeoutNanos)
                {
                    return false;
                }
            }
        }
        catch (final InternalError fault)
        {
            // HotSpot raises a read of a page past the end of a truncated object as an InternalError: when the
            // object was indeed truncated, say so as the length check would have.
            if (null != segment)
            {
                segment.checkLength();
            }
            throw fault;
        }
        finally
        {
            idleStrategy.reset();
        }
    }

    /**
     * Reads the next entry and copies its bytes, then validates the copy as Agrona's {@code CopyBroadcastReceiver}
     * does: if a producer lapping this reader may have overwritten any of the bytes while they were copied, the entry
     * is counted as lost (in {@link SlickCursor#lossCount()} and {@link #lossCount()}) and the next one is read
     * instead. So no producer that laps this reader tears the bytes handed out; C++'s read gives no such guarantee.
     * One writer no reader can detect: a producer lapped between its own reserve and publish, still writing into
     * memory a newer entry now owns (see {@link #publish(long, int)}).
     *
     * @param cursor            the reader's cursor.
     * @param destination       where to copy the entry.
     * @param destinationOffset where in {@code destination} to start.
     * @return the number of bytes copied, or -1 if no entry is ready.
     * @throws IllegalArgumentException if the entry does not fit in {@code destination}; it is not consumed then:
     *                                  the next read returns it again.
     * @throws IllegalStateException    if the queue is closed.
     */
    public int read(final SlickCursor cursor, final MutableDirectBuffer destination, final int destinationOffset)
    {
        if (null == destination)
        {
            throw new IllegalArgumentException("destination=null (expected a buffer)");
        }
        checkOpen();
        while (true)
        {
            final long index = poll(cursor);
            if (NONE == index)
            {
                return -1;
            }
            final int count = cursor.entryCount;
            final int length = count * elementSize;
            if (!BufferBounds.fits(destination, destinationOffset, length))
            {
                // Not consumed: the next read returns this entry again.
                cursor.position = index;
                BufferBounds.checkRange("destination", destination, destinationOffset, length);
            }
            // plain: the element bytes are ordered after the acquire of data_index in poll().
            destination.putBytes(destinationOffset, buffer, offset(index), length);
            if (!isOverwritten(index))
            {
                return length;
            }
            countLoss(cursor, count);
        }
    }

    /**
     * Reads the next entry into a new array (allocates: for tools and tests, not hot paths), validated as
     * {@link #read(SlickCursor, MutableDirectBuffer, int)} validates.
     *
     * @param cursor the reader's cursor.
     * @return the entry's bytes, or null if no entry is ready.
     * @throws IllegalStateException if the queue is closed.
     */
    public byte[] readBytes(final SlickCursor cursor)
    {
        checkOpen();
        while (true)
        {
            final long index = poll(cursor);
            if (NONE == index)
            {
                return null;
            }
            final int count = cursor.entryCount;
            final byte[] bytes = new byte[count * elementSize];
            // plain: the element bytes are ordered after the acquire of data_index in poll().
            buffer.getBytes(offset(index), bytes);
            if (!isOverwritten(index))
            {
                return bytes;
            }
            countLoss(cursor, count);
        }
    }

    /**
     * Tells whether a producer may have overwritten an entry read in place since it was read: true once any
     * position a lap beyond the entry's first element has been reserved. Call it after using the bytes (a load
     * fence orders those reads before this check); false proves no producer lapping this reader wrote them (a
     * producer that was itself lapped while writing is invisible, see {@link #publish(long, int)}). Conservative: it
     * can say true for an entry whose bytes a lapping producer had reserved but not yet written.
     *
     * @param entry an entry a read of this queue returned.
     * @return true if its bytes may no longer be the ones its producer published.
     * @throws IllegalStateException if the queue is closed.
     */
    public boolean isOverwritten(final SlickEntry entry)
    {
        checkOpen();
        return isOverwritten(entry.index());
    }

    private boolean isOverwritten(final long index)
    {
        // acquire fence: every read of the entry's bytes before it completes before the load of reserved below. A
        // producer reserves (a full fence) before it writes, so if any byte we read was already overwritten, its
        // reservation a lap ahead of the entry is visible here.
        VarHandle.acquireFence();
        // relaxed: the fence above orders it after the reads it validates, as in a seqlock's second version read.
        return isLapped(index, reservedIndex(buffer.getLongOpaque(RESERVED_OFFSET)));
    }

    /**
     * Reads every ready entry, up to a limit, handing each to a handler in order. An entry counts as read once it
     * is handed over: if the handler throws, the cursor is past that entry and every later entry is still there for
     * the next read. The bytes are in place, with the lapping caveat of {@link #read(SlickCursor, SlickEntry)}.
     *
     * @param cursor     the reader's cursor.
     * @param handler    called once per entry.
     * @param limit      the most entries to read, at least 1.
     * @return the number of entries read.
     * @throws IllegalArgumentException if {@code limit < 1}.
     * @throws IllegalStateException    if the queue is closed.
     */
    public int drain(final SlickCursor cursor, final SlickEntryHandler handler, final int limit)
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit=" + limit + " (expected at least 1)");
        }
        checkOpen();
        final AtomicBuffer buffer = this.buffer;
        int read = 0;
        while (read < limit)
        {
            final long index = poll(cursor);
            if (NONE == index)
            {
                break;
            }
            read++;
            handler.onEntry(buffer, offset(index), cursor.entryCount, index);
        }
        return read;
    }

    /**
     * The read loop of C++ {@code read(uint64_t&)}, with exact loss counting on the wrap-marker path.
     *
     * @return the index of the entry read (its element count left in {@code cursor.entryCount}), or NONE.
     */
    private long poll(final SlickCursor cursor)
    {
        final AtomicBuffer buffer = this.buffer;
        final long mask = this.mask;
        long position = cursor.position;
        boolean resetSeen = false;
        while (true)
        {
            final int slotOffset = slotOffset(position);
            // acquire: pairs with the producer's release of data_index, so the size and element bytes are complete.
            final long index = buffer.getLongAcquire(slotOffset + SLOT_DATA_INDEX_OFFSET);
            if (NONE == index)
            {
                return NONE;
            }
            if (index != position && index > cursor.reservedIndexSeen)
            {
                // The entry we expect (index == position) cannot be a reset's leftover: no reload. Otherwise
                // relaxed, as C++: only compared with the index just acquired; reloaded only when the slot is ahead
                // of what we saw, which a reset explains.
                final long reservedIndex = reservedIndex(buffer.getLongOpaque(RESERVED_OFFSET));
                cursor.reservedIndexSeen = reservedIndex;
                if (reservedIndex < index)
                {
                    if (resetSeen)
                    {
                        // Still ahead of reserved after a restart: a slot no producer wrote (corrupt or hostile
                        // segment). Report no data rather than spin.
                        return NONE;
                    }
                    // The queue was reset under us: start again from the beginning, once per call.
                    resetSeen = true;
                    position = 0;
                    cursor.position = 0;
                    continue;
                }
            }
            if (index < position)
            {
                return NONE;
            }
            if ((index & mask) != (position & mask))
            {
                // Wrap marker: the reservation that would have crossed the end started at origin and continues at
                // index; positions [origin, index) were never used. A reader short of origin was lapped as well.
                final long lost = markerOrigin(position, index) - position;
                if (lost > 0)
                {
                    countLoss(cursor, lost);
                }
                position = index;
                cursor.position = index;
                continue;
            }
            final int count = entryCount(slotOffset, index);
            if (SLOT_OVERWRITTEN == count)
            {
                continue;
            }
            if (SLOT_UNSETTLED == count)
            {
                return NONE;
            }
            if (index > position)
            {
                // Lapped: the producers overwrote index - position elements before we read them.
                countLoss(cursor, index - position);
            }
            cursor.position = index + count;
            cursor.entryCount = count;
            return index;
        }
    }

    /**
     * @return where the reservation that left a wrap marker pointing at {@code index} in the slot of {@code position}
     *         started: the marker's slot, in the lap before {@code index}; clamped to {@code [position, index]} for a
     *         marker no producer could have written.
     */
    private long markerOrigin(final long position, final long index)
    {
        final long origin = index - (capacity - (position & mask));
        return Math.max(position, Math.min(origin, index));
    }

    private void countLoss(final SlickCursor cursor, final long lost)
    {
        cursor.lossCount += lost;
        lossTotal.getAndAdd(lost);
    }

    /**
     * Claims the next entry for one of several readers sharing a cursor, as C++ {@code read(std::atomic<uint64_t>&)}:
     * each entry goes to exactly one of them. Zero-copy, with the lapping caveat of
     * {@link #read(SlickCursor, SlickEntry)}.
     *
     * @param cursor the shared cursor.
     * @param entry  filled in with the entry when this reader claimed one.
     * @return true if an entry was claimed; false if none is ready.
     * @throws IllegalStateException if the queue is closed.
     */
    public boolean read(final AtomicCursor cursor, final SlickEntry entry)
    {
        checkOpen();
        final AtomicBuffer buffer = this.buffer;
        final long mask = this.mask;
        boolean resetSeen = false;
        while (true)
        {
            // acquire (AtomicCursor.load()), stronger than the relaxed load C++ makes: the value is only the
            // expected value of the CAS below, which validates it.
            final long current = cursor.load();
            final int slotOffset = slotOffset(current);
            // acquire: pairs with the producer's release of data_index.
            final long index = buffer.getLongAcquire(slotOffset + SLOT_DATA_INDEX_OFFSET);
            if (NONE == index)
            {
                return false;
            }
            // relaxed, as C++: reset detection on every read, only compared with the index just acquired.
            if (reservedIndex(buffer.getLongOpaque(RESERVED_OFFSET)) < index)
            {
                if (resetSeen)
                {
                    // Still ahead of reserved after a restart: corrupt or hostile segment; no data, no spin.
                    return false;
                }
                resetSeen = true;
                cursor.store(0);
                continue;
            }
            if (index < current)
            {
                return false;
            }
            if ((index & mask) != (current & mask))
            {
                // full fence: follow the wrap marker; if another reader moved the cursor first, it did the same.
                // The reader whose CAS moves the cursor counts what a lapped cursor lost before the marker.
                if (cursor.compareAndSet(current, index))
                {
                    final long lost = markerOrigin(current, index) - current;
                    if (lost > 0)
                    {
                        lossTotal.getAndAdd(lost);
                    }
                }
                continue;
            }
            final int count = entryCount(slotOffset, index);
            if (SLOT_OVERWRITTEN == count)
            {
                continue;
            }
            if (SLOT_UNSETTLED == count)
            {
                return false;
            }
            // full fence (C++ release): claims the entry for this reader only.
            if (cursor.compareAndSet(current, index + count))
            {
                if (index > current)
                {
                    lossTotal.getAndAdd(index - current);
                }
                entry.set(index, offset(index), count, count * elementSize);
                return true;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Reads the most recently published entry without moving any cursor, as C++ {@code read_last()}, but correct for
     * every index (C++ v1.4.0 indexes the slot array without masking). On a legacy segment it is the last
     * <em>reserved</em> entry, from {@code reserved}, as pre-1.4 C++ does: it may not be published yet. Zero-copy,
     * with the lapping caveat of {@link #read(SlickCursor, SlickEntry)}.
     *
     * @param entry filled in with the entry when there is one.
     * @return true if there is one; false if nothing was published (or reserved, on a legacy segment), or if the last
     *         published entry's slot was already taken by a later reservation that is not published yet.
     * @throws IllegalStateException if the queue is closed.
     */
    public boolean readLast(final SlickEntry entry)
    {
        checkOpen();
        final AtomicBuffer buffer = this.buffer;
        if (hasLastPublished)
        {
            // acquire: pairs with the publishing CAS, so the slot and the bytes of that entry are complete.
            long last = buffer.getLongAcquire(LAST_PUBLISHED_OFFSET);
            while (NONE != last)
            {
                final int slotOffset = slotOffset(last);
                // plain: ordered after the acquire above.
                final int count = buffer.getInt(slotOffset + SLOT_SIZE_OFFSET);
                // acquire fence: the size is read before the check below that the slot still holds this entry.
                VarHandle.acquireFence();
                // relaxed: ordered after the size by the fence.
                if (count >= 1 && (last & mask) + count <= capacity &&
                    last == buffer.getLongOpaque(slotOffset + SLOT_DATA_INDEX_OFFSET))
                {
                    entry.set(last, offset(last), count, count * elementSize);
                    return true;
                }
                // acquire: the slot was taken by a later reservation (a wrap marker, or a newer lap) since last was
                // published. If last has not moved on, its entry is gone and nothing newer is readable yet.
                final long again = buffer.getLongAcquire(LAST_PUBLISHED_OFFSET);
                if (again == last)
                {
                    return false;
                }
                last = again;
            }
            return false;
        }
        // relaxed, as pre-1.4 C++: the last reserved entry is handed out whether it is published or not.
        final long reserved = buffer.getLongOpaque(RESERVED_OFFSET);
        final long index = reservedIndex(reserved);
        if (0 == index)
        {
            return false;
        }
        final int count = reservedSize(reserved);
        final long last = index - count;
        entry.set(last, offset(last), count, count * elementSize);
        return true;
    }
    // ------------------------------------------------------------------------------------------------------------
    // State
    // ------------------------------------------------------------------------------------------------------------

    /**
     * @return the current write index ({@code reserved >> 16}): a cursor there reads only entries published from now
     *         on.
     */
    public long initialReadingIndex()
    {
        checkOpen();
        // relaxed, as C++: a starting point for a cursor, not a promise about any slot.
        return reservedIndex(buffer.getLongOpaque(RESERVED_OFFSET));
    }

    /**
     * Empties the queue, as C++ {@code reset()}: every slot back to empty, {@code reserved = 0},
     * {@code last_published = NONE}, loss total 0. Only while no other thread or process uses the queue.
     */
    public void reset()
    {
        checkOpen();
        clearSlots(buffer, capacity);
        // release: the cleared slots are visible to whoever sees reserved = 0.
        buffer.putLongRelease(RESERVED_OFFSET, 0);
        if (hasLastPublished)
        {
            // release: after reserved, as C++.
            buffer.putLongRelease(LAST_PUBLISHED_OFFSET, NONE);
        }
        lossTotal.set(0);
    }

    /** @return the elements all readers of this instance lost to producers lapping them. */
    public long lossCount()
    {
        return lossTotal.get();
    }

    /** @return the number of slots. */
    public int capacity()
    {
        return capacity;
    }

    /** @return the element size in bytes. */
    public int elementSize()
    {
        return elementSize;
    }

    /** @return the largest entry {@link #reserve(int)} accepts: {@code min(capacity, 65535)} elements. */
    public int maxEntryElements()
    {
        return Math.min(capacity, MAX_ENTRY_ELEMENTS);
    }

    /** @return true when this instance initialised the queue (or it is {@link #local}). */
    public boolean isCreator()
    {
        return creator;
    }

    /** @return true for a pre-1.4 segment, which has no {@code last_published}. */
    public boolean isLegacy()
    {
        return !hasLastPublished;
    }

    /** @return the memory of the whole segment: elements are at {@link #offset(long)}. */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * Closes the queue; idempotent, and safe while other threads are inside calls (see the class comment). As C++,
     * the creator removes the name unless {@link SlickConfig#unlinkOnClose(boolean)} says otherwise, and only while
     * the name still names the object this queue mapped. The memory is unmapped once the queue is unreachable.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (null != segment)
            {
                if (unlinkOnClose)
                {
                    segment.unlink();
                }
                segment.close();
            }
        }
    }

    /** @return true once {@link #close()} has run. */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Removes the shared-memory object's name, like C++'s creator does in its destructor; mappings stay valid.
     *
     * @return true if this call removed it; false if it was already gone or the queue is local.
     */
    public boolean unlink()
    {
        return null != segment && segment.unlink();
    }

    /**
     * The element count of the entry at {@code index} whose {@code data_index} was just acquired, checked against
     * the ring: an entry never crosses the end of the data array.
     *
     * @return the count; {@link #SLOT_OVERWRITTEN} if a producer reused the slot while we read it (look again); or
     *         {@link #SLOT_UNSETTLED} if the size is one no entry can have while the slot still holds the index. That
     *         is what a reader sees while a wrapping producer rewrites the slot as a marker (size first, index
     *         second), and also what a producer killed between those two stores, or a hostile peer, leaves: the
     *         reader cannot tell them apart, so it reports no data, never corruption.
     */
    private int entryCount(final int slotOffset, final long index)
    {
        // plain: ordered after the acquire of data_index.
        final int count = buffer.getInt(slotOffset + SLOT_SIZE_OFFSET);
        if (count < 1 || (index & mask) + count > capacity)
        {
            // acquire fence: the size is read before the check below (an acquire load would not stop the size load
            // from moving after it). relaxed: was the slot overwritten while we read it? Then look again.
            VarHandle.acquireFence();
            return index != buffer.getLongOpaque(slotOffset + SLOT_DATA_INDEX_OFFSET) ?
                SLOT_OVERWRITTEN : SLOT_UNSETTLED;
        }
        return count;
    }

    private int slotOffset(final long index)
    {
        return SlickQueueDescriptor.slotOffset((int)(index & mask));
    }

    /** @return the reserved index loaded for the check. */
    private long checkReserved(final long index, final int n)
    {
        final long slot = index & mask;
        if (n < 1 || slot + n > capacity)
        {
            throw new IllegalArgumentException("n=" + n + " for index=" + index + " (expected 1 to " +
                (capacity - slot) + ", the slots from slot " + slot + " to the end of the ring)");
        }
        // opaque: this thread's own reserve moved reserved past the entry, and reads of one location never go back
        // in time, so a reserved entry always passes. The producer's line, usually still in its cache.
        final long reservedIndex = reservedIndex(buffer.getLongOpaque(RESERVED_OFFSET));
        if (index < 0 || index + n > reservedIndex)
        {
            throw new IllegalArgumentException("index=" + index + " n=" + n + " (expected an entry already " +
                "reserved: index + n <= reserved index=" + reservedIndex + ')');
        }
        return reservedIndex;
    }

    /**
     * Every public call that touches shared memory starts here. volatile: a plain load on x86; it pairs with the
     * store in {@link #close()}, so a call that starts after close returns sees it.
     */
    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("SlickQueue " + (null == segment ? "(local)" : segment.name().name()) +
                " is closed");
        }
    }

    private void checkEntryElements(final int n)
    {
        final int limit = maxEntryElements();
        if (n < 1 || n > limit)
        {
            throw new IllegalArgumentException("n=" + n + " (expected 1 to " + limit + ", min(capacity=" + capacity +
                ", " + MAX_ENTRY_ELEMENTS + "))");
        }
    }

    @Override
    public String toString()
    {
        return "SlickQueue{" + (null != segment ? segment.name().toString() : "local") + ", capacity=" + capacity +
            ", elementSize=" + elementSize + ", legacy=" + !hasLastPublished + ", creator=" + creator + '}';
    }
}
