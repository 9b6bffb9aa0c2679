package dev.shmq.bridge;

import dev.shmq.zeroq.ZeroqQueue;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentTerminationException;

/**
 * Subscribes to an Aeron stream and puts each message into a local zeroq queue as one element, losslessly: when the
 * queue is full the message is left unconsumed ({@code ABORT}), so this subscriber's position stops, Aeron's flow
 * control stops the sender, and the far bridge holds its elements in its own queue. Nothing is buffered here.
 *
 * <p>As the queue's sole producer (a restarted {@code bridge in}), it also recovers the claim its killed predecessor
 * may have left: a bridge killed between a cell's claim and its commit leaves that position uncommitted, and every
 * consumer would stop there for good. The position is read once, before this agent claims anything, and skipped
 * ({@link ZeroqQueue#unblock(long)}) as soon as consumers wait on it; nothing committed is skipped.
 */
final class ZeroqInAgent implements BridgeAgent, ControlledFragmentHandler
{
    /** Fragments per poll: one duty cycle's worth. */
    static final int FRAGMENT_LIMIT = 64;

    private final Subscription subscription;
    private final ZeroqQueue queue;
    private final int elementSize;
    private final BridgeCounters counters = new BridgeCounters();
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
    private String failure;
    private long deadClaim;

    ZeroqInAgent(final Subscription subscription, final ZeroqQueue queue, final boolean soleProducer)
    {
        this.subscription = subscription;
        this.queue = queue;
        this.elementSize = queue.elementSize();
        this.deadClaim = soleProducer ? queue.newestUncommittedClaim() : ZeroqQueue.NO_POSITION;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        if (ZeroqQueue.NO_POSITION != deadClaim && queue.unblock(deadClaim))
        {
            counters.countSkipped();
            deadClaim = ZeroqQueue.NO_POSITION;
            work++;
        }
        final int fragments = subscription.controlledPoll(assembler, FRAGMENT_LIMIT);
        if (null != failure)
        {
            throw new AgentTerminationException(failure);
        }
        return work + fragments;
    }

    @Override
    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length != elementSize)
        {
            counters.countError();
            failure = "message length=" + length + " from session " + header.sessionId() + " (expected elementSize=" +
                elementSize + " of zeroq queue " + queue.name() + ": both bridges must carry the same queue)";
            return Action.BREAK;
        }
        if (!queue.offer(buffer, offset, length))
        {
            // Full: leave the message in Aeron's log; it comes again on a later poll, and the sender waits.
            counters.countBackPressured();
            return Action.ABORT;
        }
        counters.moved(length);
        return Action.CONTINUE;
    }

    @Override
    public String roleName()
    {
        return "shmq-bridge-in-zeroq-" + queue.name();
    }

    @Override
    public BridgeCounters counters()
    {
        return counters;
    }
}
