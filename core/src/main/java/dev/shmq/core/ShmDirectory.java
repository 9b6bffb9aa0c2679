package dev.shmq.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The files of one shared-memory directory, as {@link ShmSegments} reads and removes them: listed, looked up by name
 * and removed without ever following a symbolic link, and removed only while still the file that was read.
 */
final class ShmDirectory
{
    private final Path directory;
    private final Unlinker unlinker;

    ShmDirectory(final Path directory, final Unlinker unlinker)
    {
        this.directory = directory;
        this.unlinker = unlinker;
    }

    /**
     * @param nameFilter which names to read.
     * @param onFailure  told of each file whose attributes cannot be read, which is left out.
     * @return the regular files whose names pass the filter, in directory order.
     * @throws IllegalStateException if the directory cannot be resolved or listed.
     */
    List<ShmDirectoryEntry> entries(final Predicate<String> nameFilter, final Consumer<ShmSegments.Outcome> onFailure)
    {
        final Path realDirectory = realDirectory();
        final List<ShmDirectoryEntry> entries = new ArrayList<>();
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

    /**
     * @param name the object's name, checked as {@link ShmName} checks it.
     * @return its entry, or null if there is nothing of that name (or no directory).
     * @throws IllegalArgumentException if the name is not a valid shared-memory object name.
     * @throws IllegalStateException    if the name is a symbolic link or not a regular file.
     */
    ShmDirectoryEntry existingEntry(final String name)
    {
        final ShmName shmName = ShmName.of(directory, name);
        if (!Files.isDirectory(directory))
        {
            return null;
        }
        final Path path = realDirectory().resolve(shmName.name());
        final ShmDirectoryEntry entry = ShmDirectoryEntry.read(path);
        if (null != entry && !entry.isRegularFile())
        {
            throw new IllegalStateException(path + " is not a regular file (" +
                (entry.isSymbolicLink() ? "a symbolic link, never followed" : "type not supported") + ")");
        }
        return entry;
    }

    /**
     * Removes the file if it still is the one the entry describes. The check and the removal are two system calls: a
     * replacement in between is not detected.
     */
    Removal removeIfUnchanged(final ShmDirectoryEntry entry, final boolean dryRun) throws IOException
    {
        final ShmDirectoryEntry now = ShmDirectoryEntry.read(entry.path());
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
                unlinker.unlink(entry.path());
            }
            catch (final NoSuchFileException ex)
            {
                return Removal.GONE;
            }
        }
        return Removal.REMOVED;
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

    private static void addRegularFile(
        final Path path, final List<ShmDirectoryEntry> entries, final Consumer<ShmSegments.Outcome> onFailure)
    {
        try
        {
            final ShmDirectoryEntry entry = ShmDirectoryEntry.read(path);
            if (null != entry && entry.isRegularFile())
            {
                entries.add(entry);
            }
        }
        catch (final IllegalStateException ex)
        {
            onFailure.accept(new ShmSegments.Outcome(path.getFileName().toString(), ex.getMessage()));
        }
    }

    /** Removes one file: {@link Files#delete(Path)} outside of tests. */
    @FunctionalInterface
    interface Unlinker
    {
        void unlink(Path path) throws IOException;
    }

    /** What {@link #removeIfUnchanged} did. */
    enum Removal
    {
        REMOVED, GONE, CHANGED
    }
}
