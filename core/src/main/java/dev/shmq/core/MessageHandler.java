package dev.shmq.core;

import org.agrona.DirectBuffer;

/**
 * Receives messages read in place by a queue's {@code drain}, in queue order: the shape of Agrona's
 * {@code MessageHandler} (buffer, offset, length) with the message's queue position in place of a type id. One
 * interface for both queues: a zeroq message is one element; a SlickQueue message is one entry of
 * {@code length / elementSize} elements.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * Called once per message. The bytes are valid during the call only (and, in a SlickQueue, only until a producer
     * laps the reader).
     *
     * @param buffer   the buffer holding the message: the queue's own memory, read-only for the handler.
     * @param offset   the offset of the message's first byte in {@code buffer}.
     * @param length   the message's length in bytes.
     * @param position the message's queue position: a zeroq position, or the index of a SlickQueue entry's first
     *                 element.
     */
    void onMessage(DirectBuffer buffer, int offset, int length, long position);
}
