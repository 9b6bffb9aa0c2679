package dev.shmq.core;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicInteger;

/** An idle strategy for tests that counts how often a waiting call idles, and never sleeps. */
public final class CountingIdleStrategy implements IdleStrategy
{
    private final AtomicInteger idles;

    /**
     * @param idles incremented once per idle.
     */
    public CountingIdleStrategy(final AtomicInteger idles)
    {
        this.idles = idles;
    }

    @Override
    public void idle(final int workCount)
    {
        if (0 == workCount)
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        idles.incrementAndGet();
    }

    @Override
    public void reset()
    {
    }
}
