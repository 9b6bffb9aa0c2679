package dev.shmq.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Lists, inspects, removes and cleans the shared-memory objects of one directory ({@code /dev/shm} by default, or
 * another tmpfs or hugetlbfs mount).
 *
 * <p>Liveness goes by device and inode, never by name. Every line of {@code /proc/<pid>/maps} names the device
 * ({@code major:minor}) and inode of the file it maps, and a process maps an object when one of its lines names the
 * device and inode that {@code stat} gives for the object's file. The path at the end of the line cannot be trusted:
 * the kernel appends {@code " (deleted)"} once a file is unlinked, escapes a newline as {@code \012}, and a name may
 * itself end in {@code " (deleted)"}. An object mapped by at least one process is {@link ShmSegmentInfo.Liveness#LIVE
 * live}; one mapped by none is {@link ShmSegmentInfo.Liveness#STALE stale} only if the maps of every process could be
 * read, and of {@link ShmSegmentInfo.Liveness#UNKNOWN unknown} liveness when some could not (another user's processes,
 * unless run as root). Neither a live object nor one of unknown liveness is removed unless forced. This needs
 * {@code /proc} to report the devices {@code stat} reports, as tmpfs and hugetlbfs do (overlayfs does not); and with
 * procfs mounted {@code hidepid=}, other users' processes are invisible rather than unreadable: run as root there.
 *
 * <p>Liveness is a snapshot: a process may map an object between the scan and a removal, as with {@code ipcrm}.
 * {@link #clean(CleanOptions)} therefore also keeps every object changed less than a minimum age ago: a creator holds
 * its object open but unmapped while it allocates it under a staging name ({@link ShmSegment#STAGING_PREFIX}) and for a
 * moment after it publishes the name, and its writes and its {@code link(2)} update the file's times. Before removing
 * an object, its device, inode and change time are read again, so an object created under the same name since the scan
 * is left alone. Removing a mapped object only removes its name; the mappings stay valid until unmapped. Symbolic links
 * are never followed: they are not listed and never removed.
 */
public final class ShmSegments
{
    /** How long ago an object must have last changed for {@link #clean(CleanOptions)} to remove it, by default. */
    public static final Duration DEFAULT_MIN_AGE = Duration.ofSeconds(60);

    private static final String PROC_ROOT = "/proc";

    private final Path directory;
    private final Path procRoot;
    private final ShmDirectory files;

    ShmSegments(final Path directory, final Path procRoot)
    {
        this(directory, procRoot, Files::delete);
    }

    ShmSegments(final Path directory, final Path procRoot, final ShmDirectory.Unlinker unlinker)
    {
        if (null == directory)
        {
            throw new IllegalArgumentException("directory=null (expected a shared-memory directory)");
        }
        this.directory = directory;
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.files = new ShmDirectory(directory, Objects.requireNonNull(unlinker, "unlinker"));
    }

    /**
     * @return the segments of {@link ShmName#defaultDirectory()}.
     */
    public static ShmSegments inDefaultDirectory()
    {
        return in(ShmName.defaultDirectory());
    }

    /**
     * @param directory the shared-memory directory, e.g. a tmpfs or hugetlbfs mount.
     * @return the segments of that directory.
     */
    public static ShmSegments in(final Path directory)
    {
        return in(directory, Paths.get(PROC_ROOT));
    }

    /**
     * @param directory the shared-memory directory, e.g. a tmpfs or hugetlbfs mount.
     * @param procRoot  the procfs whose processes may map its objects, {@code /proc} unless it is mounted elsewhere
     *                  (the host's, in a container); it must hold {@code self}.
     * @return the segments of that directory.
     */
    public static ShmSegments in(final Path directory, final Path procRoot)
    {
        return new ShmSegments(directory, procRoot);
    }

    /** @return the directory as given. */
    public Path directory()
    {
        return directory;
    }

    /**
     * Lists every regular file of the directory with the processes that map it. Symbolic links, directories and other
     * files are left out.
     *
     * @return the segments, ordered by name.
     * @throws IllegalStateException if the directory, a file's attributes or {@code /proc} cannot be read.
     */
    public List<ShmSegmentInfo> list()
    {
        final List<ShmDirectoryEntry> entries = files.entries((name) -> true, (failure) -> failWith(failure.detail()));
        final ShmMappings mappings = scan(entries);
        final List<ShmSegmentInfo> infos = new ArrayList<>(entries.size());
        for (final ShmDirectoryEntry entry : entries)
        {
            infos.add(entry.toInfo(mappings));
        }
        infos.sort(Comparator.comparing(ShmSegmentInfo::name));
        return infos;
    }

    /**
     * Describes one object.
     *
     * @param name the object's name, checked as {@link ShmName} checks it.
     * @return the segment, or empty if there is no regular file of that name.
     * @throws IllegalArgumentException if the name is not a valid shared-memory object name.
     * @throws IllegalStateException    if the name is a symbolic link or not a regular file, or {@code /proc} cannot
     *                                  be read.
     */
    public Optional<ShmSegmentInfo> inspect(final String name)
    {
        final ShmDirectoryEntry entry = files.existingEntry(name);
        return null == entry ? Optional.empty() : Optional.of(entry.toInfo(scan(List.of(entry))));
    }

    /**
     * Removes an object's name, refusing a live one, or one whose liveness is unknown, unless forced.
     *
     * @param name  the object's name, checked as {@link ShmName} checks it.
     * @param force true to remove it even while processes map it (their mappings stay valid).
     * @return true if this call removed it, false if it did not exist.
     * @throws IllegalArgumentException if the name is not a valid shared-memory object name.
     * @throws IllegalStateException    if it is live or of unknown liveness and {@code force} is false (the message
     *                                  says which processes), if it is a symbolic link or not a regular file, if it
     *                                  was replaced while being checked, or if it cannot be removed.
     */
    public boolean remove(final String name, final boolean force)
    {
        final ShmDirectoryEntry entry = files.existingEntry(name);
        if (null == entry)
        {
            return false;
        }
        if (!force)
        {
            final ShmSegmentInfo info = entry.toInfo(scan(List.of(entry)));
            if (!info.isStale())
            {
                throw new IllegalStateException("segment " + entry.path() + (info.isLive() ? " is live: pids=" +
                    info.pids() : " has liveness " + info.describeLiveness()) +
                    " (expected no process mapping it, or force=true)");
            }
        }
        try
        {
            final ShmDirectory.Removal removal = files.removeIfUnchanged(entry, false);
            if (ShmDirectory.Removal.CHANGED == removal)
            {
                throw new IllegalStateException("segment " + entry.path() + " was replaced while it was checked " +
                    "(expected the same device, inode and change time): left alone");
            }
            return ShmDirectory.Removal.REMOVED == removal;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot remove " + entry.path() + ": " + ex, ex);
        }
    }

    /**
     * Removes the objects the options select: by default every stale one changed at least {@link #DEFAULT_MIN_AGE}
     * ago. Objects of unknown liveness and younger ones are kept and reported; a failure to read or remove one object
     * is reported and the others are still cleaned.
     *
     * @param options which objects to remove, and whether to remove them or only report them.
     * @return what was removed (or would be, in a dry run), kept and failed.
     * @throws IllegalStateException if the directory or {@code /proc} cannot be read: then nothing is removed.
     */
    public CleanReport clean(final CleanOptions options)
    {
        final CleanReport report = new CleanReport(options.dryRun);
        final List<ShmDirectoryEntry> entries = files.entries(options.nameFilter, report.failed::add);
        final ShmMappings mappings = scan(entries);
        final Instant now = Instant.now();
        for (final ShmDirectoryEntry entry : entries)
        {
            final ShmSegmentInfo info = entry.toInfo(mappings);
            if (options.force || !info.isLive())
            {
                clean(entry, info, options, now, report);
            }
        }
        return report;
    }

    @Override
    public String toString()
    {
        return "ShmSegments{directory=" + directory + '}';
    }

    private void clean(
        final ShmDirectoryEntry entry, final ShmSegmentInfo info, final CleanOptions options, final Instant now,
        final CleanReport report)
    {
        final Duration age = Duration.between(info.lastChanged(), now);
        if (age.compareTo(options.minAge) < 0)
        {
            report.kept.add(new Outcome(entry.name(), "too young: changed " + age.toSeconds() + " s ago (expected at " +
                "least minAge=" + options.minAge.toSeconds() + " s; a creator may be allocating or mapping it)"));
        }
        else if (!options.force && !info.isStale())
        {
            report.kept.add(new Outcome(entry.name(), "liveness " + info.describeLiveness()));
        }
        else
        {
            remove(entry, options.dryRun, report);
        }
    }

    private void remove(final ShmDirectoryEntry entry, final boolean dryRun, final CleanReport report)
    {
        try
        {
            final ShmDirectory.Removal removal = files.removeIfUnchanged(entry, dryRun);
            if (ShmDirectory.Removal.REMOVED == removal)
            {
                report.removed.add(entry.name());
            }
            else if (ShmDirectory.Removal.CHANGED == removal)
            {
                report.kept.add(new Outcome(entry.name(), "changed or replaced while it was checked"));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            report.failed.add(new Outcome(entry.name(), "cannot remove " + entry.path() + ": " + ex));
        }
    }

    /** One scan of {@code /proc} for the files of the entries. */
    private ShmMappings scan(final Collection<ShmDirectoryEntry> entries)
    {
        final List<FileId> ids = new ArrayList<>(entries.size());
        for (final ShmDirectoryEntry entry : entries)
        {
            ids.add(entry.id());
        }
        return ShmMappings.scan(procRoot, ids);
    }

    private static void failWith(final String message)
    {
        throw new IllegalStateException(message);
    }

    /**
     * Which objects {@link #clean(CleanOptions)} removes. Immutable: each method returns a changed copy.
     */
    public static final class CleanOptions
    {
        /** Every stale object changed at least {@link #DEFAULT_MIN_AGE} ago, whatever its name, removed for real. */
        public static final CleanOptions DEFAULT = new CleanOptions((name) -> true, DEFAULT_MIN_AGE, false, false);

        private final Predicate<String> nameFilter;
        private final Duration minAge;
        private final boolean force;
        private final boolean dryRun;

        private CleanOptions(
            final Predicate<String> nameFilter, final Duration minAge, final boolean force, final boolean dryRun)
        {
            this.nameFilter = nameFilter;
            this.minAge = minAge;
            this.force = force;
            this.dryRun = dryRun;
        }

        /**
         * @param nameFilter which names may be removed, e.g. {@code n -> n.startsWith("shmq-test-")}.
         * @return a copy with that filter.
         */
        public CleanOptions names(final Predicate<String> nameFilter)
        {
            return new CleanOptions(Objects.requireNonNull(nameFilter, "nameFilter"), minAge, force, dryRun);
        }

        /**
         * @param minAge how long ago an object must have last changed ({@link ShmSegmentInfo#lastChanged()}) to be
         *               removed; younger ones are kept, forced or not.
         * @return a copy with that age.
         * @throws IllegalArgumentException if it is negative.
         */
        public CleanOptions minAge(final Duration minAge)
        {
            if (minAge.isNegative())
            {
                throw new IllegalArgumentException("minAge=" + minAge + " (expected zero or more)");
            }
            return new CleanOptions(nameFilter, minAge, force, dryRun);
        }

        /**
         * @param force true to remove live objects and objects of unknown liveness too (their mappings stay valid).
         * @return a copy with that choice.
         */
        public CleanOptions force(final boolean force)
        {
            return new CleanOptions(nameFilter, minAge, force, dryRun);
        }

        /**
         * @param dryRun true to report what would be removed and remove nothing.
         * @return a copy with that choice.
         */
        public CleanOptions dryRun(final boolean dryRun)
        {
            return new CleanOptions(nameFilter, minAge, force, dryRun);
        }
    }

    /**
     * An object {@link #clean(CleanOptions)} kept or failed to remove, and why.
     *
     * @param name   the object's name.
     * @param detail why it was kept, or what failed.
     */
    public record Outcome(String name, String detail)
    {
    }

    /**
     * What {@link #clean(CleanOptions)} did, object by object, in directory order.
     */
    public static final class CleanReport
    {
        private final boolean dryRun;
        private final List<String> removed = new ArrayList<>();
        private final List<Outcome> kept = new ArrayList<>();
        private final List<Outcome> failed = new ArrayList<>();

        private CleanReport(final boolean dryRun)
        {
            this.dryRun = dryRun;
        }

        /** @return true when nothing was removed on purpose: {@link #removed()} lists what would have been. */
        public boolean isDryRun()
        {
            return dryRun;
        }

        /** @return the names removed, or that would have been in a dry run. */
        public List<String> removed()
        {
            return List.copyOf(removed);
        }

        /**
         * @return the objects kept although they are not known to be live: of unknown liveness, too young, or changed
         * while being checked. Live objects are not listed.
         */
        public List<Outcome> kept()
        {
            return List.copyOf(kept);
        }

        /** @return the objects that could not be read or removed. */
        public List<Outcome> failed()
        {
            return List.copyOf(failed);
        }

        @Override
        public String toString()
        {
            return "CleanReport{dryRun=" + dryRun + ", removed=" + removed + ", kept=" + kept + ", failed=" + failed +
                '}';
        }
    }
}
