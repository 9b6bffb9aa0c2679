package dev.shmq.core;

import org.agrona.DirectBuffer;

/**
 * Receives messages from a queue's {@code controlledDrain} and says, after each, how the drain goes on: Agrona's
 * {@code ControlledMessageHandler} with a queue position in place of a type id. What each {@link Action} means to a
 * queue is written on that queue's {@code controlledDrain}.
 */
@FunctionalInterface
public interface ControlledMessageHandler
{
    /** What the drain does after a message, as in Agrona and Aeron. */
    enum Action
    {
        /** Do not consume this message: stop, and hand it over again first on the next read. */
        ABORT,

        /** Consume this message and stop the drain. */
        BREAK,

        /** Consume this message, make everything consumed so far final where the queue can, and go on. */
        COMMIT,

        /** Consume this message and go on. */
        CONTINUE
    }

    /**
     * Called once per message; the same arguments as {@link MessageHandler#onMessage}.
     *
     * @param buffer   the buffer holding the message, read-only for the handler.
     * @param offset   the offset of the message's first byte in {@code buffer}.
     * @param length   the message's length in bytes.
     * @param position the message's queue position.
     * @return how the drain goes on.
     */
    Action onMessage(DirectBuffer buffer, int offset, int length, long position);
}
