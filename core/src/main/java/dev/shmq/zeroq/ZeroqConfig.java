package dev.shmq.zeroq;

import dev.shmq.core.PhasedBackoffIdleStrategy;
import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Options for a {@link ZeroqQueue} beyond name, capacity and element size. Mutable builder; the queue copies what it
 * needs when it is made.
 */
public final class ZeroqConfig
{
    /** How long the default strategy busy-spins: covers a peer that is a few microseconds behind. */
    public static final long DEFAULT_SPIN_NANOS = 10_000;

    /**
     * How long the default strategy then yields: a waiter that saw traffic within the last 2 ms wakes within
     * microseconds, at the price of keeping a core busy (but yielding) that long.
     */
    public static final long DEFAULT_YIELD_NANOS = 2_000_000;

    /** First park of the default strategy, once it has spun and yielded. */
    public static final long DEFAULT_MIN_PARK_NANOS = 1_000;

    /**
     * Longest park of the default strategy: bounds the wake-up delay of a waiter idle for long (zeroq itself sleeps
     * 1 ms) while keeping its CPU use to a few percent of a core.
     */
    public static final long DEFAULT_MAX_PARK_NANOS = 500_000;

    /** How long {@link ZeroqQueue#open} waits for a creator in another process to finish writing the header. */
    public static final long DEFAULT_OPEN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private Supplier<IdleStrategy> idleStrategy = ZeroqConfig::defaultIdleStrategy;
    private Boolean unlinkOnClose;
    private Set<PosixFilePermission> permissions = ShmSegment.DEFAULT_PERMISSIONS;
    private long openTimeoutNanos = DEFAULT_OPEN_TIMEOUT_NANOS;
    private Path directory;

    /**
     * @return spin for {@value #DEFAULT_SPIN_NANOS} ns, yield for {@value #DEFAULT_YIELD_NANOS} ns, then park with
     * exponential backoff from {@value #DEFAULT_MIN_PARK_NANOS} ns to {@value #DEFAULT_MAX_PARK_NANOS} ns.
     */
    public static IdleStrategy defaultIdleStrategy()
    {
        return new PhasedBackoffIdleStrategy(
            DEFAULT_SPIN_NANOS, DEFAULT_YIELD_NANOS, DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS);
    }

    /**
     * How blocking calls wait. Idle strategies keep per-thread state, so the queue asks the supplier once per
     * thread that blocks on it.
     *
     * @param idleStrategy makes one strategy per waiting thread, e.g. {@code BusySpinIdleStrategy::new}.
     * @return this.
     */
    public ZeroqConfig idleStrategy(final Supplier<IdleStrategy> idleStrategy)
    {
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
        return this;
    }

    /**
     * Whether {@link ZeroqQueue#close()} also unlinks the name. Defaults to true for the creator and false for an
     * opener, as zeroq does.
     *
     * @param unlinkOnClose true to unlink on close.
     * @return this.
     */
    public ZeroqConfig unlinkOnClose(final boolean unlinkOnClose)
    {
        this.unlinkOnClose = unlinkOnClose;
        return this;
    }

    /**
     * Permissions of a created object; default {@link ShmSegment#DEFAULT_PERMISSIONS} (0600, as zeroq).
     *
     * @param permissions the file permissions.
     * @return this.
     */
    public ZeroqConfig permissions(final Set<PosixFilePermission> permissions)
    {
        this.permissions = Set.copyOf(permissions);
        return this;
    }

    /**
     * How long opening waits for another process's creation to complete.
     *
     * @param timeout the wait.
     * @param unit    its unit.
     * @return this.
     */
    public ZeroqConfig openTimeout(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("openTimeout=" + timeout + " (expected >= 0)");
        }
        this.openTimeoutNanos = unit.toNanos(timeout);
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
    public ZeroqConfig directory(final Path directory)
    {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** @return the name checked and resolved in this configuration's directory. */
    ShmName shmName(final String name)
    {
        return null == directory ? ShmName.of(name) : ShmName.of(directory, name);
    }

    Supplier<IdleStrategy> idleStrategy()
    {
        return idleStrategy;
    }

    boolean resolveUnlinkOnClose(final boolean creator)
    {
        return null == unlinkOnClose ? creator : unlinkOnClose;
    }

    Set<PosixFilePermission> permissions()
    {
        return permissions;
    }

    long openTimeoutNanos()
    {
        return openTimeoutNanos;
    }
}
