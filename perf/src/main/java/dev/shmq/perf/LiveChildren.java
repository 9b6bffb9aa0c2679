package dev.shmq.perf;

import dev.shmq.testkit.ChildProcess;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The child processes a bench has running, and its stop. A child starts only through {@link #start} (or is handed
 * over through {@link #track}), under the same lock that {@link #stopAll} takes to refuse new ones, so a shutdown
 * hook's sweep cannot miss a child started while it runs. Both benches (the main job's {@code BenchProcesses} and the
 * bridge bench's runs) keep their children here.
 */
public final class LiveChildren
{
    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();
    private final String owner;
    private volatile boolean stopping;

    /** @param owner the bench, for the messages about a child that cannot be stopped. */
    public LiveChildren(final String owner)
    {
        this.owner = owner;
    }

    /**
     * Starts a child and tracks it until {@link #forget} or {@link #stopAll}.
     *
     * @param name    the child's name, for the refusal.
     * @param starter starts the process.
     * @return the started child.
     * @throws IllegalStateException once {@link #stopAll} has begun; nothing is started then.
     */
    public ChildProcess start(final String name, final Supplier<ChildProcess> starter)
    {
        synchronized (live)
        {
            if (stopping)
            {
                throw new IllegalStateException("stopping: not starting " + name);
            }
            final ChildProcess child = starter.get();
            live.add(child);
            return child;
        }
    }

    /**
     * Tracks a child started elsewhere, or kills it if {@link #stopAll} has begun.
     *
     * @param child the started child.
     * @return the child.
     * @throws IllegalStateException once stopping, after killing the child.
     */
    public ChildProcess track(final ChildProcess child)
    {
        synchronized (live)
        {
            live.add(child);
            if (stopping)
            {
                live.remove(child);
                child.close();
                throw new IllegalStateException("stopping: " + child.name() + " killed");
            }
        }
        return child;
    }

    /** @param child a child that has been closed: no longer tracked. */
    public void forget(final ChildProcess child)
    {
        live.remove(child);
    }

    /** @return true once {@link #stopAll} has begun: no child starts after that. */
    public boolean isStopping()
    {
        return stopping;
    }

    /**
     * Kills each of the children that still runs and stops tracking it; a child that cannot be stopped is reported
     * and the others are still closed.
     *
     * @param children children started or handed over here (a run's, or all of them).
     */
    public void closeAll(final Iterable<ChildProcess> children)
    {
        for (final ChildProcess child : children)
        {
            try
            {
                child.close();
            }
            catch (final RuntimeException ex)
            {
                System.err.println(owner + ": cannot stop " + child + ": " + ex);
            }
            live.remove(child);
        }
    }

    /**
     * Refuses new children from now on and kills every child still running. Idempotent; safe from a shutdown hook
     * while other threads start or close children.
     */
    public void stopAll()
    {
        synchronized (live)
        {
            stopping = true;
        }
        closeAll(live);
    }
}
