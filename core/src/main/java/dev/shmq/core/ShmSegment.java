package dev.shmq.core;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A shared-memory object mapped into this process, exposed as an {@link AtomicBuffer}.
 *
 * <p>Creation allocates every page up front by writing zeros through the file channel, so a full {@code /dev/shm}
 * fails here with an exception rather than with a SIGBUS on first touch. It allocates under a private staging name
 * and publishes the finished object with {@code link(2)}, so no other process sees it half allocated and exactly one
 * of several racing creators wins. Opening never follows a symbolic link and
 * refuses anything that is not a regular file. {@link #close()} unmaps and is idempotent; the buffer is re-pointed at
 * an empty array first, so a stray access after close fails Agrona's bounds check instead of touching unmapped
 * memory (close only once no thread uses the segment).
 */
public final class ShmSegment implements AutoCloseable
{
    /** Permissions of a new object unless told otherwise: owner read and write (0600), as zeroq creates them. */
    public static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    private static final int ZERO_FILL_CHUNK = 1 << 16;
    private static final long OPEN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final byte[] EMPTY = new byte[0];
    private static final Set<OpenOption> CREATE_OPTIONS = Set.of(
        StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> OPEN_OPTIONS =
        Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final SecureRandom RANDOM = new SecureRandom();

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
    private MappedByteBuffer mapped;

    private ShmSegment(
        final ShmName name, final MappedByteBuffer mapped, final boolean creator, final boolean readOnly)
    {
        this.name = name;
        this.mapped = mapped;
        this.creator = creator;
        this.readOnly = readOnly;
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
        final ShmSegment segment = tryCreate(name, length, permissions);
        if (null == segment)
        {
            throw new IllegalStateException("shared-memory object " + name.path() + " already exists");
        }
        return segment;
    }

    /**
     * Creates the object if the name is free, otherwise opens the existing one, waiting up to {@code timeoutNanos}
     * for its creator to give it at least {@code minLength} bytes.
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
            final ShmSegment created = tryCreate(name, length, permissions);
            if (null != created)
            {
                return created;
            }
            try
            {
                return open(name, minLength, Math.max(0, deadline - System.nanoTime()));
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
        return openExisting(name, minLength, timeoutNanos, false);
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
        return openExisting(name, 1, 0, true);
    }

    private static ShmSegment tryCreate(
        final ShmName name, final int length, final Set<PosixFilePermission> permissions)
    {
        if (length < 1)
        {
            throw new IllegalArgumentException("length=" + length + " (expected at least 1)");
        }
        if (Files.exists(name.path(), LinkOption.NOFOLLOW_LINKS))
        {
            return null;
        }
        // Allocate under a private name, then publish with link(2), which fails if the name exists: no other process
        // can see (and start to initialise) the object while its pages are still being zero-filled, and of two
        // racing creators exactly one wins.
        final Path staging = name.path().resolveSibling(STAGING_PREFIX + Long.toHexString(RANDOM.nextLong()));
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(staging, CREATE_OPTIONS, PosixFilePermissions.asFileAttribute(permissions));
        }
        catch (final AccessDeniedException ex)
        {
            throw new IllegalStateException("permission denied creating " + name.path() + " (need write access to " +
                name.path().getParent() + ")", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create shared-memory object " + name.path() + ": " + ex, ex);
        }

        try (channel)
        {
            allocate(channel, length);
            Files.createLink(name.path(), staging);
        }
        catch (final FileAlreadyExistsException ex)
        {
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot allocate " + length + " bytes for shared-memory object " +
                name.path() + " (is " + name.path().getParent() + " full?): " + ex, ex);
        }
        finally
        {
            deleteQuietly(staging);
        }

        // Map through the published name, so /proc/<pid>/maps (and every tool reading it) shows the real name.
        try (FileChannel published = FileChannel.open(name.path(), OPEN_OPTIONS))
        {
            return new ShmSegment(name, published.map(FileChannel.MapMode.READ_WRITE, 0, length), true, false);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot map shared-memory object " + name.path() + ": " + ex, ex);
        }
    }

    private static void allocate(final FileChannel channel, final int length) throws IOException
    {
        // Touch every page with write(2): on a full tmpfs the write fails with ENOSPC here, where a first touch
        // through the mapping would raise SIGBUS.
        final ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(ZERO_FILL_CHUNK, length));
        for (long position = 0; position < length; )
        {
            zeros.clear().limit((int)Math.min(zeros.capacity(), length - position));
            position += channel.write(zeros, position);
        }
    }

    private static ShmSegment openExisting(
        final ShmName name, final int minLength, final long timeoutNanos, final boolean readOnly)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        long size;
        while (true)
        {
            size = regularFileSize(name);
            if (size >= minLength || System.nanoTime() - deadline >= 0)
            {
                break;
            }
            LockSupport.parkNanos(OPEN_POLL_NANOS);
        }
        if (size < minLength)
        {
            throw new IllegalStateException("shared-memory object " + name.path() + " length=" + size +
                " (expected at least " + minLength + ")");
        }
        if (size > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("shared-memory object " + name.path() + " length=" + size +
                " (expected at most " + Integer.MAX_VALUE + ", the largest buffer Agrona can address)");
        }

        final Set<OpenOption> options = readOnly ?
            Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS) :
            OPEN_OPTIONS;
        try (FileChannel channel = FileChannel.open(name.path(), options))
        {
            // Map what the file holds now, never more: mapping past the end would grow the file.
            final long now = channel.size();
            if (now < minLength)
            {
                throw new IllegalStateException("shared-memory object " + name.path() + " length=" + now +
                    " (expected at least " + minLength + ")");
            }
            final FileChannel.MapMode mode = readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE;
            return new ShmSegment(name, channel.map(mode, 0, Math.min(now, size)), false, readOnly);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ShmMissingException(name);
        }
        catch (final AccessDeniedException ex)
        {
            throw new IllegalStateException("permission denied opening " + name.path() + " for " +
                (readOnly ? "reading" : "reading and writing"), ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot open shared-memory object " + name.path() + ": " + ex, ex);
        }
    }

    private static long regularFileSize(final ShmName name)
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(name.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ShmMissingException(name);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read attributes of " + name.path() + ": " + ex, ex);
        }
        if (!attributes.isRegularFile())
        {
            throw new IllegalStateException(name.path() + " is not a regular file (" +
                (attributes.isSymbolicLink() ? "a symbolic link, never followed" : "type not supported") + ")");
        }
        return attributes.size();
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // best effort while already failing
        }
    }

    /** @return the object's name. */
    public ShmName name()
    {
        return name;
    }

    /** @return the mapped memory; valid until {@link #close()}. */
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

    /** @return true when mapped read-only. */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    /** @return true once {@link #close()} has run. */
    public boolean isClosed()
    {
        return null == mapped;
    }

    /**
     * Removes the name, like {@code shm_unlink}. Mappings stay valid until closed.
     *
     * @return true if this call removed it, false if it was already gone.
     */
    public boolean unlink()
    {
        try
        {
            return Files.deleteIfExists(name.path());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot unlink " + name.path() + ": " + ex, ex);
        }
    }

    /**
     * Unmaps the segment. Idempotent. The name stays unless {@link #unlink()} is called.
     */
    @Override
    public void close()
    {
        final MappedByteBuffer toUnmap = mapped;
        if (null != toUnmap)
        {
            mapped = null;
            buffer.wrap(EMPTY);
            IoUtil.unmap(toUnmap);
        }
    }

    @Override
    public String toString()
    {
        return "ShmSegment{name=" + name + ", length=" + length + ", creator=" + creator + ", readOnly=" + readOnly +
            ", closed=" + isClosed() + '}';
    }
}
