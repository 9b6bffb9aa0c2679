package dev.shmq.slick;

import dev.shmq.core.ShmSegment;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A read position that several readers share (work-stealing: each entry goes to exactly one of them): an atomic
 * {@code u64} in this process ({@link #local()}) or alone in its own 8-byte shared-memory object ({@link #create} /
 * {@link #open}), as slick_queue_py's {@code AtomicCursor} over {@code SharedMemory(name, size=8)} and C++
 * {@code std::atomic<uint64_t>} are.
 */
public final class AtomicCursor implements AutoCloseable
{
    /** The length of the shared cursor object: one {@code u64}. */
    public static final int LENGTH = Long.BYTES;

    private static final int VALUE_OFFSET = 0;
    private static final int CACHE_LINE_LENGTH = 64;

    private final AtomicBuffer buffer;
    private final ShmSegment segment;
    private volatile boolean closed;

    private AtomicCursor(final AtomicBuffer buffer, final ShmSegment segment)
    {
        this.buffer = null != segment ? segment.buffer() : buffer;
        this.segment = segment;
        // The cursor is an atomic 8-byte word at offset 0: its base must be 8-byte aligned.
        this.buffer.verifyAlignment();
    }

    /**
     * A cursor in this process for reader threads, at 0, alone on its cache line.
     *
     * @return the cursor.
     */
    public static AtomicCursor local()
    {
        return new AtomicCursor(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(CACHE_LINE_LENGTH, CACHE_LINE_LENGTH)),
            null);
    }

    /**
     * {@link #create(String, SlickConfig)} with the default options.
     *
     * @param name the object's name.
     * @return the cursor.
     */
    public static AtomicCursor create(final String name)
    {
        return create(name, new SlickConfig());
    }

    /**
     * Creates a new 8-byte shared-memory object holding a cursor at 0; fails if the name exists. Closing never
     * removes the name (several readers share it): {@link #unlink()} does.
     *
     * @param name   the object's name.
     * @param config its directory and permissions.
     * @return the cursor.
     * @throws IllegalArgumentException if the name is not a valid shared-memory name.
     * @throws IllegalStateException    if the name exists or the object cannot be created.
     */
    public static AtomicCursor create(final String name, final SlickConfig config)
    {
        return new AtomicCursor(null, ShmSegment.create(config.shmName(name), LENGTH, config.permissions()));
    }

    /**
     * {@link #createOrOpen(String, SlickConfig)} with the default options.
     *
     * @param name the object's name.
     * @return the cursor.
     */
    public static AtomicCursor createOrOpen(final String name)
    {
        return createOrOpen(name, new SlickConfig());
    }

    /**
     * Creates the cursor object at 0 if the name is free, otherwise opens it, waiting up to the open timeout for its
     * creator to size it: what every reader of a work-stealing group can call, whichever starts first.
     *
     * @param name   the object's name.
     * @param config its directory and permissions, and the open timeout.
     * @return the cursor.
     * @throws IllegalArgumentException if the name is not a valid shared-memory name.
     * @throws IllegalStateException    if the object cannot be created, or an existing one stays shorter than 8 bytes.
     */
    public static AtomicCursor createOrOpen(final String name, final SlickConfig config)
    {
        return new AtomicCursor(null, ShmSegment.createOrOpen(
            config.shmName(name), LENGTH, config.permissions(), LENGTH, config.openTimeoutNanos()));
    }

    /**
     * {@link #open(String, SlickConfig)} with the default options.
     *
     * @param name the object's name.
     * @return the cursor.
     */
    public static AtomicCursor open(final String name)
    {
        return open(name, new SlickConfig());
    }

    /**
     * Opens an existing shared cursor object, waiting up to the open timeout for its creator to size it.
     *
     * @param name   the object's name.
     * @param config its directory, and the open timeout.
     * @return the cursor.
     * @throws IllegalArgumentException if the name is not a valid shared-memory name.
     * @throws IllegalStateException    if the object does not exist or stays shorter than 8 bytes.
     */
    public static AtomicCursor open(final String name, final SlickConfig config)
    {
        return new AtomicCursor(null, ShmSegment.open(config.shmName(name), LENGTH, config.openTimeoutNanos()));
    }

    /**
     * @return the position (acquire: pairs with the release of {@link #store(long)} and of a successful
     *         {@link #compareAndSet(long, long)} in another reader).
     */
    public long load()
    {
        checkOpen();
        return buffer.getLongAcquire(VALUE_OFFSET);
    }

    /**
     * Sets the position (release: whatever this reader did before is visible to a reader that loads it).
     *
     * @param value the new position.
     */
    public void store(final long value)
    {
        checkOpen();
        buffer.putLongRelease(VALUE_OFFSET, value);
    }

    /**
     * Atomically sets the position if it holds {@code expected} (a full fence, stronger than the release C++ uses).
     *
     * @param expected the position the caller saw.
     * @param update   the new position.
     * @return true if the position was {@code expected} and is now {@code update}.
     */
    public boolean compareAndSet(final long expected, final long update)
    {
        checkOpen();
        return buffer.compareAndSetLong(VALUE_OFFSET, expected, update);
    }

    /** @return true when the cursor lives in a shared-memory object. */
    public boolean isShared()
    {
        return null != segment;
    }

    /**
     * Closes the cursor; idempotent and safe while other threads use it: their calls complete or throw
     * {@link IllegalStateException}, later ones throw it. A shared cursor's memory is unmapped once unreachable.
     */
    @Override
    public void close()
    {
        closed = true;
        if (null != segment)
        {
            segment.close();
        }
    }

    /** volatile: a plain load on x86; pairs with the store in {@link #close()}. */
    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("AtomicCursor " + (null != segment ? segment.name().name() : "(local)") +
                " is closed");
        }
    }

    /**
     * Removes the shared-memory object's name; other mappings stay valid.
     *
     * @return true if this call removed it; false if it was already gone or the cursor is local.
     */
    public boolean unlink()
    {
        return null != segment && segment.unlink();
    }

    @Override
    public String toString()
    {
        return "AtomicCursor{" + (null != segment ? segment.name().toString() : "local") + '}';
    }
}
