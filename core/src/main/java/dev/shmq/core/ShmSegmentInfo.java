package dev.shmq.core;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one shared-memory object in a directory: its name, length, last modification and change, and the
 * processes that had it mapped when the directory was scanned.
 *
 * <p>A snapshot is stale the moment it is taken: a process may map or unmap the object right after the scan.
 */
public final class ShmSegmentInfo
{
    /**
     * Whether any process maps the object, as far as {@code /proc} could tell.
     */
    public enum Liveness
    {
        /** At least one process maps it. */
        LIVE,

        /** No process maps it, and the maps of every process could be read. */
        STALE,

        /** No process whose maps could be read maps it, but the maps of some process could not be read. */
        UNKNOWN
    }

    private static final int MAX_PIDS_SHOWN = 5;

    private final String name;
    private final Path path;
    private final long length;
    private final Instant lastModified;
    private final Instant lastChanged;
    private final List<Long> pids;
    private final List<Long> unreadablePids;

    ShmSegmentInfo(
        final String name,
        final Path path,
        final long length,
        final Instant lastModified,
        final Instant lastChanged,
        final List<Long> pids,
        final List<Long> unreadablePids)
    {
        this.name = name;
        this.path = path;
        this.length = length;
        this.lastModified = lastModified;
        this.lastChanged = lastChanged;
        this.pids = List.copyOf(pids);
        this.unreadablePids = List.copyOf(unreadablePids);
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

    /**
     * @return the later of the last modification and the last status change ({@code ctime}: a link, a truncation, a
     * change of mode), i.e. when anyone last did something to the file that the kernel records.
     */
    public Instant lastChanged()
    {
        return lastChanged;
    }

    /** @return the ids of the processes that mapped the object, in ascending order; empty unless live. */
    public List<Long> pids()
    {
        return pids;
    }

    /**
     * @return the ids of the processes whose maps could not be read during the scan (another user's, say), in
     * ascending order: any of them may map the object.
     */
    public List<Long> unreadablePids()
    {
        return unreadablePids;
    }

    /** @return whether the object is live, stale or cannot be told. */
    public Liveness liveness()
    {
        if (!pids.isEmpty())
        {
            return Liveness.LIVE;
        }
        return unreadablePids.isEmpty() ? Liveness.STALE : Liveness.UNKNOWN;
    }

    /** @return true when at least one process maps the object. */
    public boolean isLive()
    {
        return Liveness.LIVE == liveness();
    }

    /**
     * @return true when no process maps the object and every process could be checked: it is left over and only
     * takes memory. False when liveness is {@link Liveness#UNKNOWN unknown}.
     */
    public boolean isStale()
    {
        return Liveness.STALE == liveness();
    }

    /**
     * @return one line for messages: {@code live: mapped by pids [..]}, {@code stale: mapped by nobody}, or
     * {@code unknown: ...} naming the processes whose maps could not be read.
     */
    public String describeLiveness()
    {
        switch (liveness())
        {
            case LIVE:
                return "live: mapped by pids " + pids;
            case STALE:
                return "stale: mapped by nobody";
            default:
                return "unknown: mapped by no process whose maps could be read, but the maps of " +
                    unreadablePids.size() + (1 == unreadablePids.size() ? " process" : " processes") +
                    " could not be read (pids " + shownUnreadablePids() + "; run as their user or as root)";
        }
    }

    private String shownUnreadablePids()
    {
        final StringBuilder shown = new StringBuilder();
        for (int i = 0; i < Math.min(MAX_PIDS_SHOWN, unreadablePids.size()); i++)
        {
            shown.append(0 == i ? "" : ", ").append(unreadablePids.get(i));
        }
        return unreadablePids.size() > MAX_PIDS_SHOWN ? shown.append(", ...").toString() : shown.toString();
    }

    @Override
    public String toString()
    {
        return "ShmSegmentInfo{name=" + name + ", length=" + length + ", lastModified=" + lastModified +
            ", lastChanged=" + lastChanged + ", liveness=" + liveness() + ", pids=" + pids +
            ", unreadablePids=" + unreadablePids.size() + '}';
    }
}
