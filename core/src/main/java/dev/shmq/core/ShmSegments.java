package dev.shmq.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
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
    private static final String PROC_SELF = "self";
    private static final String MAPS_FILE = "maps";
    private static final String FILE_ATTRIBUTES =
        "unix:isRegularFile,isSymbolicLink,size,lastModifiedTime,ctime,dev,ino";

    private final Path directory;
    private final Path procRoot;
    private final Unlinker unlinker;

    ShmSegments(final Path directory, final Path procRoot)
    {
        this(directory, procRoot, Files::delete);
    }

    ShmSegments(final Path directory, final Path procRoot, final Unlinker unlinker)
    {
        if (null == directory)
        {
            throw new IllegalArgumentException("directory=null (expected a shared-memory directory)");
        }
        this.directory = directory;
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.unlinker = Objects.requireNonNull(unlinker, "unlinker");
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
        final List<Entry> entries = entries(
            realDirectory(), (name) -> true, (failure) -> failWith(failure.detail()));
        final Scan scan = scan(entries);
        final List<ShmSegmentInfo> infos = new ArrayList<>(entries.size());
        for (final Entry entry : entries)
        {
            infos.add(entry.toInfo(scan));
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
        final Entry entry = existingEntry(name);
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
        final Entry entry = existingEntry(name);
        if (null == entry)
        {
            return false;
        }
        if (!force)
        {
            final ShmSegmentInfo info = entry.toInfo(scan(List.of(entry)));
            if (!info.isStale())
            {
                throw new IllegalStateException("segment " + entry.path + (info.isLive() ? " is live: pids=" +
                    info.pids() : " has liveness " + info.describeLiveness()) +
                    " (expected no process mapping it, or force=true)");
            }
        }
        try
        {
            final Removal removal = removeIfUnchanged(entry, false);
            if (Removal.CHANGED == removal)
            {
                throw new IllegalStateException("segment " + entry.path + " was replaced while it was checked " +
                    "(expected the same device, inode and change time): left alone");
            }
            return Removal.REMOVED == removal;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot remove " + entry.path + ": " + ex, ex);
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
        final List<Entry> entries = entries(realDirectory(), options.nameFilter, report.failed::add);
        final Scan scan = scan(entries);
        final Instant now = Instant.now();
        for (final Entry entry : entries)
        {
            final ShmSegmentInfo info = entry.toInfo(scan);
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
        final Entry entry, final ShmSegmentInfo info, final CleanOptions options, final Instant now,
        final CleanReport report)
    {
        final Duration age = Duration.between(info.lastChanged(), now);
        if (age.compareTo(options.minAge) < 0)
        {
            report.kept.add(new Outcome(entry.name, "too young: changed " + age.toSeconds() + " s ago (expected at " +
                "least minAge=" + options.minAge.toSeconds() + " s; a creator may be allocating or mapping it)"));
        }
        else if (!options.force && !info.isStale())
        {
            report.kept.add(new Outcome(entry.name, "liveness " + info.describeLiveness()));
        }
        else
        {
            remove(entry, options.dryRun, report);
        }
    }

    private void remove(final Entry entry, final boolean dryRun, final CleanReport report)
    {
        try
        {
            final Removal removal = removeIfUnchanged(entry, dryRun);
            if (Removal.REMOVED == removal)
            {
                report.removed.add(entry.name);
            }
            else if (Removal.CHANGED == removal)
            {
                report.kept.add(new Outcome(entry.name, "changed or replaced while it was checked"));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            report.failed.add(new Outcome(entry.name, "cannot remove " + entry.path + ": " + ex));
        }
    }

    /**
     * Removes the file if it still is the one the entry describes. The check and the removal are two system calls: a
     * replacement in between is not detected.
     */
    private Removal removeIfUnchanged(final Entry entry, final boolean dryRun) throws IOException
    {
        final Entry now = Entry.read(entry.path);
        if (null == now)
        {
            return Removal.GONE;
        }
        if (!now.isSameFileAs(entry))
        {
            return Removal.CHANGED;
        }
        if (!dryRun)
        {
            try
            {
                // Never follows a final symbolic link: at worst it removes a link that replaced the file.
                unlinker.unlink(entry.path);
            }
            catch (final NoSuchFileException ex)
            {
                return Removal.GONE;
            }
        }
        return Removal.REMOVED;
    }

    private Entry existingEntry(final String name)
    {
        final ShmName shmName = ShmName.of(directory, name);
        if (!Files.isDirectory(directory))
        {
            return null;
        }
        final Path path = realDirectory().resolve(shmName.name());
        final Entry entry = Entry.read(path);
        if (null != entry && !entry.regularFile)
        {
            throw new IllegalStateException(path + " is not a regular file (" +
                (entry.symbolicLink ? "a symbolic link, never followed" : "type not supported") + ")");
        }
        return entry;
    }

    private Path realDirectory()
    {
        try
        {
            // The directory itself may be reached through a link (e.g. a configured path).
            return directory.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot resolve directory=" + directory + ": " + ex, ex);
        }
    }

    private List<Entry> entries(
        final Path realDirectory, final Predicate<String> nameFilter, final Consumer<Outcome> onFailure)
    {
        final List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(realDirectory))
        {
            for (final Path path : stream)
            {
                final String name = path.getFileName().toString();
                if (nameFilter.test(name))
                {
                    addRegularFile(path, entries, onFailure);
                }
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            throw new IllegalStateException("cannot list directory=" + directory + ": " + ex, ex);
        }
        return entries;
    }

    private static void addRegularFile(final Path path, final List<Entry> entries, final Consumer<Outcome> onFailure)
    {
        try
        {
            final Entry entry = Entry.read(path);
            if (null != entry && entry.regularFile)
            {
                entries.add(entry);
            }
        }
        catch (final IllegalStateException ex)
        {
            onFailure.accept(new Outcome(path.getFileName().toString(), ex.getMessage()));
        }
    }

    private static void failWith(final String message)
    {
        throw new IllegalStateException(message);
    }

    /**
     * One pass over every {@code /proc/<pid>/maps}, keeping the processes that map one of the entries' files and the
     * processes whose maps cannot be read.
     */
    private Scan scan(final Collection<Entry> entries)
    {
        final Map<FileId, Set<Long>> mappers = new HashMap<>();
        final Set<Long> unreadable = new TreeSet<>();
        for (final Entry entry : entries)
        {
            mappers.put(entry.id, new TreeSet<>());
        }
        if (!mappers.isEmpty())
        {
            // A directory that is not a procfs would list no process, and every object would look stale.
            if (!Files.exists(procRoot.resolve(PROC_SELF), LinkOption.NOFOLLOW_LINKS))
            {
                throw new IllegalStateException("procRoot=" + procRoot + " has no " + PROC_SELF +
                    " (expected Linux procfs)");
            }
            try (DirectoryStream<Path> processes = Files.newDirectoryStream(procRoot, ShmSegments::isPidDirectory))
            {
                for (final Path process : processes)
                {
                    scanProcess(process, mappers, unreadable);
                }
            }
            catch (final IOException | UncheckedIOException ex)
            {
                throw new IllegalStateException("cannot list " + procRoot + " (expected Linux procfs): " + ex, ex);
            }
        }
        return new Scan(mappers, List.copyOf(unreadable));
    }

    private static boolean isPidDirectory(final Path path)
    {
        final String name = path.getFileName().toString();
        if (name.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            if (name.charAt(i) < '0' || name.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static void scanProcess(
        final Path process, final Map<FileId, Set<Long>> mappers, final Set<Long> unreadable)
    {
        final long pid;
        try
        {
            pid = Long.parseLong(process.getFileName().toString());
        }
        catch (final NumberFormatException ex)
        {
            return;
        }
        // ISO-8859-1 decodes any byte: a path that is not UTF-8 cannot make a whole process unreadable.
        try (BufferedReader reader = Files.newBufferedReader(process.resolve(MAPS_FILE), StandardCharsets.ISO_8859_1))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                final FileId id = FileId.parseMapsLine(line);
                final Set<Long> pids = null == id ? null : mappers.get(id);
                if (null != pids)
                {
                    pids.add(pid);
                }
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // Gone mid-scan: it maps nothing any more. Still there (another user's, say): it may map anything.
            if (Files.isDirectory(process, LinkOption.NOFOLLOW_LINKS))
            {
                unreadable.add(pid);
            }
        }
    }

    /** Removes one file: {@link Files#delete(Path)} outside of tests. */
    @FunctionalInterface
    interface Unlinker
    {
        void unlink(Path path) throws IOException;
    }

    private enum Removal
    {
        REMOVED, GONE, CHANGED
    }

    /**
     * A file as {@code /proc/<pid>/maps} names it: the device's major and minor numbers, and the inode.
     */
    private record FileId(long major, long minor, long inode)
    {
        private static final int DEVICE_FIELD = 3;

        /**
         * @param dev   {@code st_dev} as Linux (glibc) encodes it: bits 8-19 and 44-63 hold the major number, bits 0-7
         *              and 20-43 the minor number ({@code gnu_dev_major}, {@code gnu_dev_minor}).
         * @param inode {@code st_ino}.
         */
        static FileId ofStat(final long dev, final long inode)
        {
            final long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xffff_f000L);
            final long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffff_ff00L);
            return new FileId(major, minor, inode);
        }

        /**
         * @param line {@code address perms offset major:minor inode [pathname]}, numbers of the device in hex.
         * @return the file it maps, or null for an anonymous mapping (inode 0) or a line that does not parse.
         */
        static FileId parseMapsLine(final String line)
        {
            int start = 0;
            for (int field = 0; field < DEVICE_FIELD; field++)
            {
                start = skipSpaces(line, skipField(line, start));
            }
            final int deviceEnd = skipField(line, start);
            final int colon = line.indexOf(':', start);
            if (colon < 0 || colon >= deviceEnd)
            {
                return null;
            }
            final int inodeStart = skipSpaces(line, deviceEnd);
            try
            {
                final long inode = Long.parseUnsignedLong(line, inodeStart, skipField(line, inodeStart), 10);
                return 0 == inode ? null : new FileId(
                    Long.parseLong(line, start, colon, 16), Long.parseLong(line, colon + 1, deviceEnd, 16), inode);
            }
            catch (final NumberFormatException ex)
            {
                return null;
            }
        }

        private static int skipField(final String line, final int from)
        {
            int i = from;
            while (i < line.length() && line.charAt(i) != ' ')
            {
                i++;
            }
            return i;
        }

        private static int skipSpaces(final String line, final int from)
        {
            int i = from;
            while (i < line.length() && line.charAt(i) == ' ')
            {
                i++;
            }
            return i;
        }
    }

    /** What one scan of {@code /proc} found for the files it looked for. */
    private record Scan(Map<FileId, Set<Long>> mappers, List<Long> unreadablePids)
    {
    }

    /** One file of the directory, from one {@code stat} that does not follow links. */
    private static final class Entry
    {
        private final Path path;
        private final String name;
        private final boolean regularFile;
        private final boolean symbolicLink;
        private final long size;
        private final FileTime lastModified;
        private final FileTime changed;
        private final FileId id;

        private Entry(final Path path, final Map<String, Object> attributes)
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
        static Entry read(final Path path)
        {
            try
            {
                return new Entry(path, Files.readAttributes(path, FILE_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
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

        boolean isSameFileAs(final Entry other)
        {
            return regularFile && id.equals(other.id) && changed.equals(other.changed);
        }

        ShmSegmentInfo toInfo(final Scan scan)
        {
            final Instant modified = lastModified.toInstant();
            final Instant lastChanged = changed.toInstant().isAfter(modified) ? changed.toInstant() : modified;
            return new ShmSegmentInfo(name, path, size, modified, lastChanged,
                new ArrayList<>(scan.mappers().getOrDefault(id, Set.of())), scan.unreadablePids());
        }
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
