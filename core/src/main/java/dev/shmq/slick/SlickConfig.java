package dev.shmq.slick;

import dev.shmq.core.QueueConfig;

/**
 * Options for creating or attaching to a {@link SlickQueue} or an {@link AtomicCursor}; the defaults are those of
 * C++ {@code SlickQueue<T>} (a 2 s wait for another creator's initialisation; the creator unlinks on close). Every
 * option is one both queues share: see {@link QueueConfig}.
 */
public final class SlickConfig extends QueueConfig<SlickConfig>
{
    /** Options with C++'s defaults. */
    public SlickConfig()
    {
    }

    @Override
    protected SlickConfig self()
    {
        return this;
    }
}
