package dev.shmq.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A checked POSIX shared-memory object name and where it lives.
 *
 * <p>{@code shm_open(name)} on Linux opens {@code /dev/shm/<name>}: one leading {@code /} is dropped and no other is
 * allowed. Names are also refused when they are empty, {@code .} or {@code ..}, hold a NUL, or exceed
 * {@value #MAX_NAME_BYTES} bytes (the limit of a file name on Linux).
 */
public final class ShmName
{
    /** The system property that moves the shared-memory directory, e.g. to another tmpfs or hugetlbfs mount. */
    public static final String DIRECTORY_PROPERTY = "shmq.shm.dir";

    /** The directory {@code shm_open} uses on Linux. */
    public static final String DEFAULT_DIRECTORY = "/dev/shm";

    /** The longest name in bytes of UTF-8. */
    public static final int MAX_NAME_BYTES = 255;

    private final String name;
    private final Path path;

    private ShmName(final String name, final Path path)
    {
        this.name = name;
        this.path = path;
    }

    /**
     * @return the directory named by {@value #DIRECTORY_PROPERTY}, or {@value #DEFAULT_DIRECTORY}.
     */
    public static Path defaultDirectory()
    {
        return Paths.get(System.getProperty(DIRECTORY_PROPERTY, DEFAULT_DIRECTORY));
    }

    /**
     * Checks a name as {@code shm_open} takes it, in the {@link #defaultDirectory()}.
     *
     * @param name the name, with or without one leading {@code /}.
     * @return the checked name.
     * @throws IllegalArgumentException naming the value and the rule it breaks.
     */
    public static ShmName of(final String name)
    {
        return of(defaultDirectory(), name);
    }

    /**
     * Checks a name as {@code shm_open} takes it, in a given directory.
     *
     * @param directory the shared-memory directory.
     * @param name      the name, with or without one leading {@code /}.
     * @return the checked name.
     * @throws IllegalArgumentException naming the value and the rule it breaks.
     */
    public static ShmName of(final Path directory, final String name)
    {
        if (null == name)
        {
            throw new IllegalArgumentException("name=null (expected a shared-memory object name)");
        }
        final String bare = name.startsWith("/") ? name.substring(1) : name;
        if (bare.isEmpty() || ".".equals(bare) || "..".equals(bare))
        {
            throw new IllegalArgumentException("name='" + name + "' (expected a non-empty name other than . and ..)");
        }
        if (bare.indexOf('/') >= 0)
        {
            throw new IllegalArgumentException("name='" + name + "' (expected no '/' after the first character)");
        }
        if (bare.indexOf('\0') >= 0)
        {
            throw new IllegalArgumentException("name='" + bare.replace("\0", "\\0") + "' (expected no NUL character)");
        }
        final int bytes = bare.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException(
                "name length=" + bytes + " bytes (expected at most " + MAX_NAME_BYTES + ")");
        }
        return new ShmName(bare, directory.resolve(bare));
    }

    /** @return the name without a leading {@code /}, as it appears in the directory. */
    public String name()
    {
        return name;
    }

    /** @return the file that holds the object. */
    public Path path()
    {
        return path;
    }

    @Override
    public String toString()
    {
        return name;
    }
}
