package dev.shmq.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one scan of {@code /proc} found for the files it looked for: which processes map each of them, by device and
 * inode, and which processes' maps could not be read. It is the liveness check of {@link ShmSegments}.
 */
final class ShmMappings
{
    private static final String PROC_SELF = "self";
    private static final String MAPS_FILE = "maps";

    private final Map<FileId, Set<Long>> mappers;
    private final List<Long> unreadablePids;

    private ShmMappings(final Map<FileId, Set<Long>> mappers, final List<Long> unreadablePids)
    {
        this.mappers = mappers;
        this.unreadablePids = unreadablePids;
    }

    /**
     * One pass over every {@code /proc/<pid>/maps}, keeping the processes that map one of the files and the
     * processes whose maps cannot be read.
     *
     * @param procRoot the procfs to scan; it must hold {@code self}.
     * @param files    the files to look for; none, and {@code /proc} is not read at all.
     * @return what the pass found.
     * @throws IllegalStateException if {@code procRoot} is not a procfs or cannot be listed.
     */
    static ShmMappings scan(final Path procRoot, final Collection<FileId> files)
    {
        final Map<FileId, Set<Long>> mappers = new HashMap<>();
        final Set<Long> unreadable = new TreeSet<>();
        for (final FileId file : files)
        {
            mappers.put(file, new TreeSet<>());
        }
        if (!mappers.isEmpty())
        {
            // A directory that is not a procfs would list no process, and every object would look stale.
            if (!Files.exists(procRoot.resolve(PROC_SELF), LinkOption.NOFOLLOW_LINKS))
            {
                throw new IllegalStateException("procRoot=" + procRoot + " has no " + PROC_SELF +
                    " (expected Linux procfs)");
            }
            try (DirectoryStream<Path> processes = Files.newDirectoryStream(procRoot, ShmMappings::isPidDirectory))
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
        return new ShmMappings(mappers, List.copyOf(unreadable));
    }

    /**
     * @param file a file the scan looked for.
     * @return the processes that map it, in ascending order: a new list, empty if none does.
     */
    List<Long> pidsMapping(final FileId file)
    {
        return new ArrayList<>(mappers.getOrDefault(file, Set.of()));
    }

    /** @return the processes whose maps could not be read, in ascending order. */
    List<Long> unreadablePids()
    {
        return unreadablePids;
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
}
