package dev.shmq.tool;

import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.zeroq.ZeroqDescriptor;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentInspectorTest
{
    private static final int CAPACITY = 8;
    private static final int ELEMENT_SIZE = 8;
    private static final int RACING_CAPACITY = 1024;
    private static final long FAR_ENQUEUE_POS = 100;

    @Test
    void shouldIndexSlotsOnlyWithTheCapacityItValidated()
    {
        final AtomicBuffer buffer;
        try (SlickQueue queue = SlickQueue.local(CAPACITY, ELEMENT_SIZE))
        {
            queue.publish(queue.reserve());
            // Another process rewrites size between the reads: a capacity read again would index past the end.
            buffer = ChangingBuffer.ofInt(copyOf(queue.buffer()), SlickQueueDescriptor.SIZE_OFFSET,
                CAPACITY, RACING_CAPACITY, CAPACITY);
        }

        final SegmentReport report = SegmentInspector.inspect(buffer, buffer.capacity());

        assertEquals(SegmentKind.SLICK_QUEUE, report.kind());
        assertEquals(Integer.toString(CAPACITY), report.field("capacity"));
        assertEquals("1 of " + CAPACITY, report.field("slots_published"));
        assertTrue(report.isHealthy(), report.problems().toString());
    }

    @Test
    void shouldIndexCellsOnlyWithTheMaskItValidated()
    {
        final AtomicBuffer buffer;
        try (ZeroqQueue queue = ZeroqQueue.local(CAPACITY, ELEMENT_SIZE))
        {
            final UnsafeBuffer copy = copyOf(queue.buffer());
            copy.putLong(ZeroqDescriptor.ENQUEUE_POS_OFFSET, FAR_ENQUEUE_POS);
            // Another process rewrites buffer_mask between the reads: a mask read again would index past the end.
            buffer = ChangingBuffer.ofLong(copy, ZeroqDescriptor.BUFFER_MASK_OFFSET,
                CAPACITY - 1, RACING_CAPACITY - 1, CAPACITY - 1);
        }

        final SegmentReport report = SegmentInspector.inspect(buffer, buffer.capacity());

        assertEquals(SegmentKind.ZEROQ, report.kind());
        assertEquals(Integer.toString(CAPACITY), report.field("capacity"));
        assertEquals(
            "enqueue_pos - dequeue_pos=" + FAR_ENQUEUE_POS + " (expected 0 to capacity=" + CAPACITY + ")",
            String.join("; ", report.problems()));
    }

    @Test
    void shouldRejectLengthBeyondTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ZeroqDescriptor.HEADER_LENGTH]);

        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> SegmentInspector.inspect(buffer, buffer.capacity() + 1));

        assertEquals("length=33 (expected 0 to the buffer's capacity=32)", ex.getMessage());
    }

    private static UnsafeBuffer copyOf(final AtomicBuffer buffer)
    {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }

    /**
     * A segment whose field at one offset, an int or a long, reads as the next of a sequence of values each time it is
     * read (the last one from then on), as if another process rewrote it between reads; every other byte reads as
     * stored.
     */
    private static final class ChangingBuffer extends UnsafeBuffer
    {
        private final int intOffset;
        private final int longOffset;
        private final long[] values;
        private int reads;

        private ChangingBuffer(
            final UnsafeBuffer stored, final int intOffset, final int longOffset, final long[] values)
        {
            super(stored.byteArray());
            this.intOffset = intOffset;
            this.longOffset = longOffset;
            this.values = values;
        }

        static ChangingBuffer ofInt(final UnsafeBuffer stored, final int offset, final long... values)
        {
            return new ChangingBuffer(stored, offset, -1, values);
        }

        static ChangingBuffer ofLong(final UnsafeBuffer stored, final int offset, final long... values)
        {
            return new ChangingBuffer(stored, -1, offset, values);
        }

        @Override
        public int getInt(final int index)
        {
            return intOffset == index ? (int)next() : super.getInt(index);
        }

        @Override
        public long getLong(final int index)
        {
            return longOffset == index ? next() : super.getLong(index);
        }

        private long next()
        {
            return values[Math.min(reads++, values.length - 1)];
        }
    }
}
