package dev.shmq.core;

import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The options both queues share, in one place so that they mean the same on both: how waiting calls wait, how long
 * opening waits for another process's creation, the permissions and directory of the object, and whether closing
 * removes the name. A mutable builder in the style of Aeron's {@code Context}: {@code option(value)} sets and
 * returns this, {@code option()} reads; a queue copies what it needs when it is made.
 *
 * @param <C> the concrete configuration, returned by every setter.
 */
public abstract class QueueConfig<C extends QueueConfig<C>>
{
    /** How long the default idle strategy busy-spins: covers a peer that is a few microseconds behind. */
    public static final long DEFAULT_SPIN_NANOS = 10_000;

    /**
     * How long the default idle strategy then yields: a waiter that saw traffic within the last 2 ms wakes within
     * microseconds, at the price of keeping a core busy (but yielding) that long.
     */
    public static final long DEFAULT_YIELD_NANOS = 2_000_000;

    /** First park of the default idle strategy, once it has spun and yielded. */
    public static final long DEFAULT_MIN_PARK_NANOS = 1_000;

    /**
     * Longest park of the default idle strategy: bounds the wake-up delay of a waiter idle for long, as zeroq's own
     * blocking calls do (they sleep 1 ms between polls), while keeping its CPU use to a few percent of a core. Each
     * park costs its thread CPU time of its own (about 23 us on a 2-vCPU KVM guest), so the idle cost is about that
     * over the longest park: parks of 500 us took 3.8-4.1 % of a core there, parks of 1 ms 2.2-2.3 %.
     */
    public static final long DEFAULT_MAX_PARK_NANOS = 1_000_000;

    /**
     * How long opening waits, unless told otherwise, for another process to create, size and initialise the queue:
     * 2 s, as C++ SlickQueue's attach.
     */
    public static final long DEFAULT_OPEN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private Supplier<IdleStrategy> idleStrategy = QueueConfig::defaultIdleStrategy;
    private Boolean unlinkOnClose;
    private Set<PosixFilePermission> permissions = ShmSegment.DEFAULT_PERMISSIONS;
    private long openTimeoutNanos = DEFAULT_OPEN_TIMEOUT_NANOS;
    private Path directory;

    /** Options with the defaults. */
    protected QueueConfig()
    {
    }

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
     * How waiting calls wait between attempts. Idle strategies keep per-thread state, so the queue asks the supplier
     * once per thread that waits on it.
     *
     * @param idleStrategy makes one strategy per waiting thread, e.g. {@code BusySpinIdleStrategy::new}.
     * @return this.
     */
    public C idleStrategy(final Supplier<IdleStrategy> idleStrategy)
    {
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
        return self();
    }

    /** @return what makes each waiting thread's idle strategy. */
    public Supplier<IdleStrategy> idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * Whether {@code close()} also removes the name (other processes keep their mappings either way). Unset, the
     * creator does and an opener does not, as C++ SlickQueue's destructor and zeroq's Python binding do.
     *
     * @param unlinkOnClose true to unlink on close.
     * @return this.
     */
    public C unlinkOnClose(final boolean unlinkOnClose)
    {
        this.unlinkOnClose = unlinkOnClose;
        return self();
    }

    /**
     * @param creator whether the queue is the one that created the object.
     * @return whether {@code close()} removes the name.
     */
    public boolean resolveUnlinkOnClose(final boolean creator)
    {
        return null == unlinkOnClose ? creator : unlinkOnClose;
    }

    /**
     * Permissions of an object this process creates; default {@link ShmSegment#DEFAULT_PERMISSIONS} (0600, as
     * zeroq). C++ SlickQueue creates 0666 &amp; ~umask: a peer running as another user joins only if these let it
     * (e.g. {@code rw-rw----} for a shared group); whoever may write may also truncate the object.
     *
     * @param permissions the file permissions (the process umask still applies).
     * @return this.
     */
    public C permissions(final Set<PosixFilePermission> permissions)
    {
        this.permissions = Set.copyOf(permissions);
        return self();
    }

    /** @return the permissions of an object this process creates. */
    public Set<PosixFilePermission> permissions()
    {
        return permissions;
    }

    /**
     * How long opening (and create-or-open, when the name exists) waits for another process to create, size and
     * initialise the queue.
     *
     * @param timeout the wait, at least 0.
     * @param unit    its unit.
     * @return this.
     * @throws IllegalArgumentException if {@code timeout < 0}.
     */
    public C openTimeout(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("openTimeout=" + timeout + " (expected >= 0)");
        }
        this.openTimeoutNanos = unit.toNanos(timeout);
        return self();
    }

    /** @return how long opening waits for another process's creation, in nanoseconds. */
    public long openTimeoutNanos()
    {
        return openTimeoutNanos;
    }

    /**
     * The directory the queue's name is resolved in, instead of the JVM-wide default
     * ({@link ShmName#defaultDirectory()}: {@code /dev/shm}, or {@code -Dshmq.shm.dir}); another tmpfs or a
     * hugetlbfs mount, for instance.
     *
     * @param directory the shared-memory directory.
     * @return this.
     */
    public C directory(final Path directory)
    {
        this.directory = Objects.requireNonNull(directory, "directory");
        return self();
    }

    /**
     * @param name a queue's name.
     * @return the name checked and resolved in this configuration's directory.
     * @throws IllegalArgumentException if the name is not a valid shared-memory name.
     */
    public ShmName shmName(final String name)
    {
        return null == directory ? ShmName.of(name) : ShmName.of(directory, name);
    }

    /** @return this, as the concrete type. */
    protected abstract C self();
}
