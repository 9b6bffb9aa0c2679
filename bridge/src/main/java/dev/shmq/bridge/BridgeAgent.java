package dev.shmq.bridge;

import org.agrona.concurrent.Agent;

/**
 * One direction of a bridge, as an Agrona {@link Agent}: run it on an {@code AgentRunner} with the idle strategy of
 * your choice, or call {@link #doWork()} from a duty cycle of your own. Not thread-safe: one thread drives it.
 */
public interface BridgeAgent extends Agent
{
    /**
     * Moves what is ready, without waiting; throws no checked exception.
     *
     * @return how many elements or fragments it moved: 0 tells the idle strategy to idle.
     */
    @Override
    int doWork();

    /** @return what this bridge has moved and met; readable from any thread. */
    BridgeCounters counters();
}
