package dev.shmq.zeroq;

import dev.shmq.core.QueueConfig;

/**
 * Options for a {@link ZeroqQueue} beyond name, capacity and element size; the defaults are zeroq's (0600, the
 * creator unlinks on close). Every option is one both queues share: see {@link QueueConfig}.
 */
public final class ZeroqConfig extends QueueConfig<ZeroqConfig>
{
    /** Options with zeroq's defaults. */
    public ZeroqConfig()
    {
    }

    @Override
    protected ZeroqConfig self()
    {
        return this;
    }
}
