package dev.shmq.perf;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageBodyTest
{
    private static final int OFFSET = 64;

    @Test
    void shouldWriteAFrameInPlaceWordByWordAndCheckItOut()
    {
        final MessageBody body = MessageBody.of(Payloads.FRAME);
        assertInstanceOf(FrameBody.class, body);
        final UnsafeBuffer slot = slot(Payloads.FRAME);

        body.prepare(41);
        body.write(slot, OFFSET, 41);

        assertEquals(41, slot.getLong(OFFSET));
        assertEquals(41 + 1000, slot.getLong(OFFSET + 1000 * Long.BYTES));
        assertEquals(41 + Payloads.FRAME / Long.BYTES - 1, slot.getLong(OFFSET + Payloads.FRAME - Long.BYTES));
        assertEquals(0, slot.getLong(OFFSET + Payloads.FRAME), "nothing past the frame");
        assertEquals(41, body.read(slot, OFFSET));
        assertEquals(0, body.corrupt());
    }

    @Test
    void shouldCountAFrameTornByTheTransport()
    {
        final MessageBody producer = MessageBody.of(Payloads.FRAME);
        final MessageBody consumer = MessageBody.of(Payloads.FRAME);
        final UnsafeBuffer slot = slot(Payloads.FRAME);
        final UnsafeBuffer next = slot(Payloads.FRAME);
        producer.write(slot, OFFSET, 7);
        producer.write(next, OFFSET, 8);
        // the second half already holds the next frame, as when a lossy producer laps a slow reader
        slot.putBytes(OFFSET + Payloads.FRAME / 2, next, OFFSET + Payloads.FRAME / 2, Payloads.FRAME / 2);

        assertEquals(7, consumer.read(slot, OFFSET));
        assertEquals(1, consumer.corrupt());
        producer.write(slot, OFFSET, 9);
        assertEquals(9, consumer.read(slot, OFFSET));
        assertEquals(1, consumer.corrupt(), "a whole frame checks out");
    }

    @Test
    void shouldCopyASmallMessageWithItsStampAndReadOnlyTheStamp()
    {
        final MessageBody body = MessageBody.of(64);
        assertInstanceOf(CopiedBody.class, body);
        final UnsafeBuffer slot = slot(64);

        body.prepare(123);
        body.write(slot, OFFSET, 123);

        assertEquals(123, slot.getLong(OFFSET));
        assertEquals(Payloads.source(64).getByte(63), slot.getByte(OFFSET + 63), "the pattern follows the stamp");
        assertEquals(123, body.read(slot, OFFSET));
        slot.putByte(OFFSET + 63, (byte)0);
        assertEquals(0, body.corrupt(), "a copied message is not checked");
    }

    @Test
    void shouldRefuseAFrameLengthThatIsNotWholeWords()
    {
        final IllegalArgumentException thrown =
            assertThrows(IllegalArgumentException.class, () -> new FrameBody(Payloads.FRAME + 1));
        assertTrue(thrown.getMessage().contains("length=6220801"), thrown.getMessage());
    }

    @Test
    void shouldCheckTheWholeFramesBoundsBeforeTouchingIt()
    {
        final MessageBody body = MessageBody.of(Payloads.FRAME);
        final UnsafeBuffer slot = slot(Payloads.FRAME);
        final int last = slot.capacity() - Payloads.FRAME + 1;

        assertThrows(IndexOutOfBoundsException.class, () -> body.write(slot, last, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> body.read(slot, last));
        assertEquals(0, slot.getLong(slot.capacity() - Long.BYTES), "nothing written");
    }

    @Test
    void shouldSumTheWordsOfAFrameModulo64Bits()
    {
        assertEquals(3 * 5 + 3, FrameBody.expectedSum(5, 3));
        assertEquals(-3 + 3, FrameBody.expectedSum(-1, 3), "wraps");
    }

    private static UnsafeBuffer slot(final int length)
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(OFFSET + length + 64, 64));
    }
}
