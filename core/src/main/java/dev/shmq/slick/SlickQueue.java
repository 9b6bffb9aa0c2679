package dev.shmq.slick;

import dev.shmq.core.ControlledMessageHandler;
import dev.shmq.core.MessageHandler;
import dev.shmq.core.ShmQueue;
import dev.shmq.core.ShmSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * A SlickQueue v1.4.0 ring: lossy, multi-producer, read by readers that each own a {@link SlickCursor} (broadcast) or
 * share an {@link AtomicCursor} (work-stealing). Wire-compatible with C++ {@code slick::SlickQueue<T>} and
 * slick_queue_py: every write and read-modify-write on shared memory is the one the C++ makes, in the same order and
 * at least as strong, so a C++ or Python peer cannot tell this process from one of its own.
 *
 * <p>This class is the queue's lifecycle and public face; the protocol lives in {@link SlickRing} (producers),
 * {@link SlickReader} (readers) and {@link SlickAttach} (the {@code init_state} handshake and header validation).
 *
 * <p>Where it deliberately differs from C++ v1.4.0, invisibly to peers, is in {@code docs/PROTOCOLS.md}.
 *
 * <p>Producing is zero-copy: {@link #reserve()} (or {@link #reserve(int)} for an entry of several elements), write the
 * element(s) at {@link #offset(long)} in {@link #buffer()}, then {@link #publish(long)}. Producers never wait: a
 * producer that laps a slow reader overwrites old entries, and the reader skips ahead and counts what it lost.
 *
 * <p>Reads return what they delivered: {@code true}, a count of entries, or a count of bytes; {@code false} or 0 when
 * nothing is ready. Every wait is {@code (timeout, TimeUnit)}, with the idle strategy of the {@link SlickConfig}.
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
public final class SlickQueue extends ShmQueue
{
    private final SlickRing ring;
    private final SlickReader reader;

    SlickQueue(
        final AtomicBuffer buffer,
        final ShmSegment segment,
        final int capacity,
        final int elementSize,
        final boolean hasLastPublished,
        final boolean creator,
        final SlickConfig config)
    {
        super("SlickQueue", segment, creator, config);
        this.ring = new SlickRing(buffer, capacity, elementSize, hasLastPublished);
        this.reader = new SlickReader(ring);
    }

    /**
     * {@link #create(String, int, int, SlickConfig)} with the default options.
     *
     * @param name        the shared-memory object's name.
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes ({@code sizeof(T)} of C++ peers).
     * @return the queue.
     */
    public static SlickQueue create(final String name, final int capacity, final int elementSize)
    {
        return create(name, capacity, elementSize, new SlickConfig());
    }

    /**
     * Creates a new queue; fails if the name exists. (Should a C++ peer's {@code SlickQueue<T>(size, name)} win the
     * race to initialise the new object, this attaches to what it initialised, as {@link #createOrOpen} would.)
     *
     * @param name        the shared-memory object's name.
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes ({@code sizeof(T)} of C++ peers).
     * @param config      further options.
     * @return the queue.
     * @throws IllegalArgumentException for a bad name, capacity or element size.
     * @throws IllegalStateException    if the name exists or the object cannot be created.
     */
    public static SlickQueue create(
        final String name, final int capacity, final int elementSize, final SlickConfig config)
    {
        return SlickAttach.create(name, capacity, elementSize, config, true);
    }

    /**
     * {@link #createOrOpen(String, int, int, SlickConfig)} with the default options.
     *
     * @param name        the shared-memory object's name.
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes ({@code sizeof(T)} of C++ peers).
     * @return the queue; {@link #isCreator()} tells whether this call initialised it.
     */
    public static SlickQueue createOrOpen(final String name, final int capacity, final int elementSize)
    {
        return createOrOpen(name, capacity, elementSize, new SlickConfig());
    }

    /**
     * Creates the queue, or attaches to it if it exists, as C++ {@code SlickQueue<T>(size, name)}. An existing object
     * that stays empty for the whole wait was left by a creator killed before sizing it: this call sizes it and
     * initialises it, as C++ does.
     *
     * @param name        the shared-memory object's name.
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes ({@code sizeof(T)} of C++ peers).
     * @param config      the wait for another creator, the directory, and whether {@link #close()} unlinks.
     * @return the queue; {@link #isCreator()} tells whether this call initialised it.
     * @throws IllegalArgumentException for a bad name, capacity or element size.
     * @throws IllegalStateException    if an existing queue has another capacity or element size, its header is
     *                                  invalid, or its initialisation does not complete in time.
     */
    public static SlickQueue createOrOpen(
        final String name, final int capacity, final int elementSize, final SlickConfig config)
    {
        return SlickAttach.create(name, capacity, elementSize, config, false);
    }

    /**
     * {@link #open(String, SlickConfig)} with the default options.
     *
     * @param name the shared-memory object's name.
     * @return the queue, with the capacity and element size its header holds.
     */
    public static SlickQueue open(final String name)
    {
        return open(name, new SlickConfig());
    }

    /**
     * Attaches to an existing queue, as C++ {@code SlickQueue<T>(name)}, taking the element size from its header
     * (validated against the object's length), as zeroq's {@code open} does. Check {@link #elementSize()} against
     * {@code sizeof(T)} before use, or use {@link #open(String, int, SlickConfig)}.
     *
     * @param name   the shared-memory object's name.
     * @param config the wait for the creator, the directory, and whether {@link #close()} unlinks (unset, it does
     *               not).
     * @return the queue, with the capacity and element size its header holds.
     * @throws IllegalArgumentException for a bad name.
     * @throws IllegalStateException    if the object is missing, its header is invalid, or its initialisation does
     *                                  not complete in time.
     */
    public static SlickQueue open(final String name, final SlickConfig config)
    {
        return SlickAttach.open(name, SlickAttach.HEADER_ELEMENT_SIZE, config);
    }

    /**
     * {@link #open(String, int, SlickConfig)} with the default options.
     *
     * @param name        the shared-memory object's name.
     * @param elementSize the element size this process expects.
     * @return the queue, with the capacity its header holds.
     */
    public static SlickQueue open(final String name, final int elementSize)
    {
        return open(name, elementSize, new SlickConfig());
    }

    /**
     * Attaches to an existing queue whose element size must be {@code elementSize}.
     *
     * @param name        the shared-memory object's name.
     * @param elementSize the element size this process expects, at least 1.
     * @param config      the wait for the creator, the directory, and whether {@link #close()} unlinks.
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
        return SlickAttach.open(name, elementSize, config);
    }

    /**
     * {@link #local(int, int, SlickConfig)} with the default options.
     *
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes.
     * @return the queue.
     */
    public static SlickQueue local(final int capacity, final int elementSize)
    {
        return local(capacity, elementSize, new SlickConfig());
    }

    /**
     * A queue in this process only, as C++ {@code SlickQueue<T>(size)}: the same layout in a 64-byte aligned direct
     * buffer, so it behaves exactly as a shared one.
     *
     * @param capacity    the number of slots, a power of two.
     * @param elementSize the element size in bytes.
     * @param config      the idle strategy of waiting reads (the other options do not apply).
     * @return the queue.
     * @throws IllegalArgumentException for a bad capacity or element size.
     */
    public static SlickQueue local(final int capacity, final int elementSize, final SlickConfig config)
    {
        return SlickAttach.local(capacity, elementSize, config);
    }

    /**
     * Reserves one element, as C++ {@code reserve()}.
     *
     * @return the index to write at {@link #offset(long)} and then {@link #publish(long)}.
     */
    public long reserve()
    {
        checkOpen();
        return ring.reserve();
    }

    /**
     * Reserves an entry of {@code n} consecutive elements, as C++ {@code reserve(n)}; an entry that would cross the
     * end of the ring starts the next lap, leaving a wrap marker for readers.
     *
     * @param n the number of elements, {@code 1 <= n <= }{@link #maxEntryElements()}.
     * @return the index of the first element; write them at {@link #offset(long)}, then {@link #publish(long, int)}.
     * @throws IllegalArgumentException if {@code n} is out of range.
     */
    public long reserve(final int n)
    {
        checkOpen();
        return ring.reserve(n);
    }

    /**
     * Reserves {@code count} entries of one element each with one {@code fetch_add}, leaving {@code reserved} as
     * {@code count} calls of {@link #reserve()} would, so no peer can tell the difference.
     *
     * @param count the number of entries, {@code 1 <= count <= capacity}.
     * @return the index of the first entry; the others follow it; publish with {@link #publishBatch(long, int)}.
     * @throws IllegalArgumentException if {@code count} is out of range.
     */
    public long reserveBatch(final int count)
    {
        checkOpen();
        return ring.reserveBatch(count);
    }

    /**
     * @param index an index from a reserve call (any lap).
     * @return the offset in {@link #buffer()} of element {@code index & (capacity - 1)}.
     */
    public int offset(final long index)
    {
        return ring.offset(index);
    }

    /**
     * Publishes a one-element entry, as C++ {@code publish(index)}: {@link #publish(long, int)} with {@code n = 1}.
     *
     * @param index the index {@link #reserve()} returned.
     * @return true if published; false if the entry was lapped before it was published.
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
     * <p>A producer lapped between its reserve and this call (a whole ring reserved after its entry) finds its slot
     * taken by a newer entry. C++ would store the older index anyway, rewinding the slot so that readers wait there
     * until the next lap; this call stores nothing and returns false: the entry is lost, as any overwritten one.
     * Its bytes may already have overwritten the newer entry's, which no reader can detect: size the ring so that
     * no producer is lapped while it writes. (A lap completing after the check's load of {@code reserved} is not
     * caught.)
     *
     * @param index the index the reserve call returned.
     * @param n     the number of elements reserved.
     * @return true if published; false if the entry was lapped before it was published and nothing was stored.
     * @throws IllegalArgumentException if {@code n} or {@code index} is out of range; nothing is written then.
     */
    public boolean publish(final long index, final int n)
    {
        checkOpen();
        return ring.publish(index, n);
    }

    /**
     * Publishes the {@code count} single-element entries {@link #reserveBatch(int)} reserved, raising
     * {@code last_published} once, to the last of them. Entries lapped since they were reserved are skipped, as
     * {@link #publish(long, int)} skips them.
     *
     * @param first the index {@link #reserveBatch(int)} returned.
     * @param count the count it was given.
     * @return how many were published: {@code count}, less the first ones if they were lapped.
     * @throws IllegalArgumentException if {@code count} is not in {@code [1, capacity]} or the entries were never
     *                                  all reserved; nothing is written then.
     */
    public int publishBatch(final long first, final int count)
    {
        checkOpen();
        return ring.publishBatch(first, count);
    }

    /**
     * Reads the next entry for a reader that owns its cursor, as C++ {@code read(uint64_t&)}: follows wrap markers,
     * restarts at 0 after a reset, and when lapped skips to the oldest entry still there, counting what it lost.
     *
     * <p>Zero-copy: a producer lapping this reader overwrites the bytes in place while they are in use, as with C++.
     * Call {@link #isOverwritten} after using them, or use the copying read, which validates.
     *
     * @param cursor the reader's cursor; advanced past the entry.
     * @param entry  filled in with the entry when there is one.
     * @return true if an entry was read; false if none is ready (entry unchanged; the cursor may have followed a wrap
     *         marker or restarted after a reset).
     */
    public boolean read(final SlickCursor cursor, final SlickEntry entry)
    {
        checkOpen();
        return reader.read(cursor, entry);
    }

    /**
     * Reads the next entry, waiting up to a timeout with the configured idle strategy.
     *
     * @param cursor  the reader's cursor.
     * @param entry   filled in with the entry when there is one.
     * @param timeout how long to wait at most; {@code Long.MAX_VALUE} nanoseconds or more waits indefinitely.
     * @param unit    the unit of {@code timeout}.
     * @return true if an entry was read; false if none was ready within the timeout.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the queue is closed, also while waiting, or its object was truncated.
     */
    public boolean read(final SlickCursor cursor, final SlickEntry entry, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        if (read(cursor, entry))
        {
            return true;
        }
        final long timeoutNanos = unit.toNanos(timeout);
        final long start = System.nanoTime();
        final IdleStrategy idle = idleStrategy();
        try
        {
            while (true)
            {
                pause(idle, start);
                if (reader.read(cursor, entry))
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
            throw truncationOr(fault);
        }
    }

    /**
     * Reads the next entry and copies its bytes, then validates the copy as Agrona's {@code CopyBroadcastReceiver}
     * does: a copy a lapping producer may have torn is counted as lost (in {@link SlickCursor#lossCount()} and
     * {@link #lossCount()}) and the next entry is read instead, so no lapping producer tears the bytes handed out
     * (C++'s read gives no such guarantee; the one writer no reader can detect is in {@link #publish(long, int)}).
     *
     * @param cursor            the reader's cursor.
     * @param destination       where to copy the entry.
     * @param destinationOffset where in {@code destination} to start.
     * @return the number of bytes copied, a multiple of {@link #elementSize()}; 0 if no entry is ready.
     * @throws IllegalArgumentException if the entry does not fit in {@code destination}; it is not consumed then:
     *                                  the next read returns it again.
     */
    public int read(final SlickCursor cursor, final MutableDirectBuffer destination, final int destinationOffset)
    {
        checkOpen();
        return reader.read(cursor, destination, destinationOffset);
    }

    /**
     * Tells whether a producer may have overwritten an entry read in place: true once a position a lap beyond its
     * first element is reserved. Call it after using the bytes (a fence orders those reads first); false proves no
     * lapping producer wrote them (see {@link #publish(long, int)} for the one it cannot see). Conservative: true
     * also for bytes a lapping producer reserved but did not yet write.
     *
     * @param entry an entry a read of this queue returned.
     * @return true if its bytes may no longer be the ones its producer published.
     */
    public boolean isOverwritten(final SlickEntry entry)
    {
        checkOpen();
        return reader.isOverwritten(entry.index());
    }

    /**
     * Reads every ready entry, up to a limit, handing each to a handler in order: the message's length is
     * {@code count * elementSize()} and its position the entry's index. An entry counts as read once it is handed
     * over: if the handler throws, the cursor is past that entry and every later entry is still there for the next
     * read. The bytes are in place, with the lapping caveat of {@link #read(SlickCursor, SlickEntry)}.
     *
     * @param cursor  the reader's cursor.
     * @param handler called once per entry.
     * @param limit   the most entries to read, at least 1.
     * @return the number of entries read; 0 if none was ready.
     * @throws IllegalArgumentException if {@code limit < 1}.
     */
    public int drain(final SlickCursor cursor, final MessageHandler handler, final int limit)
    {
        checkLimit(limit);
        checkOpen();
        return reader.drain(cursor, handler, limit);
    }

    /**
     * Reads ready entries, up to a limit, as {@link #drain}, letting the handler steer after each: {@code CONTINUE}
     * goes on; {@code BREAK} stops after this entry; {@code ABORT} stops and leaves the cursor at this entry, so the
     * next read hands it over again (unless producers overwrite it meanwhile); {@code COMMIT} is {@code CONTINUE}: a
     * cursor this reader owns has nothing to commit.
     *
     * @param cursor  the reader's cursor.
     * @param handler called once per entry, and says how to go on.
     * @param limit   the most entries to read, at least 1.
     * @return the number of entries consumed (an aborted one is not); 0 if none was ready.
     * @throws IllegalArgumentException if {@code limit < 1}.
     */
    public int controlledDrain(final SlickCursor cursor, final ControlledMessageHandler handler, final int limit)
    {
        checkLimit(limit);
        checkOpen();
        return reader.controlledDrain(cursor, handler, limit);
    }

    /**
     * Claims the next entry for one of several readers sharing a cursor, as C++ {@code read(std::atomic<uint64_t>&)}:
     * each entry goes to exactly one of them. Zero-copy, with the lapping caveat of
     * {@link #read(SlickCursor, SlickEntry)}.
     *
     * @param cursor the shared cursor.
     * @param entry  filled in with the entry when this reader claimed one.
     * @return true if an entry was claimed; false if none is ready.
     */
    public boolean read(final AtomicCursor cursor, final SlickEntry entry)
    {
        checkOpen();
        return reader.read(cursor, entry);
    }

    /**
     * Reads the most recently published entry without moving any cursor, as C++ {@code read_last()} (but masking
     * the slot index, as v1.4.0 does not). On a legacy segment it is the last <em>reserved</em> entry, as pre-1.4
     * C++ does: maybe not yet published. Zero-copy, as {@link #read(SlickCursor, SlickEntry)}.
     *
     * @param entry filled in with the entry when there is one.
     * @return true if there is one; false if nothing was published (or reserved, on a legacy segment), or if the last
     *         published entry's slot was already taken by a later reservation that is not published yet.
     */
    public boolean readLast(final SlickEntry entry)
    {
        checkOpen();
        return reader.readLast(entry);
    }

    /** @return the current write index ({@code reserved >> 16}): a cursor there reads entries published from now. */
    public long initialReadingIndex()
    {
        checkOpen();
        // relaxed, as C++: a starting point for a cursor, not a promise about any slot.
        return ring.reservedIndexRelaxed();
    }

    /**
     * Empties the queue, as C++ {@code reset()}: every slot back to empty, {@code reserved = 0},
     * {@code last_published = NONE}, loss total 0. Only while no other thread or process uses the queue.
     */
    public void reset()
    {
        checkOpen();
        ring.reset();
        reader.resetLossCount();
    }

    /** @return the elements all readers of this instance lost to producers lapping them. */
    public long lossCount()
    {
        return reader.lossCount();
    }

    /** @return the number of slots. */
    public int capacity()
    {
        return ring.capacity();
    }

    /** @return the element size in bytes. */
    public int elementSize()
    {
        return ring.elementSize();
    }

    /** @return the largest entry {@link #reserve(int)} accepts: {@code min(capacity, 65535)} elements. */
    public int maxEntryElements()
    {
        return ring.maxEntryElements();
    }

    /** @return true for a pre-1.4 segment, which has no {@code last_published}. */
    public boolean isLegacy()
    {
        return !ring.hasLastPublished();
    }

    /** @return the memory of the whole segment: elements are at {@link #offset(long)}. */
    public AtomicBuffer buffer()
    {
        return ring.buffer();
    }

    @Override
    public String toString()
    {
        return "SlickQueue{name=" + name() + ", capacity=" + capacity() + ", elementSize=" + elementSize() +
            ", legacy=" + isLegacy() + ", creator=" + isCreator() + ", closed=" + isClosed() + '}';
    }
}
