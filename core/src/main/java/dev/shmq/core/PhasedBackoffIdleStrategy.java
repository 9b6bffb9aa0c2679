package dev.shmq.core;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits in three phases measured in time, not in counts: spin for a few microseconds, then yield for a while, then
 * park with exponential backoff, as LMAX Disruptor's {@code PhasedBackoffWaitStrategy} does. A waiter that was busy
 * moments ago wakes within microseconds; one idle for long sleeps in parks of up to {@code maxParkNanos} and costs
 * little CPU. Unlike Agrona's count-based {@code BackoffIdleStrategy}, the phases do not depend on how fast the
 * machine spins or how long a yield takes.
 *
 * <p>Keeps per-thread state: one instance per waiting thread. Not thread safe.
 */
public final class PhasedBackoffIdleStrategy implements IdleStrategy
{
    /** Name of this strategy, as Agrona's {@code alias()}. */
    public static final String ALIAS = "phased-backoff";

    private final long spinNanos;
    private final long yieldEndNanos;
    private final long minParkNanos;
    private final long maxParkNanos;
    private boolean waiting;
    private long waitStart;
    private long parkNanos;

    /**
     * @param spinNanos    how long to busy-spin from the start of a wait.
     * @param yieldNanos   how long to yield after spinning.
     * @param minParkNanos the first park after yielding.
     * @param maxParkNanos the longest park; parks double up to it.
     * @throws IllegalArgumentException if a duration is negative or the park bounds are inverted.
     */
    public PhasedBackoffIdleStrategy(
        final long spinNanos, final long yieldNanos, final long minParkNanos, final long maxParkNanos)
    {
        if (spinNanos < 0 || yieldNanos < 0 || minParkNanos < 1 || maxParkNanos < minParkNanos)
        {
            throw new IllegalArgumentException("spinNanos=" + spinNanos + ", yieldNanos=" + yieldNanos +
                ", minParkNanos=" + minParkNanos + ", maxParkNanos=" + maxParkNanos +
                " (expected spin, yield >= 0 and 1 <= minPark <= maxPark)");
        }
        this.spinNanos = spinNanos;
        this.yieldEndNanos = spinNanos + yieldNanos;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle()
    {
        final long now = System.nanoTime();
        if (!waiting)
        {
            waiting = true;
            waitStart = now;
        }
        final long waited = now - waitStart;
        if (waited < spinNanos)
        {
            Thread.onSpinWait();
        }
        else if (waited < yieldEndNanos)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void reset()
    {
        waiting = false;
        parkNanos = minParkNanos;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String alias()
    {
        return ALIAS;
    }

    /** @return the current phase, for diagnostics: {@code spin}, {@code yield} or {@code park}. */
    public String phase()
    {
        if (!waiting)
        {
            return "spin";
        }
        final long waited = System.nanoTime() - waitStart;
        return waited < spinNanos ? "spin" : waited < yieldEndNanos ? "yield" : "park";
    }

    @Override
    public String toString()
    {
        return "PhasedBackoffIdleStrategy{spinNanos=" + spinNanos + ", yieldNanos=" + (yieldEndNanos - spinNanos) +
            ", minParkNanos=" + minParkNanos + ", maxParkNanos=" + maxParkNanos + '}';
    }
}
