package dev.shmq.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file-level operations on a shared-memory object's file that {@link ShmSegment} and
 * {@link ShmSegmentFactory} share: its file key (device and inode) and its size as a regular file, read without
 * following a symbolic link; allocating its pages with {@code write(2)}; closing and deleting quietly while already
 * failing.
 */
final class ShmFiles
{
    private static final int ZERO_FILL_CHUNK = 1 << 16;

    private ShmFiles()
    {
    }

    /** Allocates the pages of {@code [from, length)} by writing zeros, overwriting that range. */
    static void zeroFill(final FileChannel channel, final int from, final int length) throws IOException
    {
        // Touch every page with write(2): on a full tmpfs the write fails with ENOSPC here, where a first touch
        // through the mapping would raise SIGBUS.
        final ByteBuffer zeros = ByteBuffer.allocateDirect(Math.max(1, Math.min(ZERO_FILL_CHUNK, length - from)));
        for (long position = from; position < length; )
        {
            zeros.clear().limit((int)Math.min(zeros.capacity(), length - position));
            position += channel.write(zeros, position);
        }
    }

    /**
     * @return the device and inode of the file at {@code path} (not following a link), as the JDK's file key.
     * @throws ShmMissingException naming {@code name} if nothing is there.
     */
    static Object fileKey(final ShmName name, final Path path)
    {
        try
        {
            final Object key =
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (null == key)
            {
                throw new IllegalStateException("no file key (device and inode) for " + path);
            }
            return key;
        }
        catch (final NoSuchFileException ex)
        {
            throw new ShmMissingException(name);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read attributes of " + path + ": " + ex, ex);
        }
    }

    /**
     * @return the length of the object's file (not following a link).
     * @throws ShmMissingException   if nothing is there.
     * @throws IllegalStateException if it is a symbolic link or not a regular file, or cannot be read.
     */
    static long regularFileSize(final ShmName name)
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

    /** Closes the channel, if any, ignoring a failure. */
    static void closeQuietly(final FileChannel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // best effort while already failing
            }
        }
    }

    /** Deletes the file, if there, ignoring a failure. */
    static void deleteQuietly(final Path path)
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
}
