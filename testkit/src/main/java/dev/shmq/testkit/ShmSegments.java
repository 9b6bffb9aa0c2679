package dev.shmq.testkit;

import dev.shmq.core.ShmName;

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
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Lists, inspects and removes the shared-memory objects of one directory ({@code /dev/shm} by default, or another
 * tmpfs or hugetlbfs mount).
 *
 * <p>The processes that map an object are found by scanning {@code /proc/<pid>/maps} for the object's path and inode;
 * a mapping whose object was unlinked after the directory was read shows with a {@code " (deleted)"} suffix and still
 * counts. Processes whose {@code /proc} entries cannot be read (another user's, or gone mid-scan) are skipped, so a
 * segment mapped only by such a process looks stale. An object mapped by nobody is stale; one mapped by at least one
 * process is live. Symbolic links are never followed: they are not listed and never removed.
 *
 * <p>Liveness is a snapshot: a process may map an object between the scan and a removal, as with {@code ipcrm}.
 * Removing a mapped object only removes its name; the mappings stay valid until unmapped.
 */
public final class ShmSegments
{
    private static final String PROC_ROOT = "/proc";
    private static final String DELETED_SUFFIX = " (deleted)";
    private static final String INODE_ATTRIBUTE = "unix:ino";

    private final Path directory;
    private final Path procRoot;

    ShmSegments(final Path directory, final Path procRoot)
    {
        if (null == directory)
        {
            throw new IllegalArgumentException("directory=null (expected a shared-memory directory)");
        }
        this.directory = directory;
        this.procRoot = procRoot;
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
        return new ShmSegments(directory, Paths.get(PROC_ROOT));
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
     * @throws IllegalStateException if the directory or {@code /proc} cannot be read.
     */
    public List<ShmSegmentInfo> list()
    {
        final Path realDirectory = realDirectory();
        final List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(realDirectory))
        {
            for (final Path path : stream)
            {
                final Entry entry = entry(path);
                if (null != entry)
                {
                    entries.add(entry);
                }
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            throw new IllegalStateException("cannot list directory=" + directory + ": " + ex, ex);
        }

        final Map<String, List<Mapping>> mappings = scanMappings(realDirectory);
        final List<ShmSegmentInfo> infos = new ArrayList<>(entries.size());
        for (final Entry entry : entries)
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
        final ShmName shmName = ShmName.of(directory, name);
        if (!Files.isDirectory(directory))
        {
            return Optional.empty();
        }
        final Path realDirectory = realDirectory();
        final Entry entry = requireRegularOrAbsent(realDirectory.resolve(shmName.name()));
        if (null == entry)
        {
            return Optional.empty();
        }
        return Optional.of(entry.toInfo(scanMappings(realDirectory)));
    }

    /**
     * Removes an object's name, refusing a live one unless forced.
     *
     * @param name  the object's name, checked as {@link ShmName} checks it.
     * @param force true to remove it even while processes map it (their mappings stay valid).
     * @return true if this call removed it, false if it did not exist.
     * @throws IllegalArgumentException if the name is not a valid shared-memory object name.
     * @throws IllegalStateException    if it is live and {@code force} is false (the message names the pids), if it is
     *                                  a symbolic link or not a regular file, or if it cannot be removed.
     */
    public boolean remove(final String name, final boolean force)
    {
        final ShmName shmName = ShmName.of(directory, name);
        if (!Files.isDirectory(directory))
        {
            return false;
        }
        final Path realDirectory = realDirectory();
        final Entry entry = requireRegularOrAbsent(realDirectory.resolve(shmName.name()));
        if (null == entry)
        {
            return false;
        }
        if (!force)
        {
            final ShmSegmentInfo info = entry.toInfo(scanMappings(realDirectory));
            if (info.isLive())
            {
                throw new IllegalStateException("segment " + entry.path + " is live: pids=" + info.pids() +
                    " (expected no process mapping it, or force=true)");
            }
        }
        return delete(entry.path);
    }

    /**
     * Removes every stale object whose name the filter accepts. Live objects are left alone.
     *
     * @param nameFilter which names may be removed, e.g. {@code n -> n.startsWith("shmq-test-")}.
     * @return the names removed, in order.
     * @throws IllegalStateException if the directory or {@code /proc} cannot be read, or a file cannot be removed.
     */
    public List<String> removeStale(final Predicate<String> nameFilter)
    {
        final List<String> removed = new ArrayList<>();
        for (final ShmSegmentInfo info : list())
        {
            if (info.isStale() && nameFilter.test(info.name()) && delete(info.path()))
            {
                removed.add(info.name());
            }
        }
        return removed;
    }

    @Override
    public String toString()
    {
        return "ShmSegments{directory=" + directory + '}';
    }

    private Path realDirectory()
    {
        try
        {
            // The directory itself may be reached through a link (e.g. a configured path); /proc shows real paths.
            return directory.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot resolve directory=" + directory + ": " + ex, ex);
        }
    }

    private static boolean delete(final Path path)
    {
        try
        {
            // Files.delete never follows a final symbolic link: at worst it removes a link that replaced the file.
            return Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot remove " + path + ": " + ex, ex);
        }
    }

    private static Entry requireRegularOrAbsent(final Path path)
    {
        final BasicFileAttributes attributes = attributes(path);
        if (null == attributes)
        {
            return null;
        }
        if (!attributes.isRegularFile())
        {
            throw new IllegalStateException(path + " is not a regular file (" +
                (attributes.isSymbolicLink() ? "a symbolic link, never followed" : "type not supported") + ")");
        }
        return entry(path);
    }

    private static Entry entry(final Path path)
    {
        final BasicFileAttributes attributes = attributes(path);
        if (null == attributes || !attributes.isRegularFile())
        {
            return null;
        }
        return new Entry(path, attributes, inode(path));
    }

    private static BasicFileAttributes attributes(final Path path)
    {
        try
        {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read attributes of " + path + ": " + ex, ex);
        }
    }

    private static long inode(final Path path)
    {
        try
        {
            final Object inode = Files.getAttribute(path, INODE_ATTRIBUTE, LinkOption.NOFOLLOW_LINKS);
            return inode instanceof Long ? (Long)inode : Mapping.UNKNOWN_INODE;
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException ex)
        {
            return Mapping.UNKNOWN_INODE;
        }
    }

    /**
     * One pass over every readable {@code /proc/<pid>/maps}, keeping the mappings of files in the directory.
     */
    private Map<String, List<Mapping>> scanMappings(final Path realDirectory)
    {
        final String prefix = realDirectory.toString().endsWith("/") ?
            realDirectory.toString() : realDirectory + "/";
        final Map<String, List<Mapping>> byName = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(procRoot, ShmSegments::isPidDirectory))
        {
            for (final Path process : processes)
            {
                scanProcess(process, prefix, byName);
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            throw new IllegalStateException("cannot list " + procRoot + " (expected Linux procfs): " + ex, ex);
        }
        return byName;
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

    private static void scanProcess(final Path process, final String prefix, final Map<String, List<Mapping>> byName)
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
        try (BufferedReader reader = Files.newBufferedReader(process.resolve("maps"), StandardCharsets.UTF_8))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                if (line.indexOf(prefix) >= 0)
                {
                    final Mapping mapping = Mapping.parse(pid, line, prefix);
                    if (null != mapping)
                    {
                        byName.computeIfAbsent(mapping.name, (k) -> new ArrayList<>()).add(mapping);
                    }
                }
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // not ours to read, or the process exited mid-scan: skip it
        }
    }

    private static final class Entry
    {
        private final Path path;
        private final String name;
        private final BasicFileAttributes attributes;
        private final long inode;

        private Entry(final Path path, final BasicFileAttributes attributes, final long inode)
        {
            this.path = path;
            this.name = path.getFileName().toString();
            this.attributes = attributes;
            this.inode = inode;
        }

        private ShmSegmentInfo toInfo(final Map<String, List<Mapping>> mappings)
        {
            final TreeSet<Long> pids = new TreeSet<>();
            for (final Mapping mapping : mappings.getOrDefault(name, List.of()))
            {
                // An older object of the same name, unlinked but still mapped, has another inode: not this one.
                if (Mapping.UNKNOWN_INODE == inode || Mapping.UNKNOWN_INODE == mapping.inode || inode == mapping.inode)
                {
                    pids.add(mapping.pid);
                }
            }
            return new ShmSegmentInfo(
                name, path, attributes.size(), attributes.lastModifiedTime().toInstant(), new ArrayList<>(pids));
        }
    }

    /**
     * One line of {@code /proc/<pid>/maps}: {@code address perms offset dev inode pathname}, the pathname padded with
     * spaces and ending in {@code " (deleted)"} once the file was unlinked.
     */
    static final class Mapping
    {
        static final long UNKNOWN_INODE = -1;
        private static final int FIELDS_BEFORE_INODE = 4;

        final long pid;
        final long inode;
        final String name;

        private Mapping(final long pid, final long inode, final String name)
        {
            this.pid = pid;
            this.inode = inode;
            this.name = name;
        }

        static Mapping parse(final long pid, final String line, final String directoryPrefix)
        {
            int cursor = 0;
            for (int field = 0; field < FIELDS_BEFORE_INODE; field++)
            {
                cursor = skipSpaces(line, skipField(line, cursor));
            }
            final int inodeEnd = skipField(line, cursor);
            final long inode;
            try
            {
                inode = Long.parseLong(line.substring(cursor, inodeEnd));
            }
            catch (final NumberFormatException ex)
            {
                return null;
            }
            final int pathStart = skipSpaces(line, inodeEnd);
            String path = line.substring(pathStart);
            if (!path.startsWith(directoryPrefix))
            {
                return null;
            }
            if (path.endsWith(DELETED_SUFFIX))
            {
                path = path.substring(0, path.length() - DELETED_SUFFIX.length());
            }
            final String name = path.substring(directoryPrefix.length());
            if (name.isEmpty() || name.indexOf('/') >= 0)
            {
                return null;
            }
            return new Mapping(pid, inode, name);
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
}
