package dev.shmq.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/** One file of a shared-memory directory, from one {@code stat} that does not follow links. */
final class ShmDirectoryEntry
{
    private static final String FILE_ATTRIBUTES =
        "unix:isRegularFile,isSymbolicLink,size,lastModifiedTime,ctime,dev,ino";

    private final Path path;
    private final String name;
    private final boolean regularFile;
    private final boolean symbolicLink;
    private final long size;
    private final FileTime lastModified;
    private final FileTime changed;
    private final FileId id;

    private ShmDirectoryEntry(final Path path, final Map<String, Object> attributes)
    {
        this.path = path;
        this.name = path.getFileName().toString();
        this.regularFile = (Boolean)attributes.get("isRegularFile");
        this.symbolicLink = (Boolean)attributes.get("isSymbolicLink");
        this.size = (Long)attributes.get("size");
        this.lastModified = (FileTime)attributes.get("lastModifiedTime");
        this.changed = (FileTime)attributes.get("ctime");
        this.id = FileId.ofStat((Long)attributes.get("dev"), (Long)attributes.get("ino"));
    }

    /**
     * @return the file's entry, or null if nothing is there.
     * @throws IllegalStateException if its attributes cannot be read.
     */
    static ShmDirectoryEntry read(final Path path)
    {
        try
        {
            return new ShmDirectoryEntry(
                path, Files.readAttributes(path, FILE_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read attributes of " + path + ": " + ex, ex);
        }
        catch (final UnsupportedOperationException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("cannot read the device and inode of " + path +
                " (expected Linux, whose file systems have the unix attribute view): " + ex, ex);
        }
    }

    /** @return the file's path, in the directory's real path. */
    Path path()
    {
        return path;
    }

    /** @return the file's name. */
    String name()
    {
        return name;
    }

    /** @return true for a regular file. */
    boolean isRegularFile()
    {
        return regularFile;
    }

    /** @return true for a symbolic link, which is never followed. */
    boolean isSymbolicLink()
    {
        return symbolicLink;
    }

    /** @return the file's device and inode, as {@code /proc/<pid>/maps} names them. */
    FileId id()
    {
        return id;
    }

    boolean isSameFileAs(final ShmDirectoryEntry other)
    {
        return regularFile && id.equals(other.id) && changed.equals(other.changed);
    }

    ShmSegmentInfo toInfo(final ShmMappings mappings)
    {
        final Instant modified = lastModified.toInstant();
        final Instant lastChanged = changed.toInstant().isAfter(modified) ? changed.toInstant() : modified;
        return new ShmSegmentInfo(name, path, size, modified, lastChanged,
            mappings.pidsMapping(id), mappings.unreadablePids());
    }
}
