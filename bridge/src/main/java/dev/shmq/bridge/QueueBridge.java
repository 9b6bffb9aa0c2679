package dev.shmq.bridge;

import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqQueue;
import io.aeron.Publication;
import io.aeron.Subscription;

import java.util.Objects;

/**
 * Bridges a local queue to an Aeron stream, one direction per {@link BridgeAgent}, for applications that run the
 * bridge inside their own process (the {@code shmq bridge} command runs the same agents in a process of its own).
 * Every message on the stream is one zeroq element or one whole SlickQueue entry, with no header of its own: the two
 * ends must carry queues of the same element size, which the receiving side checks.
 *
 * <p>Delivery, zeroq: while both bridges run, every element is delivered exactly once and in order (Aeron's
 * reliable, ordered streams; an element leaves its queue only once Aeron accepted it; a full far queue stops the
 * stream, not the element). What a stopped or killed bridge can lose or repeat is in the module's README section.
 * SlickQueue stays what it is, lossy: the bridge reads as one more reader and writes as one more producer.
 *
 * <p>The caller owns the queue, the publication or subscription and the Aeron client, and closes them after the
 * agent's {@code onClose}.
 */
public final class QueueBridge
{
    private QueueBridge()
    {
    }

    /**
     * @param queue       the local queue the bridge takes from: it consumes, as any other consumer would.
     * @param publication the stream to publish to.
     * @return the agent that moves elements from the queue to the stream.
     * @throws IllegalArgumentException if an element does not fit one message of the publication.
     */
    public static BridgeAgent out(final ZeroqQueue queue, final Publication publication)
    {
        return new ZeroqOutAgent(Objects.requireNonNull(queue, "queue"), Objects.requireNonNull(publication, "pub"));
    }

    /**
     * @param subscription the stream to take from.
     * @param queue        the local queue the bridge puts into, as any other producer would.
     * @return the agent that moves elements from the stream to the queue.
     */
    public static BridgeAgent in(final Subscription subscription, final ZeroqQueue queue)
    {
        return new ZeroqInAgent(Objects.requireNonNull(subscription, "subscription"),
            Objects.requireNonNull(queue, "queue"), false);
    }

    /**
     * {@link #in(Subscription, ZeroqQueue)} for a bridge that is the queue's only producer, such as a {@code bridge
     * in} restarted after it was killed: the claim its predecessor may have left uncommitted (killed between claim
     * and commit) is read before this bridge claims anything, and skipped once consumers wait on it, so that they do
     * not stop there for good. <b>Only when no other process produces into the queue:</b> a live producer's slow
     * claim would be taken for a dead one's (see {@link ZeroqQueue#unblock(long)}).
     *
     * @param subscription the stream to take from.
     * @param queue        the local queue the bridge puts into, and nobody else.
     * @return the agent that moves elements from the stream to the queue.
     */
    public static BridgeAgent inAsSoleProducer(final Subscription subscription, final ZeroqQueue queue)
    {
        return new ZeroqInAgent(Objects.requireNonNull(subscription, "subscription"),
            Objects.requireNonNull(queue, "queue"), true);
    }

    /**
     * A broadcast bridge: it reads every entry, as one more reader with a cursor of its own.
     *
     * @param queue       the local ring.
     * @param cursor      the bridge's own cursor (e.g. at {@code queue.initialReadingIndex()} for new entries only).
     * @param publication the stream to publish to.
     * @return the agent that sends every entry it reads.
     */
    public static BridgeAgent out(final SlickQueue queue, final SlickCursor cursor, final Publication publication)
    {
        return new SlickOutAgent(Objects.requireNonNull(queue, "queue"), Objects.requireNonNull(cursor, "cursor"),
            null, Objects.requireNonNull(publication, "publication"));
    }

    /**
     * A work-stealing bridge: it takes the entries it wins on a cursor it shares with other readers.
     *
     * @param queue        the local ring.
     * @param sharedCursor the cursor the readers share.
     * @param publication  the stream to publish to.
     * @return the agent that sends the entries it takes.
     */
    public static BridgeAgent out(
        final SlickQueue queue, final AtomicCursor sharedCursor, final Publication publication)
    {
        return new SlickOutAgent(Objects.requireNonNull(queue, "queue"), null,
            Objects.requireNonNull(sharedCursor, "sharedCursor"), Objects.requireNonNull(publication, "publication"));
    }

    /**
     * @param subscription the stream to take from.
     * @param queue        the local ring the bridge publishes into, as one more producer.
     * @return the agent that publishes each message as one entry.
     */
    public static BridgeAgent in(final Subscription subscription, final SlickQueue queue)
    {
        return new SlickInAgent(Objects.requireNonNull(subscription, "subscription"),
            Objects.requireNonNull(queue, "queue"));
    }
}
