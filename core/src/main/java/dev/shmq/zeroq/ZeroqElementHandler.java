package dev.shmq.zeroq;

import org.agrona.DirectBuffer;

/**
 * Receives elements in place from {@link ZeroqQueue#drain(ZeroqElementHandler, int, ZeroqRange)}.
 */
@FunctionalInterface
public interface ZeroqElementHandler
{
    /**
     * Called once per element, in queue order. The bytes are valid only during the call.
     *
     * @param buffer the queue's buffer.
     * @param offset the element's offset in {@code buffer}.
     * @param length the element's length, {@link ZeroqQueue#elementSize()}.
     */
    void onElement(DirectBuffer buffer, int offset, int length);
}
