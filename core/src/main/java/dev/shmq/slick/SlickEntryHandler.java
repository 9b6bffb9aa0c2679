package dev.shmq.slick;

import org.agrona.DirectBuffer;

/**
 * Receives the entries {@link SlickQueue#drain(SlickCursor, SlickEntryHandler, int)} reads, in queue order.
 */
@FunctionalInterface
public interface SlickEntryHandler
{
    /**
     * Called once per entry. The bytes are valid during the call only, and only until a producer laps the reader.
     *
     * @param buffer the queue's buffer.
     * @param offset the offset of the entry's first element in {@code buffer}.
     * @param count  the number of elements in the entry.
     * @param index  the queue index of the entry's first element.
     */
    void onEntry(DirectBuffer buffer, int offset, int count, long index);
}
