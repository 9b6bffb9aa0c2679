package dev.shmq.bridge;

import dev.shmq.slick.SlickQueue;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentTerminationException;

/**
 * Subscribes to an Aeron stream and publishes each message into a local SlickQueue as one entry of
 * {@code length / elementSize} elements, as any producer of the ring: it never waits (a SlickQueue producer never
 * does), so this side never pushes back; an entry lapped before its publish is counted as lost.
 */
final class SlickInAgent implements BridgeAgent, FragmentHandler
{
    /** Fragments per poll: one duty cycle's worth. */
    static final int FRAGMENT_LIMIT = 64;

    private final Subscription subscription;
    private final SlickQueue queue;
    private final int elementSize;
    private final BridgeCounters counters = new BridgeCounters();
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private String failure;

    SlickInAgent(final Subscription subscription, final SlickQueue queue)
    {
        this.subscription = subscription;
        this.queue = queue;
        this.elementSize = queue.elementSize();
    }

    @Override
    public int doWork()
    {
        final int fragments = subscription.poll(assembler, FRAGMENT_LIMIT);
        if (null != failure)
        {
            throw new AgentTerminationException(failure);
        }
        return fragments;
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int count = length / elementSize;
        if (0 == length || 0 != length % elementSize || count > queue.maxEntryElements())
        {
            counters.countError();
            failure = "message length=" + length + " from session " + header.sessionId() + " (expected 1 to " +
                queue.maxEntryElements() + " elements of elementSize=" + elementSize + " for SlickQueue " +
                queue.name() + ": both bridges must carry the same queue)";
            return;
        }
        final long index = queue.reserve(count);
        // plain: ordered before publish's release of data_index.
        queue.buffer().putBytes(queue.offset(index), buffer, offset, length);
        if (queue.publish(index, count))
        {
            counters.moved(length);
        }
        else
        {
            counters.countLost(count);
        }
    }

    @Override
    public String roleName()
    {
        return "shmq-bridge-in-slick-" + queue.name();
    }

    @Override
    public BridgeCounters counters()
    {
        return counters;
    }
}
