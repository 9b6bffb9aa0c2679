package dev.shmq.core;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A shared-memory object mapped into this process, exposed as an {@link AtomicBuffer}.
 *
 * <p>Creation allocates every page up front by writing zeros through the file channel, so a full {@code /dev/shm}
 * fails here with an exception rather than with a SIGBUS on first touch. It allocates under a private staging name
 * and publishes the finished object with {@code link(2)}, so no other process sees it half allocated and exactly one
 * of several racing creators wins. Opening never follows a symbolic link and
 * refuses anything that is not a regular file.
 *
 * <p>Closing is safe while other threads still use the buffer: {@link #close()} marks the segment closed and closes
 * its file descriptor, but never unmaps the memory or re-points the buffer. The mapping is returned to the operating
 * system by the {@link MappedByteBuffer}'s cleaner once nothing references the buffer any more, so no thread can ever
 * touch unmapped memory through it (an explicit unmap would race any thread still inside a call and crash the JVM).
 * The cost: the memory of a closed segment, and of an unlinked one, is held until the garbage collector finds the
 * buffer unreachable.
 *
 * <p>The segment remembers which file it mapped (device and inode), so {@link #unlink()} removes the name only while
 * it still names that file, never an object someone else created under the same name since.
 */
public final class ShmSegment implements AutoCloseable
{
    /** Permissions of a new object unless told otherwise: owner read and write (0600), as zeroq creates them. */
    public static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    /**
     * Objects are allocated under a name with this prefix and then linked to their real name. A process killed
     * during allocation leaves one behind, mapped by nobody: {@code shmq clean} removes it.
     */
    public static final String STAGING_PREFIX = ".shmq-staging-";

    private final ShmName name;
    private final boolean creator;
    private final boolean readOnly;
    private final int length;
    private final UnsafeBuffer buffer;
    private final FileChannel channel;
    private final Object fileKey;
    private final MappedByteBuffer mapped;
    private final boolean sizedHere;
    private volatile boolean closed;

    /** Made by {@link ShmSegmentFactory} once the file is open and mapped. */
    ShmSegment(
        final ShmName name,
        final FileChannel channel,
        final Object fileKey,
        final MappedByteBuffer mapped,
        final boolean creator,
        final boolean readOnly,
        final boolean sizedHere)
    {
        this.name = name;
        this.channel = channel;
        this.fileKey = fileKey;
        this.creator = creator;
        this.readOnly = readOnly;
        this.sizedHere = sizedHere;
        this.mapped = mapped;
        this.length = mapped.capacity();
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Creates a new object of the given length with {@link #DEFAULT_PERMISSIONS}; fails if the name exists.
     *
     * @param name   the object's name.
     * @param length its length in bytes, at least 1.
     * @return the mapped segment; {@link #isCreator()} is true.
     * @throws IllegalStateException if the name exists or the object cannot be created or filled.
     */
    public static ShmSegment create(final ShmName name, final int length)
    {
        return create(name, length, DEFAULT_PERMISSIONS);
    }

    /**
     * Creates a new object of the given length; fails if the name exists.
     *
     * @param name        the object's name.
     * @param length      its length in bytes, at least 1.
     * @param permissions the permissions of the new file (the process umask still applies).
     * @return the mapped segment; {@link #isCreator()} is true.
     * @throws IllegalStateException if the name exists or the object cannot be created or filled.
     */
    public static ShmSegment create(final ShmName name, final int length, final Set<PosixFilePermission> permissions)
    {
        final ShmSegment segment = ShmSegmentFactory.tryCreate(name, length, permissions);
        if (null == segment)
        {
            throw new IllegalStateException("shared-memory object " + name.path() + " already exists");
        }
        return segment;
    }

    /**
     * Creates the object if the name is free, otherwise opens the existing one, waiting up to {@code timeoutNanos}
     * for its creator to give it at least {@code minLength} bytes. An existing object that is still empty when the
     * wait runs out was left by a creator killed between creating and sizing it: it is sized to {@code length}, as
     * C++ {@code SlickQueue<T>(size, name)} does, and {@link #isSizedHere()} says so. Sizing only extends an empty
     * file (one byte written at its new end), so it never overwrites what a racing creator wrote.
     *
     * @param name         the object's name.
     * @param length       the length to create it with.
     * @param permissions  the permissions if created.
     * @param minLength    the least length an existing object must reach.
     * @param timeoutNanos how long to wait for an existing object to reach {@code minLength}.
     * @return the mapped segment; {@link #isCreator()} tells which happened.
     */
    public static ShmSegment createOrOpen(
        final ShmName name,
        final int length,
        final Set<PosixFilePermission> permissions,
        final int minLength,
        final long timeoutNanos)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            final ShmSegment created = ShmSegmentFactory.tryCreate(name, length, permissions);
            if (null != created)
            {
                return created;
            }
            try
            {
                return ShmSegmentFactory.openExisting(
                    name, minLength, Math.max(0, deadline - System.nanoTime()), false, length);
            }
            catch (final ShmMissingException ex)
            {
                // the other creator gave up and removed it between our two attempts: try to create again
                if (System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * Opens an existing object read-write and maps all of it.
     *
     * @param name the object's name.
     * @return the mapped segment.
     * @throws IllegalStateException if it does not exist, is not a regular file, is empty or cannot be opened.
     */
    public static ShmSegment open(final ShmName name)
    {
        return open(name, 1, 0);
    }

    /**
     * Opens an existing object read-write, waiting up to {@code timeoutNanos} for its length to reach
     * {@code minLength} (a creator in another process may not have sized it yet), and maps all of it.
     *
     * @param name         the object's name.
     * @param minLength    the least length to accept.
     * @param timeoutNanos how long to wait for it.
     * @return the mapped segment.
     * @throws IllegalStateException if it does not exist, is not a regular file, stays shorter than
     *                               {@code minLength}, or cannot be opened.
     */
    public static ShmSegment open(final ShmName name, final int minLength, final long timeoutNanos)
    {
        return ShmSegmentFactory.openExisting(name, minLength, timeoutNanos, false, 0);
    }

    /**
     * Opens an existing object for reading only (inspection): nothing can be written through it.
     *
     * @param name the object's name.
     * @return the mapped segment; its buffer must only be read.
     * @throws IllegalStateException if it does not exist, is not a regular file, is empty or cannot be opened.
     */
    public static ShmSegment openReadOnly(final ShmName name)
    {
        return ShmSegmentFactory.openExisting(name, 1, 0, true, 0);
    }

    /** @return the object's name. */
    public ShmName name()
    {
        return name;
    }

    /** @return the mapped memory; it stays valid as long as it is referenced, also after {@link #close()}. */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /** @return the mapped length in bytes. */
    public int length()
    {
        return length;
    }

    /** @return true when this process created the object. */
    public boolean isCreator()
    {
        return creator;
    }

    /** @return true when this process sized an empty object it found (see {@link #createOrOpen}). */
    public boolean isSizedHere()
    {
        return sizedHere;
    }

    /**
     * Allocates the pages of {@code [from, length())} by writing zeros with {@code write(2)}, so that a full tmpfs
     * fails here with an exception instead of with a SIGBUS at first touch. It overwrites that range: only for an
     * object this process alone may write to, such as one it sized and is initialising.
     *
     * @param from the first byte to allocate.
     * @throws IllegalStateException if the pages cannot be allocated.
     */
    public void allocate(final int from)
    {
        try
        {
            ShmFiles.zeroFill(channel, from, length);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot allocate " + (length - from) + " bytes for shared-memory object " +
                name.path() + " (is " + name.path().getParent() + " full?): " + ex, ex);
        }
    }

    /** @return true when mapped read-only. */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    /** @return true once {@link #close()} has run. */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Removes the name, like {@code shm_unlink}, but only while it still names the file this segment mapped (same
     * device and inode): an object created under the same name by someone else since is left alone. Mappings stay
     * valid. The check and the removal are two system calls; a replacement between them is not detected.
     *
     * @return true if this call removed it; false if the name was gone or names another object now.
     */
    public boolean unlink()
    {
        final Object current;
        try
        {
            current = ShmFiles.fileKey(name, name.path());
        }
        catch (final ShmMissingException ex)
        {
            return false;
        }
        if (!fileKey.equals(current))
        {
            return false;
        }
        try
        {
            return Files.deleteIfExists(name.path());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot unlink " + name.path() + ": " + ex, ex);
        }
    }

    /** How long a wait runs before {@link #checkLengthWhileWaiting(long)} checks before each further access. */
    public static final long WAIT_LENGTH_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * The length check of a waiting call, made before each access once the wait has lasted
     * {@link #WAIT_LENGTH_CHECK_NANOS}: a waiter may sit idle for hours while another process truncates the object
     * under it, and an access past the end is a SIGBUS. By then the idle strategy yields or parks, so the fstat costs a
     * waiter nothing it would notice, and a spinning one pays nothing at all.
     *
     * @param waitStartNanos {@link System#nanoTime()} when the wait began.
     * @throws IllegalStateException if the object was truncated, or the segment is closed.
     */
    public void checkLengthWhileWaiting(final long waitStartNanos)
    {
        if (System.nanoTime() - waitStartNanos >= WAIT_LENGTH_CHECK_NANOS)
        {
            checkLength();
        }
    }

    /**
     * Checks that no other process truncated the object below the mapped length: touching a page past the end of
     * the file raises SIGBUS, which the JVM cannot always survive. One {@code fstat} (about a microsecond): for open,
     * slow paths and tools, not per message.
     *
     * @throws IllegalStateException if the object is shorter than the mapping, or the segment is closed.
     */
    public void checkLength()
    {
        final long now;
        try
        {
            now = channel.size();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("shared-memory object " + name.path() + (closed ? " is closed" :
                " cannot be checked: " + ex), ex);
        }
        if (now < length)
        {
            throw new IllegalStateException("shared-memory object " + name.path() + " was truncated by another " +
                "process: length=" + now + " (expected at least " + length + ", the mapped length)");
        }
    }

    /**
     * Closes the segment and unmaps it at once, for an owner that alone uses the buffer and is done with it: an open
     * or create giving up after a failed validation (the mapping is released on every failed open), or a tool that
     * inspected it on one thread. Any later access through {@link #buffer()} is a crash, not an exception, so a
     * segment whose buffer other threads may still hold is closed with {@link #close()} instead, as the queues do.
     */
    public void closeAndUnmap()
    {
        close();
        IoUtil.unmap(mapped);
    }

    /**
     * Closes the segment; idempotent and safe while other threads still use {@link #buffer()}: the file descriptor is
     * closed, the memory stays mapped until the buffer is unreachable (see the class comment). The name stays unless
     * {@link #unlink()} is called.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            ShmFiles.closeQuietly(channel);
        }
    }

    @Override
    public String toString()
    {
        return "ShmSegment{name=" + name + ", length=" + length + ", creator=" + creator + ", readOnly=" + readOnly +
            ", closed=" + isClosed() + '}';
    }
}
