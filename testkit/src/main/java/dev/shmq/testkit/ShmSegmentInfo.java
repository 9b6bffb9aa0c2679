package dev.shmq.testkit;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one shared-memory object in a directory: its name, length, last modification and the processes that
 * had it mapped when the directory was scanned.
 *
 * <p>A snapshot is stale the moment it is taken: a process may map or unmap the object right after the scan.
 */
public final class ShmSegmentInfo
{
    private final String name;
    private final Path path;
    private final long length;
    private final Instant lastModified;
    private final List<Long> pids;

    ShmSegmentInfo(
        final String name, final Path path, final long length, final Instant lastModified, final List<Long> pids)
    {
        this.name = name;
        this.path = path;
        this.length = length;
        this.lastModified = lastModified;
        this.pids = List.copyOf(pids);
    }

    /** @return the object's name, without a leading {@code /}. */
    public String name()
    {
        return name;
    }

    /** @return the file that holds the object. */
    public Path path()
    {
        return path;
    }

    /** @return the length of the file in bytes. */
    public long length()
    {
        return length;
    }

    /** @return when the file was last modified (writes through a mapping need not update it). */
    public Instant lastModified()
    {
        return lastModified;
    }

    /** @return the ids of the processes that mapped the object, in ascending order; empty when stale. */
    public List<Long> pids()
    {
        return pids;
    }

    /** @return true when at least one process maps the object. */
    public boolean isLive()
    {
        return !pids.isEmpty();
    }

    /** @return true when no process maps the object: it is left over and only takes memory. */
    public boolean isStale()
    {
        return pids.isEmpty();
    }

    @Override
    public String toString()
    {
        return "ShmSegmentInfo{name=" + name + ", length=" + length + ", lastModified=" + lastModified +
            ", pids=" + pids + '}';
    }
}
