package dev.shmq.slick;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Options for creating or attaching to a {@link SlickQueue}; the defaults are those of C++ {@code SlickQueue<T>}.
 *
 * <p>Unlinking on close: C++ {@code SlickQueue<T>(size, name)} removes the name in its destructor when it created the
 * object, and so does {@link SlickQueue#close()} by default; an attacher never does unless told to. Other processes
 * keep their mappings either way. zeroq's {@code ZeroqConfig.unlinkOnClose} has the same default (its creator
 * unlinks, as zeroq's Python binding does).
 */
public final class SlickConfig
{
    /** How long attaching waits for the creator to finish initialising unless told otherwise: 2 s, as C++. */
    public static final long DEFAULT_INIT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private Boolean unlinkOnClose;
    private long initTimeoutNanos = DEFAULT_INIT_TIMEOUT_NANOS;
    private Set<PosixFilePermission> permissions = ShmSegment.DEFAULT_PERMISSIONS;
    private Path directory;

    /** Options with C++'s defaults. */
    public SlickConfig()
    {
    }

    /**
     * @param unlinkOnClose whether {@link SlickQueue#close()} removes the name; unset, only the creator does.
     * @return this.
     */
    public SlickConfig unlinkOnClose(final boolean unlinkOnClose)
    {
        this.unlinkOnClose = unlinkOnClose;
        return this;
    }

    /**
     * @param timeout how long to wait for another process to create, size and initialise the queue, at least 0.
     * @param unit    its unit.
     * @return this.
     * @throws IllegalArgumentException if {@code timeout < 0}.
     */
    public SlickConfig initTimeout(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("initTimeout=" + timeout + " (expected >= 0)");
        }
        this.initTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * Permissions of an object this process creates; default {@link ShmSegment#DEFAULT_PERMISSIONS} (0600). C++
     * creates 0666 &amp; ~umask: a C++ peer running as another user joins only if these let it (e.g.
     * {@code rw-rw----} for a shared group, with a umask that keeps group write); whoever may write may also
     * truncate the object (see the README).
     *
     * @param permissions the file permissions (the process umask still applies).
     * @return this.
     */
    public SlickConfig permissions(final Set<PosixFilePermission> permissions)
    {
        this.permissions = Set.copyOf(permissions);
        return this;
    }

    /**
     * The directory the queue's name is resolved in, instead of the JVM-wide default
     * ({@link ShmName#defaultDirectory()}: {@code /dev/shm}, or {@code -Dshmq.shm.dir}); another tmpfs or a
     * hugetlbfs mount, for instance.
     *
     * @param directory the shared-memory directory.
     * @return this.
     */
    public SlickConfig directory(final Path directory)
    {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** @return the name checked and resolved in this configuration's directory. */
    ShmName shmName(final String name)
    {
        return null == directory ? ShmName.of(name) : ShmName.of(directory, name);
    }

    Set<PosixFilePermission> permissions()
    {
        return permissions;
    }

    boolean resolveUnlinkOnClose(final boolean creator)
    {
        return null == unlinkOnClose ? creator : unlinkOnClose;
    }

    long initTimeoutNanos()
    {
        return initTimeoutNanos;
    }
}
