package dev.shmq.core;

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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes the {@link ShmSegment}s its factory methods return: creates a new object under a staging name and publishes
 * it with {@code link(2)}, or opens an existing one once it is long enough (sizing one a killed creator left empty),
 * and maps it.
 */
final class ShmSegmentFactory
{
    private static final long OPEN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Set<OpenOption> CREATE_OPTIONS = Set.of(
        StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> OPEN_OPTIONS =
        Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ShmSegmentFactory()
    {
    }

    /**
     * Creates, allocates and publishes a new object, then maps it through its published name.
     *
     * @return the mapped segment, or null if the name exists (or a racing creator published it first).
     * @throws IllegalStateException if the object cannot be created, allocated or mapped.
     */
    static ShmSegment tryCreate(
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
        final Path staging =
            name.path().resolveSibling(ShmSegment.STAGING_PREFIX + Long.toHexString(RANDOM.nextLong()));
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

        final Object fileKey;
        try (channel)
        {
            ShmFiles.zeroFill(channel, 0, length);
            fileKey = ShmFiles.fileKey(name, staging);
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
            ShmFiles.deleteQuietly(staging);
        }

        // Map through the published name, so /proc/<pid>/maps (and every tool reading it) shows the real name.
        FileChannel published = null;
        try
        {
            published = FileChannel.open(name.path(), OPEN_OPTIONS);
            if (!fileKey.equals(ShmFiles.fileKey(name, name.path())))
            {
                throw new IllegalStateException("shared-memory object " + name.path() +
                    " was replaced by another process right after this one created it");
            }
            final MappedByteBuffer mapped = published.map(FileChannel.MapMode.READ_WRITE, 0, length);
            return new ShmSegment(name, published, fileKey, mapped, true, false, false);
        }
        catch (final IOException | RuntimeException ex)
        {
            ShmFiles.closeQuietly(published);
            if (ex instanceof IllegalStateException)
            {
                throw (IllegalStateException)ex;
            }
            throw new IllegalStateException("cannot map shared-memory object " + name.path() + ": " + ex, ex);
        }
    }

    /**
     * Opens an existing object once its length reaches {@code minLength}, or the wait runs out, and maps what its
     * file holds.
     *
     * @param sizeIfEmpty the length to give an object still empty when the wait runs out, or 0 to refuse it.
     * @return the mapped segment.
     * @throws ShmMissingException   if it does not exist.
     * @throws IllegalStateException if it is not a regular file, too short or too long, replaced while being opened,
     *                               or cannot be opened.
     */
    static ShmSegment openExisting(
        final ShmName name, final int minLength, final long timeoutNanos, final boolean readOnly, final int sizeIfEmpty)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        long size;
        while (true)
        {
            size = ShmFiles.regularFileSize(name);
            if (size >= minLength || System.nanoTime() - deadline >= 0)
            {
                break;
            }
            LockSupport.parkNanos(OPEN_POLL_NANOS);
        }
        if (size < minLength && !(0 == size && sizeIfEmpty >= minLength))
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
        FileChannel channel = null;
        try
        {
            final Object keyBefore = ShmFiles.fileKey(name, name.path());
            channel = FileChannel.open(name.path(), options);
            // The file this channel holds is the one the name gave before and after the open: no swap in between
            // (Java cannot fstat a channel, so the key comes from the name).
            final Object fileKey = ShmFiles.fileKey(name, name.path());
            if (!fileKey.equals(keyBefore))
            {
                throw new IllegalStateException("shared-memory object " + name.path() +
                    " was replaced by another process while this one opened it");
            }
            boolean sizedHere = false;
            if (0 == size && sizeIfEmpty > 0 && 0 == channel.size())
            {
                // A creator died before sizing it: extend it as C++ does with ftruncate, by writing its last byte,
                // which leaves every byte a racing creator may have written meanwhile untouched.
                channel.write(ByteBuffer.allocate(1), sizeIfEmpty - 1);
                sizedHere = true;
                size = sizeIfEmpty;
            }
            // Map what the file holds now, never more: mapping past the end would grow the file.
            final long now = channel.size();
            if (now < minLength)
            {
                throw new IllegalStateException("shared-memory object " + name.path() + " length=" + now +
                    " (expected at least " + minLength + ")");
            }
            final FileChannel.MapMode mode = readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE;
            final MappedByteBuffer mapped = channel.map(mode, 0, Math.min(now, size));
            return new ShmSegment(name, channel, fileKey, mapped, false, readOnly, sizedHere);
        }
        catch (final RuntimeException ex)
        {
            ShmFiles.closeQuietly(channel);
            throw ex;
        }
        catch (final NoSuchFileException ex)
        {
            throw new ShmMissingException(name);
        }
        catch (final AccessDeniedException ex)
        {
            ShmFiles.closeQuietly(channel);
            throw new IllegalStateException("permission denied opening " + name.path() + " for " +
                (readOnly ? "reading" : "reading and writing"), ex);
        }
        catch (final IOException ex)
        {
            ShmFiles.closeQuietly(channel);
            throw new IllegalStateException("cannot open shared-memory object " + name.path() + ": " + ex, ex);
        }
    }
}
