package dev.shmq.core;

import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.zeroq.ZeroqDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The descriptors against the numbers PROTOCOLS.md states, and their validation.
 */
class DescriptorTest
{
    @Test
    void shouldMatchTheSlickQueueTableOfTheSpec()
    {
        assertAll(
            () -> assertEquals(0, SlickQueueDescriptor.RESERVED_OFFSET),
            () -> assertEquals(8, SlickQueueDescriptor.SIZE_OFFSET),
            () -> assertEquals(12, SlickQueueDescriptor.ELEMENT_SIZE_OFFSET),
            () -> assertEquals(16, SlickQueueDescriptor.LAST_PUBLISHED_OFFSET),
            () -> assertEquals(24, SlickQueueDescriptor.HEADER_MAGIC_OFFSET),
            () -> assertEquals(48, SlickQueueDescriptor.INIT_STATE_OFFSET),
            () -> assertEquals(64, SlickQueueDescriptor.HEADER_LENGTH),
            () -> assertEquals(0, SlickQueueDescriptor.SLOT_DATA_INDEX_OFFSET),
            () -> assertEquals(8, SlickQueueDescriptor.SLOT_SIZE_OFFSET),
            () -> assertEquals(16, SlickQueueDescriptor.SLOT_LENGTH),
            () -> assertEquals(0x534C5131, SlickQueueDescriptor.MAGIC),
            () -> assertEquals(64 + 16 * 1024 + 8 * 1024, SlickQueueDescriptor.totalLength(1024, 8)),
            () -> assertEquals(64 + 3 * 16, SlickQueueDescriptor.slotOffset(3)),
            () -> assertEquals(64 + 16 * 8, SlickQueueDescriptor.dataOffset(8)));
    }

    @Test
    void shouldMatchTheZeroqTableOfTheSpec()
    {
        assertAll(
            () -> assertEquals(0, ZeroqDescriptor.ELEMENT_SIZE_OFFSET),
            () -> assertEquals(8, ZeroqDescriptor.BUFFER_MASK_OFFSET),
            () -> assertEquals(16, ZeroqDescriptor.ENQUEUE_POS_OFFSET),
            () -> assertEquals(24, ZeroqDescriptor.DEQUEUE_POS_OFFSET),
            () -> assertEquals(32, ZeroqDescriptor.HEADER_LENGTH),
            () -> assertEquals(8, ZeroqDescriptor.CELL_LENGTH),
            () -> assertEquals(32 + 8 * 1024 + 24 * 1024, ZeroqDescriptor.totalLength(1024, 24)),
            () -> assertEquals(32 + 5 * 8, ZeroqDescriptor.cellOffset(5)),
            () -> assertEquals(32 + 8 * 16, ZeroqDescriptor.dataOffset(16)));
    }

    @Test
    void shouldPackAndUnpackReserved()
    {
        final long reserved = SlickQueueDescriptor.packReserved(123_456_789L, 300);

        assertEquals(123_456_789L, SlickQueueDescriptor.reservedIndex(reserved));
        assertEquals(300, SlickQueueDescriptor.reservedSize(reserved));
        assertEquals(SlickQueueDescriptor.MAX_INDEX, SlickQueueDescriptor.reservedIndex(-1L));
    }

    @ParameterizedTest
    @ValueSource(longs = { 3, 6, 1000, (1L << 30) + 1 })
    void shouldRejectCapacitiesThatAreNotPowersOfTwo(final long capacity)
    {
        assertCapacityRejected(() -> SlickQueueDescriptor.checkCapacity(capacity), capacity, 1);
        assertCapacityRejected(() -> ZeroqDescriptor.checkCapacity(capacity), capacity, 2);
        assertCapacityRejected(() -> SlickQueueDescriptor.totalLength(capacity, 1), capacity, 1);
        assertCapacityRejected(() -> ZeroqDescriptor.totalLength(capacity, 1), capacity, 2);
    }

    @ParameterizedTest
    @ValueSource(longs = { 0, -1, -1024, Long.MIN_VALUE })
    void shouldRejectCapacitiesBelowTheMinimum(final long capacity)
    {
        assertCapacityRejected(() -> SlickQueueDescriptor.checkCapacity(capacity), capacity, 1);
        assertCapacityRejected(() -> ZeroqDescriptor.checkCapacity(capacity), capacity, 2);
    }

    @Test
    void shouldRejectAZeroqCapacityOfOneButAcceptItForSlickQueue()
    {
        assertCapacityRejected(() -> ZeroqDescriptor.checkCapacity(1), 1, 2);
        assertEquals(64 + 16 + 8, SlickQueueDescriptor.totalLength(1, 8));
    }

    @ParameterizedTest
    @ValueSource(longs = { 0, -1, Integer.MAX_VALUE + 1L })
    void shouldRejectElementSizesOutOfRange(final long elementSize)
    {
        final String expected = "elementSize=" + elementSize + " (expected 1 to " + Integer.MAX_VALUE + ")";

        assertEquals(expected, assertThrows(IllegalArgumentException.class,
            () -> SlickQueueDescriptor.totalLength(16, elementSize)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
            () -> ZeroqDescriptor.totalLength(16, elementSize)).getMessage());
    }

    @Test
    void shouldRejectTotalsBeyondWhatOneBufferCanAddress()
    {
        final long capacity = 1L << 20;
        final long elementSize = 2048;

        final IllegalArgumentException slick = assertThrows(IllegalArgumentException.class,
            () -> SlickQueueDescriptor.totalLength(capacity, elementSize));
        final IllegalArgumentException zeroq = assertThrows(IllegalArgumentException.class,
            () -> ZeroqDescriptor.totalLength(capacity, elementSize));

        assertEquals("SlickQueue total length=" + (64 + capacity * (16 + elementSize)) + " for capacity=" + capacity +
            ", elementSize=" + elementSize + " (expected at most " + Integer.MAX_VALUE +
            ", the largest buffer Agrona can address)", slick.getMessage());
        assertTrue(zeroq.getMessage().startsWith("zeroq total length=" + (32 + capacity * (8 + elementSize))),
            zeroq.getMessage());
    }

    @Test
    void shouldAcceptTheLargestTotalThatFits()
    {
        final long capacity = 1L << 20;
        final long elementSize = (Integer.MAX_VALUE - 64) / capacity - 16;

        assertEquals(64 + capacity * (16 + elementSize), SlickQueueDescriptor.totalLength(capacity, elementSize));
    }

    @Test
    void shouldValidateAZeroqHeaderAgainstTheObjectLength()
    {
        assertEquals(16, ZeroqDescriptor.checkHeader(24, 15, ZeroqDescriptor.totalLength(16, 24)));

        final IllegalStateException wrongLength = assertThrows(IllegalStateException.class,
            () -> ZeroqDescriptor.checkHeader(24, 15, 4096));
        final IllegalStateException notPowerOfTwo = assertThrows(IllegalStateException.class,
            () -> ZeroqDescriptor.checkHeader(24, 14, 4096));
        final IllegalStateException tooShort = assertThrows(IllegalStateException.class,
            () -> ZeroqDescriptor.checkHeader(24, 15, 31));

        assertTrue(wrongLength.getMessage().startsWith("zeroq segment length=4096 (expected " +
            ZeroqDescriptor.totalLength(16, 24)), wrongLength.getMessage());
        assertTrue(notPowerOfTwo.getMessage().contains("capacity=15 (expected a power of two"),
            notPowerOfTwo.getMessage());
        assertTrue(tooShort.getMessage().startsWith("zeroq segment length=31 (expected at least the header length 32"),
            tooShort.getMessage());
    }

    private static void assertCapacityRejected(final Runnable check, final long capacity, final int min)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, check::run);

        assertEquals("capacity=" + capacity + " (expected a power of two in [" + min + ", " + (1 << 30) + "])",
            ex.getMessage());
    }
}
